/**
 * The folder boundaries of the design are lint rules: parsers ← machines ← src, Node APIs
 * and I/O only outside parsers/ and machines/, serialport/mqtt only in src/io, ink/react only
 * in src/ui; src/ui reads neither parsers/ nor machines/; certs, mqtt and diagnosis do not
 * import the session (their importer); run-time Node built-ins only in src/io, src/record and
 * src/cli, and only by their node: names; no timers or clocks in machines/. Checked on
 * snippets placed (virtually) in each folder.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

const eslint = new ESLint({ cwd: ROOT });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  const rules = ['no-restricted-imports', '@typescript-eslint/no-restricted-imports', 'no-restricted-globals'];
  return (r?.messages ?? []).filter((m) => rules.includes(m.ruleId ?? '')).map((m) => m.message);
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
    ['src/ui/panes/x.tsx', "import { alertName } from '../../../parsers/tables/alerts.ts';\nexport const a = alertName;", /src\/ui imports neither parsers\/ nor machines\//],
    ['src/ui/panes/x.tsx', "import { TLS12_ORDER } from '../../../machines/handshake-states.ts';\nexport const a = TLS12_ORDER;", /src\/ui imports neither parsers\/ nor machines\//],
    ['src/certs/x.ts', "import type { Finding } from '../session/types.ts';\nexport type A = Finding;", /do not import src\/session/],
    ['src/mqtt/x.ts', "import { Session } from '../session/session.ts';\nexport const a = Session;", /do not import src\/session/],
    ['src/diagnosis/rules/x.ts', "import type { HandshakeView } from '../../session/types.ts';\nexport type A = HandshakeView;", /do not import src\/session/],
    ['src/session/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;", /only in src\/io, src\/record and src\/cli/],
    ['src/ui/x.tsx', "import { writeFileSync } from 'node:fs';\nexport const a = writeFileSync;", /only in src\/io, src\/record and src\/cli/],
    ['src/io/x.ts', "import { readFile } from 'fs/promises';\nexport const a = readFile;", /Use 'node:fs\/promises'/],
    ['src/cli/x.ts', "import { Worker } from 'worker_threads';\nexport const a = Worker;", /Use 'node:worker_threads'/],
    ['test/x.test.ts', "import { spawn } from 'child_process';\nexport const a = spawn;", /Use 'node:child_process'/],
    ['machines/x.ts', "export const later = (f: () => void) => setTimeout(f, 10);", /no timers or clocks/],
    ['machines/x.ts', "export const now = () => Date.now();", /no timers or clocks/],
    ['machines/x.ts', "export const now = () => performance.now();", /no timers or clocks/],
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
    ['src/diagnosis/x.ts', "import type { Finding } from '../contracts/summary.ts';\nexport type A = Finding;"],
    ['src/ui/x.tsx', "import { TLS12_ORDER } from '../session/protocol-names.ts';\nexport const a = TLS12_ORDER;"],
    ['src/output/x.ts', "import type { Writable } from 'node:stream';\nexport type A = Writable;"],
    ['src/record/x.ts', "import { open } from 'node:fs/promises';\nexport const a = open;"],
    ['machines/x.ts', "export const at = (e: { t: number }) => e.t;"],
  ])('%s may import what it needs', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
