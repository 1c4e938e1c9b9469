import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NOT_A_TERMINAL, runInteractive } from '../../src/cli/interactive.ts';

describe('runInteractive without a terminal', () => {
  it('prints a one-line hint to use --json and exits 2', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const stdout = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const err: string[] = [];
    const stderr = { write: (s: string) => err.push(s) } as unknown as NodeJS.WriteStream;
    const code = await runInteractive({ kind: 'replay', path: 'recordings/tls12_server_untrusted.log', speed: 'max', settings: { mbedtls: undefined, redact: true, profiles: undefined, config: undefined } }, { stdin, stdout, stderr });
    expect(code).toBe(2);
    expect(err.join('')).toBe(NOT_A_TERMINAL);
    expect(NOT_A_TERMINAL).toContain('--json');
    expect(NOT_A_TERMINAL.trim().split('\n')).toHaveLength(1);
  });
});
