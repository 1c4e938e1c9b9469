/**
 * The interactive replay's tape recorded by the real parse worker (bin/parse-worker.js, a
 * `tape` job): the same tape as the session's own parse stage records in process, only the
 * bytes the replay loaded, and a failure said in one line.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReplay } from '../../src/cli/interactive.ts';
import { stageOptions } from '../../src/cli/parse-worker.ts';
import { loadSessionSettings } from '../../src/cli/session-settings.ts';
import { readTapeInWorker } from '../../src/cli/tape-in-worker.ts';
import type { EarlyWorker } from '../../src/cli/parse-in-worker.ts';
import { createSession } from '../../src/session/create-session.ts';
import { ReplayTape } from '../../src/session/replay-tape.ts';
import { TapeRecorder } from '../../src/session/tape-recorder.ts';
import { ROOT } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-tape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tape the session's tap records when it parses `bytes` itself. */
function tapeHere(bytes: Uint8Array, redact = true): ReplayTape {
  const tape = new ReplayTape();
  const recorder = new TapeRecorder();
  const s = createSession({ source: { type: 'file', name: 't' }, redact });
  s.tap(recorder);
  s.feed(bytes, 0);
  s.end();
  tape.append(recorder.take());
  return tape;
}

async function tapeInWorker(path: string, bytes: number, redact = true): Promise<{ tape: ReplayTape; progress: number }> {
  const tape = new ReplayTape();
  let progress = 0;
  let failed: string | null = null;
  readTapeInWorker({ path, stage: stageOptions(undefined, redact, undefined), tape: { bytes } }, tape, {
    progress: () => progress++,
    failed: (m) => (failed = m),
  });
  await poll('the whole tape', () => {
    if (failed !== null) throw new Error(failed);
    return tape.complete;
  }, { timeoutMs: 20_000 });
  return { tape, progress };
}

/** Every line's entry of a tape, as the time machine reads it. */
const lines = (t: ReplayTape, framed: string[]): unknown[] =>
  framed.map((text, seq) => [t.itemsBefore(seq + 1), t.unmatchedBefore(seq + 1), t.parsed(seq), t.text(seq, text)]);

