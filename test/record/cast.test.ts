import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CastWriter } from '../../src/record/cast-writer.ts';
import { readCast, readCastHeader } from '../../src/record/cast-reader.ts';
import { defaultRecordingPath, recordingsDir } from '../../src/record/default-path.ts';
import type { CastEvent } from '../../src/record/cast-format.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hsmon-cast-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function all(path: string): Promise<CastEvent[]> {
  const out: CastEvent[] = [];
  for await (const e of readCast(path)) out.push(e);
  return out;
}

const enc = new TextEncoder();

describe('CastWriter → readCast', () => {
  it('restores random byte streams (invalid UTF-8 included) with their times within 1 ms', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gapMs: fc.double({ min: 0, max: 5000, noNaN: true }),
            dir: fc.constantFrom('rx', 'tx'),
            bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.string({ minLength: 1 }).map((s) => enc.encode(s))),
          }),
          { maxLength: 40 },
        ),
        async (chunks) => {
          const path = join(dir, `p${n++}.cast`);
          const w = new CastWriter(path);
          let t = 0;
          const expected: { t: number; type: string; hex: string }[] = [];
          for (const c of chunks) {
            t += c.gapMs;
            if (c.dir === 'rx') w.rx(c.bytes, t);
            else w.tx(c.bytes, t);
            expected.push({ t, type: c.dir === 'rx' ? 'o' : 'i', hex: Buffer.from(c.bytes).toString('hex') });
          }
          w.close();
          const got = await all(path);
          expect(got.map((e) => ({ type: e.type, hex: Buffer.from(e.bytes).toString('hex') }))).toEqual(
            expected.map(({ type, hex }) => ({ type, hex })),
          );
          got.forEach((e, i) => expect(Math.abs(e.t * 1000 - expected[i]!.t)).toBeLessThanOrEqual(1));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('writes the header, markers and the x extension after a non-UTF-8 event', async () => {
    const path = join(dir, 'a.cast');
    const w = new CastWriter(path, { title: 'bench', source: '/dev/ttyACM0', baud: 921600, timestamp: 1700000000 });
    w.rx(enc.encode('ok\r\n'), 0);
    w.rx(new Uint8Array([0x41, 0xff, 0x0d, 0x0a]), 1500);
    w.tx(enc.encode('retry\r\n'), 2000);
    w.marker('reconnected /dev/ttyACM0', 2500);
    w.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ version: 2, width: 120, height: 40, timestamp: 1700000000, title: 'bench', hsmon: { source: '/dev/ttyACM0', baud: 921600 } });
    expect(lines.slice(1).map((l) => JSON.parse(l))).toEqual([
      [0, 'o', 'ok\r\n'],
      [1.5, 'o', 'A\uFFFD\r\n'],
      [1.5, 'x', Buffer.from([0x41, 0xff, 0x0d, 0x0a]).toString('base64')],
      [2, 'i', 'retry\r\n'],
      [2.5, 'm', 'reconnected /dev/ttyACM0'],
    ]);
    expect((await readCastHeader(path)).title).toBe('bench');
    const events = await all(path);
    expect(events.map((e) => e.type)).toEqual(['o', 'o', 'i', 'm']);
    expect(Buffer.from(events[1]!.bytes).toString('hex')).toBe('41ff0d0a');
  });

  const script = spawnSync('script', ['--version']).status === 0;
  const asciinema = spawnSync('asciinema', ['--version']).status === 0;
  it.runIf(script && asciinema)('asciinema cat reads it and prints the device text (needs asciinema and script)', () => {
    const path = join(dir, 'b.cast');
    const w = new CastWriter(path);
    w.rx(enc.encode('client state: MBEDTLS_SSL_HELLO_REQUEST\r\n'), 0);
    w.rx(new Uint8Array([0x42, 0xfe, 0x0a]), 10);
    w.tx(enc.encode('regen\r\n'), 20);
    w.marker('mark', 30);
    w.close();
    // asciinema cat opens /dev/tty, so it runs under `script` to have one.
    const out = execFileSync('script', ['-qec', `asciinema cat ${path}`, '/dev/null'], { encoding: 'utf8' });
    expect(out).toContain('client state: MBEDTLS_SSL_HELLO_REQUEST');
    expect(out).toContain('B\uFFFD');
    expect(out).not.toContain('regen'); // input events are not part of the screen
  });
  if (!script || !asciinema) console.log('skipped the asciinema cat check: asciinema or script(1) is not installed');

  it('redacts whole lines, holding an unfinished line back until the rest arrives', async () => {
    const path = join(dir, 'r.cast');
    const seen: string[] = [];
    const w = new CastWriter(path, { redact: (t) => (seen.push(t), t.replace(/secret=\S+/g, 'secret=[REDACTED]')) });
    w.rx(enc.encode('a=1 secr'), 0);
    w.rx(enc.encode('et=hunter2\r\nnext'), 5);
    w.close();
    // One call per line, without its terminator: line-based redactors see each line alone.
    expect(seen).toEqual(['a=1 secret=hunter2', 'next']);
    const events = await all(path);
    expect(events.map((e) => [e.t * 1000, e.text])).toEqual([[0, 'a=1 secret=[REDACTED]\r\n'], [5, 'next']]);
    expect(readFileSync(path, 'utf8')).not.toContain('hunter2');
  });

  it('hands the redaction hook one line at a time when a chunk holds several', () => {
    const seen: string[] = [];
    const w = new CastWriter(join(dir, 'm.cast'), { redact: (t) => (seen.push(t), t) });
    w.rx(enc.encode('one\r\ntwo\nthree\r\n'), 0);
    w.close();
    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('reports progress as the position reached, not as what the stream read ahead', async () => {
    const path = join(dir, 'p.cast');
    const w = new CastWriter(path);
    for (let i = 0; i < 2000; i++) w.rx(enc.encode(`line ${i} ${'x'.repeat(60)}\r\n`), i);
    w.close();
    const total = readFileSync(path).length;
    let progress = 0;
    const it = readCast(path, { onProgress: (b) => (progress = b) })[Symbol.asyncIterator]();
    await it.next();
    // One event handed out of 2000: far from the end, though the stream has read 64 KiB ahead.
    expect(progress).toBeLessThan(total / 10);
    while (!(await it.next()).done);
    expect(progress).toBe(total);
  });

  it('writes an unfinished line after at most the flush interval (fake clock)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const path = join(dir, 'h.cast');
      const w = new CastWriter(path, { redact: (t) => t, flushMs: 50 });
      w.rx(enc.encode('no newline yet'));
      expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
      vi.advanceTimersByTime(49);
      expect(readFileSync(path, 'utf8')).not.toContain('no newline yet');
      vi.advanceTimersByTime(1);
      expect(readFileSync(path, 'utf8')).toContain('no newline yet');
      w.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('loses at most ~100 ms of data on kill -9', async () => {
    const path = join(dir, 'k.cast');
    const writer = new URL('../../src/record/cast-writer.ts', import.meta.url).pathname;
    const code = `
      import { CastWriter } from ${JSON.stringify(writer)};
      const w = new CastWriter(${JSON.stringify(path)});
      let i = 0;
      const t0 = performance.now();
      setInterval(() => { w.rx(new TextEncoder().encode('line ' + (i++) + '\\n')); }, 5);
      process.stdout.write('ready\\n');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    await new Promise((r) => setTimeout(r, 800));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const events = await all(path);
    // The child wrote a line every 5 ms for ~800 ms; all but the last 100 ms must be on disk.
    const lastT = events[events.length - 1]!.t * 1000;
    expect(events.length).toBeGreaterThan(50);
    expect(lastT).toBeGreaterThan(800 - 100 - 100 /* scheduling slack on a busy machine */);
  });
});

describe('defaultRecordingPath', () => {
  const now = new Date(2026, 0, 22, 14, 30, 5);
  it('honours XDG_DATA_HOME', () => {
    expect(defaultRecordingPath('/dev/ttyACM0', { now, env: { XDG_DATA_HOME: '/data' }, home: '/home/u' })).toBe('/data/hsmon/recordings/20260122-143005-ttyACM0.cast');
  });
  it('falls back to ~/.local/share and cleans odd names', () => {
    expect(defaultRecordingPath('sim:handshake-ok', { now, env: {}, home: '/home/u' })).toBe('/home/u/.local/share/hsmon/recordings/20260122-143005-sim-handshake-ok.cast');
    expect(recordingsDir({ XDG_DATA_HOME: 'relative' }, '/h')).toBe('/h/.local/share/hsmon/recordings');
  });
  it('creates the folder when the writer opens the file', () => {
    const path = join(dir, 'deep', 'er', 'x.cast');
    new CastWriter(path).close();
    expect(existsSync(path)).toBe(true);
  });
});

describe('CastWriter on a full disk (issue 15)', () => {
  /** A write that takes `room` bytes, then writes part of the next call and fails like a full disk. */
  function fullAfter(room: number): (fd: number, data: Uint8Array) => number {
    let left = room;
    return (fd, data) => {
      if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(left, data.length);
      left -= n;
      // The real write of what fits: the file ends in a cut line, as on a disk that filled up.
      return writeSync(fd, data.subarray(0, n));
    };
  }

  it('stops at ENOSPC, reports it once, and leaves the file valid up to its last complete event', async () => {
    const path = join(dir, 'full.cast');
    const errors: Error[] = [];
    const w = new CastWriter(path, { now: () => 0, flushMs: 10_000, write: fullAfter(400), onError: (e) => errors.push(e) });
    for (let i = 0; i < 20; i++) {
      w.rx(enc.encode(`line ${i}\n`), i);
      w.flush();
    }
    w.close();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOSPC']);
    expect(w.failure).toBe('disk full (ENOSPC)');
    const text = readFileSync(path, 'utf8');
    // Whole lines only: the cut one was taken back (ftruncate to the last complete event).
    expect(text.endsWith('\n')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(400);
    const lines = text.trimEnd().split('\n');
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    const events = await all(path);
    expect(events.length).toBe(lines.length - 1);
    expect(events.map((e) => e.text)).toEqual(events.map((_, i) => `line ${i}\n`));
    expect(events.length).toBeGreaterThan(0);
  });

  it('a timer flush that hits an I/O error calls onError instead of throwing out of the timer', async () => {
    const path = join(dir, 'eio.cast');
    let fail = false;
    const errors: string[] = [];
    const w = new CastWriter(path, {
      flushMs: 5,
      write: (fd, data) => {
        if (fail) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        return writeSync(fd, data);
      },
      onError: () => errors.push(w.failure ?? ''),
    });
    fail = true;
    w.rx(enc.encode('after the disk went away\n'));
    // Wait on the condition (the timer's flush reported), not on a fixed time.
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(errors).toEqual(['EIO: EIO: i/o error, write']);
    w.rx(enc.encode('ignored\n'));
    w.close();
    expect(await all(path)).toEqual([]);
  });
});
