import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCommandConfig, parseCommandConfig } from '../../src/commands/config.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import type { Source } from '../../src/io/source.ts';

const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hsmon-cfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCommandConfig', () => {
  it('uses the defaults (regen, retry, reset) when there is no file', async () => {
    const cfg = await loadCommandConfig({ cwd: dir, env: {}, home: dir });
    expect(cfg.file).toBeNull();
    expect(cfg.commands.map((c) => [c.name, c.key, c.confirm])).toEqual([
      ['regenerate-key', 'k', true],
      ['retry-connect', 'r', false],
      ['reset', 'R', true],
    ]);
    expect(hex(cfg.commands[0]!.send)).toBe(hex(new TextEncoder().encode('regen\r\n')));
    expect(cfg.commands[2]!.reset).toEqual([
      { op: 'set', dtr: false }, { op: 'set', rts: true }, { op: 'wait', ms: 100 }, { op: 'set', rts: false },
    ]);
    expect(hex(cfg.lineEnding)).toBe('0d0a');
  });

  it('prefers ./hsmon.json over $XDG_CONFIG_HOME/hsmon/config.json', async () => {
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'hsmon'), { recursive: true });
    writeFileSync(join(xdg, 'hsmon', 'config.json'), JSON.stringify({ commands: [{ name: 'user', key: 'u', send: 'u\\n' }] }));
    const fromXdg = await loadCommandConfig({ cwd: dir, env: { XDG_CONFIG_HOME: xdg }, home: dir });
    expect(fromXdg.file).toBe(join(xdg, 'hsmon', 'config.json'));
    expect(fromXdg.commands.map((c) => c.name)).toEqual(['user']);

    writeFileSync(join(dir, 'hsmon.json'), JSON.stringify({ commands: [{ name: 'local', key: 'l', send: 'l\\r' }], lineEnding: '\\n' }));
    const local = await loadCommandConfig({ cwd: dir, env: { XDG_CONFIG_HOME: xdg }, home: dir });
    expect(local.file).toBe(join(dir, 'hsmon.json'));
    expect(local.commands.map((c) => c.name)).toEqual(['local']);
    expect(hex(local.lineEnding)).toBe('0a');
  });

  it('falls back to ~/.config when XDG_CONFIG_HOME is unset', async () => {
    mkdirSync(join(dir, '.config', 'hsmon'), { recursive: true });
    writeFileSync(join(dir, '.config', 'hsmon', 'config.json'), '{"lineEnding": "\\\\r"}');
    const cfg = await loadCommandConfig({ cwd: join(dir, 'nowhere'), env: {}, home: dir });
    expect(cfg.file).toBe(join(dir, '.config', 'hsmon', 'config.json'));
    expect(hex(cfg.lineEnding)).toBe('0d');
    expect(cfg.commands).toHaveLength(3);
  });

  it('names the file for broken JSON and for a missing --config file', async () => {
    writeFileSync(join(dir, 'hsmon.json'), '{"commands": [');
    await expect(loadCommandConfig({ cwd: dir, env: {}, home: dir })).rejects.toThrow(`${join(dir, 'hsmon.json')}: invalid JSON`);
    await expect(loadCommandConfig({ cwd: dir, file: 'nope.json' })).rejects.toThrow(`${join(dir, 'nope.json')}: cannot read: no such file`);
  });

  it('loads the documented example file', async () => {
    const cfg = await loadCommandConfig({ file: new URL('../../hsmon.example.json', import.meta.url).pathname });
    expect(cfg.commands.find((c) => c.name === 'reset')?.confirm).toBe(true);
  });
});

describe('parseCommandConfig errors name the file and the field', () => {
  it.each([
    [[], 'x.json: (top level): expected an object'],
    [{ commands: {} }, 'x.json: commands: expected an array'],
    [{ commands: [{ key: 'a', send: 'a' }] }, 'x.json: commands[0].name: expected a non-empty string'],
    [{ commands: [{ name: 'a', key: 'ab', send: 'a' }] }, 'x.json: commands[0].key: expected one character'],
    [{ commands: [{ name: 'a', key: 'a', send: 'a' }, { name: 'b', key: 'a', send: 'b' }] }, 'x.json: commands[1].key: "a" is already bound to "a"'],
    [{ commands: [{ name: 'a', key: 'a' }] }, 'x.json: commands[0]: needs exactly one of "send"'],
    [{ commands: [{ name: 'a', key: 'a', send: 'x', reset: 'D0' }] }, 'x.json: commands[0]: needs exactly one of "send"'],
    [{ commands: [{ name: 'a', key: 'a', send: '\\q' }] }, 'x.json: commands[0].send: unknown escape'],
    [{ commands: [{ name: 'a', key: 'a', reset: 'D0|Z' }] }, 'x.json: commands[0].reset: step 2 "Z"'],
    [{ commands: [{ name: 'a', key: 'a', send: 'a', confirm: 'yes' }] }, 'x.json: commands[0].confirm: expected true or false'],
    [{ commands: [{ name: 'a', key: 'a', send: 'a', sned: 1 }] }, 'x.json: commands[0].sned: unknown field'],
    [{ lineEnding: 3 }, 'x.json: lineEnding: expected a string'],
  ])('%j', (json, msg) => {
    expect(() => parseCommandConfig(json, 'x.json')).toThrow(msg);
  });
});

describe('runCommand', () => {
  function fakeSource(withSignals: boolean): Source & { log: string[] } {
    const log: string[] = [];
    return {
      name: 'fake',
      log,
      start: async () => undefined,
      close: async () => undefined,
      write: async (b) => void log.push(`write ${hex(b)}`),
      ...(withSignals ? { setSignals: async (s: { dtr?: boolean; rts?: boolean }) => void log.push(`set ${JSON.stringify(s)}`) } : {}),
    };
  }

  it('writes the configured bytes', async () => {
    const src = fakeSource(false);
    const cfg = parseCommandConfig({ commands: [{ name: 'x', key: 'x', send: 'AT\\r\\n' }] }, 'x.json');
    const sent = await runCommand(src, cfg.commands[0]!);
    expect(src.log).toEqual(['write 41540d0a']);
    expect(hex(sent)).toBe('41540d0a');
  });

  it('plays a reset sequence in order with its waits', async () => {
    const src = fakeSource(true);
    const cfg = parseCommandConfig({ commands: [{ name: 'r', key: 'R', reset: 'U0,1|W0.1|R0' }] }, 'x.json');
    await runCommand(src, cfg.commands[0]!, { sleep: async (ms) => void src.log.push(`sleep ${ms}`) });
    expect(src.log).toEqual(['set {"dtr":false,"rts":true}', 'sleep 100', 'set {"rts":false}']);
  });

  it('refuses a reset on a source without modem lines', async () => {
    const cfg = parseCommandConfig({ commands: [{ name: 'r', key: 'R', reset: 'D0' }] }, 'x.json');
    await expect(runCommand(fakeSource(false), cfg.commands[0]!)).rejects.toThrow('r: fake has no DTR/RTS lines');
  });
});
