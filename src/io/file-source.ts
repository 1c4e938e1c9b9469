import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { DamageTally, readCast } from '../record/cast-reader.ts';
import { isCastHeader, type CastEvent } from '../record/cast-format.ts';
import type { Source, SourceHandlers } from './source.ts';
import { fileErrorReason } from './file-error-reason.ts';

export type ReplaySpeed = number | 'max';

export interface FileSourceOptions {
  /** 1 = real time, 10 = ten times faster, 'max' = as fast as the session takes it. Plain logs have no timing. */
  speed?: ReplaySpeed;
  onProgress?: (p: { bytesRead: number; totalBytes: number }) => void;
  /** Plain logs are delivered in chunks of this size (default 64 KiB). */
  chunkSize?: number;
  /** Once, at the end of a damaged recording: how many lines were skipped or retimed, and where. */
  onWarning?: (message: string) => void;
}

/** An exception thrown by whoever took the bytes (the session), not by reading the file. */
class HandlerError extends Error {}

/** Runs a handler; what it throws is marked as the pipeline's, so it is never called a read error. */
function handled(f: () => void): void {
  try {
    f();
  } catch (err) {
    throw new HandlerError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

export interface FileSource extends Source {
  readonly format: 'cast' | 'text';
  readonly totalBytes: number;
  pause(): void;
  resume(): void;
  setSpeed(speed: ReplaySpeed): void;
  /** While paused: deliver the next event now and stay paused. */
  step(): void;
  readonly paused: boolean;
}


/** Whether the first line of a file is an asciicast v2 header. */
async function sniffCast(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const nl = text.indexOf('\n');
    const first = nl === -1 ? text : text.slice(0, nl);
    if (!first.trimStart().startsWith('{')) return false;
    try {
      return isCastHeader(JSON.parse(first));
    } catch {
      return false;
    }
  } finally {
    await fh.close();
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Replays a file: hsmon's .cast recordings with their timing, or a plain text log (no timing,
 * streamed in 64 KiB chunks so a large file never sits in memory whole).
 * Rejects with one line (`cannot read x.log: no such file`) when the file cannot be read.
 */
export async function openFileSource(path: string, options: FileSourceOptions = {}): Promise<FileSource> {
  let totalBytes: number;
  let format: 'cast' | 'text';
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    totalBytes = st.size;
    format = (await sniffCast(path)) ? 'cast' : 'text';
  } catch (err) {
    throw new Error(`cannot read ${path}: ${fileErrorReason(err)}`);
  }

  let speed: ReplaySpeed = options.speed ?? 'max';
  const currentSpeed = (): ReplaySpeed => speed;
  let paused = false;
  let steps = 0;
  let stopped = false;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  /** Waits until woken (resume/step/setSpeed/close) or `ms` passed. */
  const nap = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = ms === Infinity ? null : setTimeout(() => { wake = null; resolve(); }, ms);
      wake = () => { if (timer) clearTimeout(timer); resolve(); };
    });
  /** Blocks while paused; returns true when a step lets exactly one event through. */
  const gate = async (): Promise<boolean> => {
    while (paused && !stopped) {
      if (steps > 0) {
        steps -= 1;
        return true;
      }
      await nap(Infinity);
    }
    return false;
  };
  const progress = (bytesRead: number): void => options.onProgress?.({ bytesRead: Math.min(bytesRead, totalBytes), totalBytes });

  const playText = async (h: SourceHandlers): Promise<void> => {
    const size = options.chunkSize ?? 64 * 1024;
    // Read ahead in blocks of 256 KiB (a quarter of the trips to the thread pool, during which
    // the main thread waited) and hand them out chunk by chunk: the session sees the same chunks.
    // Larger blocks were no faster and raised the peak RSS.
    const stream = createReadStream(path, { highWaterMark: size * Math.max(1, Math.floor((256 * 1024) / size)) });
    let read = 0;
    try {
      outer: for await (const block of stream as AsyncIterable<Buffer>) {
        for (let o = 0; o < block.length; o += size) {
          if (stopped) break outer;
          await gate();
          if (stopped) break outer;
          const n = Math.min(size, block.length - o);
          read += n;
          handled(() => h.data(new Uint8Array(block.buffer, block.byteOffset + o, n)));
          progress(read);
          await tick(); // let the UI, timers and SIGINT run between chunks
        }
      }
    } finally {
      stream.destroy();
    }
  };

  const playCast = async (h: SourceHandlers): Promise<void> => {
    const damage = new DamageTally();
    try {
      await playEvents(h, readCast(path, { onProgress: progress, onDamaged: damage.onDamaged }));
    } finally {
      const warning = damage.describe(path);
      if (warning !== null) options.onWarning?.(warning);
    }
  };

  const playEvents = async (h: SourceHandlers, events: AsyncIterable<CastEvent>): Promise<void> => {
    // The position in the recording (seconds) advances at `speed` while playing.
    let pos = 0;
    let n = 0;
    for await (const ev of events) {
      if (stopped) break;
      let stepped = false;
      while (!stopped && pos < ev.t) {
        if (paused) {
          stepped = await gate();
          if (stepped) break;
          continue;
        }
        if (speed === 'max') break;
        const wallMs = Math.min(((ev.t - pos) * 1000) / speed, 100);
        const before = performance.now();
        await nap(wallMs);
        // setSpeed may have changed the speed during the nap: read it again.
        const now = currentSpeed();
        if (!paused && now !== 'max') pos += ((performance.now() - before) / 1000) * now;
      }
      if (stopped) break;
      if (!stepped && paused) stepped = await gate();
      if (stopped) break;
      pos = Math.max(pos, ev.t);
      const tMs = ev.t * 1000;
      if (ev.type === 'o') handled(() => h.data(ev.bytes, tMs));
      else if (ev.type === 'i') handled(() => h.tx?.(ev.bytes, tMs));
      else if (ev.type === 'm') handled(() => h.marker?.(ev.text, tMs));
      n += 1;
      if (speed === 'max' && n % 256 === 0) await tick();
    }
  };

  return {
    name: path,
    format,
    totalBytes,
    get paused() {
      return paused;
    },
    async start(h: SourceHandlers): Promise<void> {
      h.status({ state: 'open' });
      // Playback runs on its own; start returns once it is under way.
      void (async () => {
        try {
          if (format === 'cast') await playCast(h);
          else await playText(h);
          if (!stopped) h.status({ state: 'ended' });
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          if (stopped) return;
          // A read error names the file; an exception of the session is hsmon's own fault.
          if (err instanceof HandlerError) h.status({ state: 'error', detail: `internal error while replaying ${path}: ${msg} (please report it with this file)` });
          else h.status({ state: 'error', detail: `cannot read ${path}: ${msg}` });
        }
      })();
    },
    write(): Promise<void> {
      return Promise.reject(new Error(`${path} is a recording: it cannot receive bytes`));
    },
    async close(): Promise<void> {
      stopped = true;
      poke();
    },
    pause(): void {
      paused = true;
    },
    resume(): void {
      paused = false;
      poke();
    },
    setSpeed(s: ReplaySpeed): void {
      speed = s;
      poke();
    },
    step(): void {
      if (!paused) return;
      steps += 1;
      poke();
    },
  };
}
