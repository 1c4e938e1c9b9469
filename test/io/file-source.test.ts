import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileSource, type FileSource } from '../../src/io/file-source.ts';
import { CastWriter } from '../../src/record/cast-writer.ts';
import type { SourceStatus } from '../../src/io/source.ts';
import { poll } from '../helpers/poll.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hsmon-fs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LOG = new URL('../../recordings/tls12_gcm_debug4_ok.log', import.meta.url).pathname;

interface Captured {
  data: { bytes: Buffer; t: number | undefined; at: number }[];
  tx: string[];
  markers: string[];
  statuses: SourceStatus[];
  ended: Promise<void>;
}

async function play(src: FileSource): Promise<Captured> {
  let done!: () => void;
  const c: Captured = { data: [], tx: [], markers: [], statuses: [], ended: new Promise((r) => (done = r)) };
  const t0 = performance.now();
  await src.start({
    data: (b, t) => c.data.push({ bytes: Buffer.from(b), t, at: performance.now() - t0 }),
    tx: (b) => c.tx.push(Buffer.from(b).toString()),
    marker: (m) => c.markers.push(m),
    status: (s) => {
      c.statuses.push(s);
      if (s.state === 'ended' || s.state === 'error') done();
    },
  });
  return c;
}

describe('openFileSource: plain logs', () => {
  it('streams the file in chunks of at most 64 KiB, identical bytes, with progress', async () => {
    const progress: number[] = [];
    const src = await openFileSource(LOG, { onProgress: (p) => progress.push(p.bytesRead) });
    expect(src.format).toBe('text');
    const c = await play(src);
    await c.ended;
    const size = statSync(LOG).size;
    expect(Buffer.concat(c.data.map((d) => d.bytes)).equals(readFileSync(LOG))).toBe(true);
    expect(Math.max(...c.data.map((d) => d.bytes.length))).toBeLessThanOrEqual(64 * 1024);
    expect(c.data.length).toBe(Math.ceil(size / (64 * 1024)));
    expect(progress[progress.length - 1]).toBe(size);
    expect(c.statuses.map((s) => s.state)).toEqual(['open', 'ended']);
  });

  it.each([
    ['recordings/nope.log', 'cannot read recordings/nope.log: no such file'],
  ])('a missing file rejects with one line', async (path, msg) => {
    await expect(openFileSource(path)).rejects.toThrow(msg);
  });

  it('a directory rejects with one line', async () => {
    await expect(openFileSource(dir)).rejects.toThrow(`cannot read ${dir}: it is a directory`);
  });

  it('cannot be written to', async () => {
    const src = await openFileSource(LOG);
    await expect(src.write(new Uint8Array([1]))).rejects.toThrow('is a recording');
  });
});

describe('openFileSource: .cast recordings', () => {
  function cast(name: string, events: [number, 'rx' | 'tx' | 'mark', string][]): string {
    const path = join(dir, name);
    const w = new CastWriter(path);
    for (const [t, kind, text] of events) {
      if (kind === 'rx') w.rx(new TextEncoder().encode(text), t);
      else if (kind === 'tx') w.tx(new TextEncoder().encode(text), t);
      else w.marker(text, t);
    }
    w.close();
    return path;
  }

  it('replays with the recorded timing at 10x, with tx and markers', async () => {
    const path = cast('a.cast', [[0, 'rx', 'boot\r\n'], [1000, 'tx', 'retry\r\n'], [1500, 'mark', 'user mark'], [2000, 'rx', 'again\r\n']]);
    const src = await openFileSource(path, { speed: 10 });
    expect(src.format).toBe('cast');
    const c = await play(src);
    await c.ended;
    expect(c.data.map((d) => [d.bytes.toString(), d.t])).toEqual([['boot\r\n', 0], ['again\r\n', 2000]]);
    expect(c.tx).toEqual(['retry\r\n']);
    expect(c.markers).toEqual(['user mark']);
    // 2 s of recording at 10x is about 200 ms of wall time.
    expect(c.data[1]!.at).toBeGreaterThanOrEqual(180);
    expect(c.data[1]!.at).toBeLessThan(1000);
  });

  it('at max speed does not wait', async () => {
    const path = cast('b.cast', [[0, 'rx', 'a'], [60_000, 'rx', 'b']]);
    // Timers are faked and never advanced: a source that waited out the gap would never end.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const c = await play(await openFileSource(path, { speed: 'max' }));
      let ended = false;
      void c.ended.then(() => (ended = true));
      await poll('the end of the recording without waiting out its 60 s gap', () => ended, { timeoutMs: 5000, last: () => `${vi.getTimerCount()} timer(s) pending` });
      expect(c.data.map((d) => d.bytes.toString())).toEqual(['a', 'b']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('pause holds events back, step delivers one at a time, resume and setSpeed finish', async () => {
    const path = cast('c.cast', [[0, 'rx', 'one'], [10_000, 'rx', 'two'], [20_000, 'rx', 'three'], [600_000, 'rx', 'four']]);
    const src = await openFileSource(path, { speed: 1 });
    src.pause();
    expect(src.paused).toBe(true);
    const c = await play(src);
    expect(c.data).toHaveLength(0);
    src.step();
    await poll('the event one step delivers', () => c.data.length >= 1, { timeoutMs: 2000 });
    expect(c.data.map((d) => d.bytes.toString())).toEqual(['one']);
    src.step();
    // 10 s ahead in the recording, yet a step delivers it at once (well within the 2 s deadline).
    await poll('the next event, 10 s ahead, on the second step', () => c.data.length >= 2, { timeoutMs: 2000 });
    expect(c.data.map((d) => d.bytes.toString())).toEqual(['one', 'two']);
    src.setSpeed('max');
    src.resume();
    await c.ended;
    expect(c.data.map((d) => d.bytes.toString())).toEqual(['one', 'two', 'three', 'four']);
  });

  it('a recording with a broken line replays the rest and says which line it skipped (issue 15)', async () => {
    const path = join(dir, 'bad.cast');
    writeFileSync(path, '{"version": 2, "width": 80, "height": 24}\n[0, "o", "ok"]\nnot json\n[0.1, "o", "after"]\n');
    const warnings: string[] = [];
    const c = await play(await openFileSource(path, { onWarning: (m) => warnings.push(m) }));
    await c.ended;
    expect(c.data.map((d) => d.bytes.toString())).toEqual(['ok', 'after']);
    expect(c.statuses.at(-1)).toEqual({ state: 'ended' });
    expect(warnings).toEqual([`${path}: skipped 1 damaged line (line 3)`]);
  });
});

describe('errors of a replay (issue 15)', () => {
  it('an exception of the session is an internal error, never "cannot read FILE"', async () => {
    const path = join(dir, 'one.log');
    writeFileSync(path, 'ssl_tls.c:4528: |2| => handshake\n');
    const src = await openFileSource(path);
    const statuses: SourceStatus[] = [];
    let done!: () => void;
    const ended = new Promise<void>((r) => (done = r));
    await src.start({
      data: () => {
        throw new RangeError('Invalid time value');
      },
      status: (s) => {
        statuses.push(s);
        if (s.state === 'ended' || s.state === 'error') done();
      },
    });
    await ended;
    expect(statuses.at(-1)).toEqual({ state: 'error', detail: `internal error while replaying ${path}: Invalid time value (please report it with this file)` });
  });
});