describe('the tape recorded on the parse worker', () => {
  // With redaction on, two workers record it: one redacts, the other parses (redaction-pass.ts).
  it('is the tape the parse stage records in process, redacted lines included', async () => {
    // 35 secrets are redacted in this log: their lines are kept as shown.
    const path = join(ROOT, 'recordings/tls13_gcm_debug4_ok.log');
    const bytes = readFileSync(path);
    const here = tapeHere(bytes);
    const { tape, progress } = await tapeInWorker(path, bytes.length);
    expect(progress).toBeGreaterThan(0);
    expect(tape.broken).toBe(false);
    expect(tape.lines).toBe(here.lines);
    expect(tape.items).toEqual(here.items);
    const framed = bytes.toString('latin1').split('\n').map((l) => l.replace(/\r$/, ''));
    expect(lines(tape, framed.slice(0, here.lines))).toEqual(lines(here, framed.slice(0, here.lines)));
    expect(framed.some((l, seq) => here.text(seq, l).includes('redacted by hsmon'))).toBe(true);
  });

  it('with --no-redact, one worker records the tape of a stage that redacts nothing', async () => {
    // The 'Handshake secret' dump: grep -n 'Handshake secret' → line 250, its first row follows
    // and holds `ad a5 cc 70`.
    const path = join(ROOT, 'recordings/tls13_gcm_debug4_ok.log');
    const bytes = readFileSync(path);
    const here = tapeHere(bytes, false);
    const { tape } = await tapeInWorker(path, bytes.length, false);
    expect(tape.items).toEqual(here.items);
    expect(tape.items.some((i) => i.kind === 'secret.redacted')).toBe(false);
    const row = bytes.toString('latin1').split('\n')[250]!.replace(/\r$/, '');
    expect(tape.text(250, row)).toContain('ad a5 cc 70');
  });

  it('says in one line why it stopped when the redacting worker fails', async () => {
    const tape = new ReplayTape();
    let failed: string | null = null;
    const path = join(ROOT, 'recordings/tls12_server_untrusted.log');
    // A redact pattern that is no regex: the redacting worker throws building its redactor.
    readTapeInWorker({ path, stage: stageOptions(undefined, true, undefined, ['(']), tape: { bytes: 100 } }, tape, {
      progress: () => {},
      failed: (m) => (failed = m),
    });
    const message = await poll('the failure', () => failed, { timeoutMs: 20_000 });
    expect(message).toMatch(/regular expression|pattern/i);
    expect(message).not.toContain('\n');
    expect(tape.complete).toBe(false);
  });

  it('says how many threads read: two while one redacts, fewer as they finish, none at the end', async () => {
    const path = join(ROOT, 'recordings/tls13_gcm_debug4_ok.log');
    const bytes = readFileSync(path).length;
    for (const redact of [true, false]) {
      const tape = new ReplayTape();
      const seen: number[] = [];
      let failed: string | null = null;
      const reading = readTapeInWorker({ path, stage: stageOptions(undefined, redact, undefined), tape: { bytes } }, tape, {
        progress: () => seen.push(reading.threads()),
        failed: (m) => (failed = m),
      });
      expect(reading.threads()).toBe(redact ? 2 : 1);
      await poll('the whole tape', () => {
        if (failed !== null) throw new Error(failed);
        return tape.complete;
      }, { timeoutMs: 20_000 });
      expect(reading.threads()).toBe(0);
      // Never more again once fewer: the last progress is the end, when none reads.
      expect(seen.every((n, k) => k === 0 || n <= seen[k - 1]!)).toBe(true);
      expect(seen.at(-1)).toBe(0);
    }
  });

  it('reads only the bytes the replay loaded, not what was appended to the file since', async () => {
    const path = join(dir, 'growing.log');
    copyFileSync(join(ROOT, 'recordings/tls12_server_untrusted.log'), path);
    const loaded = readFileSync(path);
    appendFileSync(path, 'ssl_tls.c:1: appended after the replay opened\n'.repeat(100));
    const { tape } = await tapeInWorker(path, loaded.length);
    // `wc -l recordings/tls12_server_untrusted.log`: the file ends in a newline.
    expect(tape.lines).toBe(loaded.toString('latin1').split('\n').length - 1);
    expect(tape.items).toEqual(tapeHere(loaded).items);
  });

  it('says in one line why it stopped when the file cannot be read', async () => {
    const tape = new ReplayTape();
    let failed: string | null = null;
    readTapeInWorker({ path: join(dir, 'gone.log'), stage: stageOptions(undefined, true, undefined), tape: { bytes: 100 } }, tape, {
      progress: () => {},
      failed: (m) => (failed = m),
    });
    const message = await poll('the failure', () => failed, { timeoutMs: 20_000 });
    expect(message).toMatch(/no such file|ENOENT/);
    expect(message).not.toContain('\n');
    expect(tape.complete).toBe(false);
  });
});

describe('the interactive replay', () => {
  it('reads a plain log on the parse worker, unless HSMON_NO_WORKER is set', async () => {
    const settings = await loadSessionSettings({}, () => {});
    const path = join(ROOT, 'recordings/tls12_server_untrusted.log');
    const a = await openReplay({ kind: 'replay', path, speed: 'max', settings }, { paused: true });
    expect(a.machine.readsElsewhere).toBe(true);
    await a.machine.whenRead();
    a.machine.seek({ to: 'end' });
    const viaWorker = a.machine.session.summary().handshakes;
    // One attempt, failed in SERVER_CERTIFICATE (grep -c 'client state: MBEDTLS_SSL_HELLO_REQUEST' → 1).
    expect(viaWorker.map((h) => h.outcome)).toEqual(['failed']);
    a.player.close();
    process.env['HSMON_NO_WORKER'] = '1';
    try {
      const b = await openReplay({ kind: 'replay', path, speed: 'max', settings }, { paused: true });
      expect(b.machine.readsElsewhere).toBe(false);
      b.machine.seek({ to: 'end' });
      expect(b.machine.session.summary().handshakes).toEqual(viaWorker);
      b.player.close();
    } finally {
      delete process.env['HSMON_NO_WORKER'];
    }
  });
});

