/**
 * The time machine's recordings: a plain log as lines, an hsmon .cast with its device output,
 * what hsmon sent and its markers, each in its place, with the recorded times.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecording } from '../../src/io/recording.ts';
import { textRecording } from '../../src/session/recording.ts';
import { createSession } from '../../src/session/create-session.ts';
import type { Session } from '../../src/session/session.ts';
import { TimeMachine } from '../../src/session/time-machine.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const session = (): Session => createSession({ source: { type: 'file', name: 't' } });

describe('recordings for the time machine', () => {
  it('splits a plain log into lines, a last line without LF included', () => {
    const rec = textRecording(enc('one\r\ntwo\nthree'));
    expect(rec.count).toBe(3);
    expect(new TextDecoder().decode(rec.event(1).bytes)).toBe('two\n');
    expect(new TextDecoder().decode(rec.span!(0, 3))).toBe('one\r\ntwo\nthree');
    expect(rec.bytesBefore(2)).toBe(9);
  });

  it('reads an hsmon .cast: device output, tx and markers at their times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-tm-'));
    const path = join(dir, 'x.cast');
    writeFileSync(path, [
      JSON.stringify({ version: 2, width: 80, height: 24 }),
      JSON.stringify([0.5, 'o', 'boot\r\n']),
      JSON.stringify([1.0, 'i', 'r\n']),
      JSON.stringify([1.25, 'm', 'port reconnected']),
      JSON.stringify([2.0, 'o', 'ready\r\n']),
    ].join('\n') + '\n');
    const rec = await loadRecording(path);
    expect(rec.format).toBe('cast');
    expect(rec.count).toBe(4);
    expect(rec.event(3).t).toBe(2000);
    const tm = new TimeMachine(rec, session);
    tm.seek({ to: 'end' });
    const log = tm.getSnapshot().log.map((l) => [l.dir, l.text, l.n ?? null]);
    expect(log).toEqual([['rx', 'boot', null], ['tx', 'r', 1], ['note', '--- port reconnected', 1], ['rx', 'ready', null]]);
    tm.seek({ to: 'line', line: 0 });
    expect(tm.getSnapshot().log.map((l) => l.text)).toEqual(['boot']);
    await expect(loadRecording(join(dir, 'missing.log'))).rejects.toThrow(`cannot read ${join(dir, 'missing.log')}: no such file`);
  });

  it('feeds in bulk or line by line to the same session state', () => {
    const bytes = enc(Array.from({ length: 500 }, (_, i) => `ssl_tls.c:${i}: |2| line ${i}`).join('\n') + '\n');
    const a = new TimeMachine(textRecording(bytes), session);
    a.seek({ to: 'end' });
    const b = new TimeMachine(textRecording(bytes), session);
    for (let i = 0; i < 500; i++) b.advance(1);
    expect(b.getSnapshot().log).toEqual(a.getSnapshot().log);
    expect(b.getSnapshot().lines).toBe(500);
  });
});
