/**
 * The folder boundaries of the design are lint rules: parsers ← machines ← src, Node APIs
 * and I/O only outside parsers/ and machines/, serialport/mqtt only in src/io, ink/react only
 * in src/ui. Checked on snippets placed (virtually) in each folder.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

const eslint = new ESLint({ cwd: ROOT });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('folder boundaries', () => {
  it.each([
    ['parsers/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;", /pure/],
    ['parsers/x.ts', "import { createActor } from 'xstate';\nexport const a = createActor;", /depends on nothing/],
    ['parsers/x.ts', "import { Session } from '../src/session/session.ts';\nexport const a = Session;", /depends on nothing/],
    ['machines/x.ts', "import { Session } from '../src/session/session.ts';\nexport const a = Session;", /only xstate and parsers/],
    ['machines/x.ts', "import { SerialPort } from 'serialport';\nexport const a = SerialPort;", /src\/io/],
    ['src/session/x.ts', "import { render } from 'ink';\nexport const a = render;", /src\/ui/],
    ['src/session/x.ts', "import mqtt from 'mqtt';\nexport const a = mqtt;", /src\/io/],
    ['src/ui/x.ts', "import { SerialPort } from 'serialport';\nexport const a = SerialPort;", /src\/io/],
  ])('%s may not: %s', async (file, code, why) => {
    const v = await violations(file, code);
    expect(v.length).toBe(1);
    expect(v[0]).toMatch(why);
  });

  it.each([
    ['machines/x.ts', "import { setup } from 'xstate';\nimport type { Line } from '../parsers/events.ts';\nexport const a: [typeof setup, Line | null] = [setup, null];"],
    ['src/io/x.ts', "import { SerialPort } from 'serialport';\nimport { readFileSync } from 'node:fs';\nexport const a = [SerialPort, readFileSync];"],
    ['src/ui/x.tsx', "import { Text } from 'ink';\nexport const a = Text;"],
    ['src/mqtt/x.ts', "import { MqttHistory } from './history.ts';\nexport const a = MqttHistory;"],
  ])('%s may import what it needs', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