/** bin/early-workers.js, as bin/hsmon.js uses it (plain JavaScript: typed here). */
const { startTapeWorkers, TAPE_WORKERS } = (await import(join(ROOT, 'bin/early-workers.js'))) as {
  startTapeWorkers: (args: string[]) => { parse: EarlyWorker; redact: EarlyWorker | null };
  TAPE_WORKERS: symbol;
};

/** The tape workers started as bin/hsmon.js starts them for `args`, once each has begun (or not). */
async function startedEarly(args: string[]): Promise<{ parse: EarlyWorker; redact: EarlyWorker | null }> {
  const early = startTapeWorkers(args);
  (globalThis as Record<symbol, unknown>)[TAPE_WORKERS] = early;
  await poll('the early workers to begin', () => [early.parse, early.redact].every((w) => w === null || w.messages.length > 0), { timeoutMs: 20_000 });
  return early;
}

describe('the tape workers bin/hsmon.js starts with the command line', () => {
  const path = join(ROOT, 'recordings/tls13_gcm_debug4_ok.log');
  const bytes = readFileSync(path);

  it('are taken by the replay that asks for the job they began on, and record the same tape', async () => {
    const early = await startedEarly(['replay', path]);
    expect(early.parse.messages[0]).toMatchObject({ type: 'began', job: { path, tape: { bytes: bytes.length } } });
    const tape = new ReplayTape();
    let failed: string | null = null;
    const reading = readTapeInWorker({ path, stage: stageOptions(undefined, true, undefined), tape: { bytes: bytes.length } }, tape, {
      progress: () => {},
      failed: (m) => (failed = m),
    });
    expect(reading.early).toBe(true);
    expect((globalThis as Record<symbol, unknown>)[TAPE_WORKERS]).toBeUndefined();
    await poll('the whole tape', () => {
      if (failed !== null) throw new Error(failed);
      return tape.complete;
    }, { timeoutMs: 20_000 });
    const here = tapeHere(bytes);
    expect(tape.lines).toBe(here.lines);
    expect(tape.items).toEqual(here.items);
    expect(reading.threads()).toBe(0);
  });

  it('are ended, and workers of its own started, for another job: the file grew, or other options', async () => {
    const grown = join(dir, 'grown.log');
    copyFileSync(path, grown);
    for (const [args, loaded] of [
      [['replay', grown], bytes.length - 100],
      [['replay', grown, '--no-redact'], bytes.length],
    ] as const) {
      const early = await startedEarly([...args]);
      const tape = new ReplayTape();
      let failed: string | null = null;
      const reading = readTapeInWorker({ path: grown, stage: stageOptions(undefined, true, undefined), tape: { bytes: loaded } }, tape, {
        progress: () => {},
        failed: (m) => (failed = m),
      });
      expect(reading.early).toBe(false);
      await poll('the early workers to end', () => [early.parse, early.redact].every((w) => w === null || w.messages.at(-1)?.type === 'exit'), { timeoutMs: 20_000 });
      await poll('the whole tape', () => {
        if (failed !== null) throw new Error(failed);
        return tape.complete;
      }, { timeoutMs: 20_000 });
      expect(tape.items).toEqual(tapeHere(bytes.subarray(0, loaded)).items);
    }
  });

  it('are ended when the replay reads no tape on workers (a .cast recording)', async () => {
    const cast = join(dir, 'short.cast');
    writeFileSync(cast, '{"version": 2, "width": 80, "height": 24}\n[0.1, "o", "ssl_tls.c:1: hello\\r\\n"]\n');
    // A .cast's job cannot be told from the command line: they wait to be told one, and post nothing.
    const early = startTapeWorkers(['replay', cast]);
    (globalThis as Record<symbol, unknown>)[TAPE_WORKERS] = early;
    const settings = await loadSessionSettings({}, () => {});
    const r = await openReplay({ kind: 'replay', path: cast, speed: 'max', settings }, { paused: true });
    expect(r.machine.readsElsewhere).toBe(false);
    await poll('the early workers to end', () => [early.parse, early.redact].every((w) => w === null || w.messages.at(-1)?.type === 'exit'), { timeoutMs: 20_000 });
    expect(early.parse.messages.filter((m) => m.type !== 'exit')).toEqual([]);
    r.player.close();
  });
});
