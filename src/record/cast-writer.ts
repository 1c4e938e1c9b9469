import { closeSync, ftruncateSync, writeSync } from 'node:fs';
import { encodeEventText, type CastHeader } from './cast-format.ts';
import { openPrivate } from './private-files.ts';

export interface CastWriterOptions {
  width?: number;
  height?: number;
  title?: string;
  env?: Record<string, string>;
  /** Unix seconds of the start (header `timestamp`). */
  timestamp?: number;
  /** What was recorded, e.g. `/dev/ttyACM0`; stored in the header's `hsmon` field. */
  source?: string;
  baud?: number;
  /**
   * The session's redaction (the same state that redacts every other view): device output is
   * then recorded as the session shows it, line by line (`line`), instead of as raw bytes
   * (`rx`). `partial` is the part of the unfinished line that may be shown now (the redactor
   * decides, so chunk timing never decides what reaches the file); `counts` what was hidden,
   * kept current in the header.
   */
  shown?: { partial: () => string; counts: () => Record<string, number> };
  /** false: the user asked for --no-redact, and the header says so. */
  redacted?: boolean;
  /**
   * Gone: a redactor of the writer's own decided by chunk timing what reached the file. Use
   * `shown` (the session's redaction). `never` so that a caller still passing it fails to compile.
   */
  redact?: never;
  /** Longest time bytes stay in memory before they reach the file (default 100 ms). */
  flushMs?: number;
  /** Clock in ms (default performance.now); tests pass their own. */
  now?: () => number;
  /**
   * Called once when a write fails (disk full, I/O error): the writer has stopped, the file ends
   * with its last complete event, and every later call is a no-op. Without it the error is thrown.
   */
  onError?: (err: Error) => void;
  /** The write call (tests inject ENOSPC here; default fs.writeSync). */
  write?: (fd: number, data: Uint8Array) => number;
}

/** Room kept in the header line for the redaction counts, rewritten in place as they change. */
const HEADER_ROOM = 160;

/**
 * Writes an asciicast v2 file as bytes arrive. Lines are collected in memory and written with
 * writeSync at least every `flushMs`, so a kill -9 loses at most that much; the kernel owns
 * everything written before.
 */
export class CastWriter {
  readonly path: string;
  private fd: number | null;
  private readonly start: number;
  private readonly now: () => number;
  private readonly shown: CastWriterOptions['shown'];
  private readonly flushMs: number;
  private out: string[] = [];
  private outLength = 0;
  /** Clock time of the oldest event in `out`. */
  private oldest = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Shown mode: the part of the unfinished line already written. */
  private released = '';
  private readonly header: CastHeader;
  private headerLength = 0;
  private countsJson = '';
  private bytesIn = 0;
  private bytesOut = 0;
  /** Bytes of the file that hold whole lines: what it is cut back to when a write fails. */
  private good = 0;
  private readonly onError: ((err: Error) => void) | undefined;
  private readonly writeFn: (fd: number, data: Uint8Array) => number;
  /** Why recording stopped early (null while it works). */
  failure: string | null = null;

  constructor(path: string, options: CastWriterOptions = {}) {
    this.path = path;
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.shown = options.shown;
    this.flushMs = options.flushMs ?? 100;
    this.onError = options.onError;
    this.writeFn = options.write ?? ((fd, data) => writeSync(fd, data));
    // 0600 from the first byte, in a 0700 folder: a recording is what users attach to bug reports, and it holds the device's output.
    this.fd = openPrivate(path);
    const header: CastHeader = {
      version: 2,
      width: options.width ?? 120,
      height: options.height ?? 40,
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      ...(options.title !== undefined ? { title: options.title } : {}),
      env: options.env ?? { TERM: 'xterm-256color', SHELL: '/bin/sh' },
      hsmon: {
        version: 1,
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.baud !== undefined ? { baud: options.baud } : {}),
        ...(options.shown ? { redacted: true, redactions: options.shown.counts() } : options.redacted === false ? { redacted: false } : {}),
      },
    };
    this.header = header;
    const text = JSON.stringify(header);
    this.headerLength = text.length + (options.shown ? HEADER_ROOM : 0);
    this.countsJson = JSON.stringify(header.hsmon?.redactions ?? null);
    this.writeAll(text.padEnd(this.headerLength) + '\n');
  }

  /** A line of device output as the session shows it (redacted); shown mode only. */
  line(text: string, tMs?: number): void {
    if (this.fd === null) return;
    const t = this.time(tMs);
    const released = this.released;
    this.released = '';
    this.bytesIn += text.length + 2;
    if (!released) this.push(t, 'o', `${text}\r\n`);
    else if (text.startsWith(released)) this.push(t, 'o', `${text.slice(released.length)}\r\n`);
    // The redaction of the whole line changed what was written of it: start the line again.
    else this.push(t, 'o', `\r\n${text}\r\n`);
  }

  /** Bytes received from the device. `tMs`: ms since the recording started (default: now). */
  rx(bytes: Uint8Array, tMs?: number): void {
    this.bytesIn += bytes.length;
    this.data('o', bytes, tMs);
  }

  /** Bytes sent to the device. */
  tx(bytes: Uint8Array, tMs?: number): void {
    this.bytesOut += bytes.length;
    this.data('i', bytes, tMs);
  }

  /** A marker: `reconnected /dev/ttyACM0`, a user's mark. */
  marker(label: string, tMs?: number): void {
    this.push(this.time(tMs), 'm', label);
  }

  get counts(): { bytesIn: number; bytesOut: number } {
    return { bytesIn: this.bytesIn, bytesOut: this.bytesOut };
  }

  /** Writes everything held in memory, and of an unfinished line what the redaction allows. */
  flush(): void {
    this.releasePartial();
    this.writeOut();
    this.updateHeader();
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    if (this.fd === null) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    closeSync(this.fd);
    this.fd = null;
  }

  private time(tMs: number | undefined): number {
    return tMs ?? this.now() - this.start;
  }

  private data(type: 'o' | 'i', bytes: Uint8Array, tMs: number | undefined): void {
    if (this.fd === null || bytes.length === 0) return;
    // In shown mode device output comes as lines (`line`): raw bytes would bypass the redaction.
    if (this.shown && type === 'o') {
      this.arm(); // …but an unfinished line may be partly written when the timer fires
      return;
    }
    this.event(this.time(tMs), type, bytes);
  }

  /** Shown mode: the part of the unfinished line the redaction allows, once. */
  private releasePartial(): void {
    if (!this.shown || this.fd === null) return;
    const safe = this.shown.partial();
    if (safe.length > this.released.length && safe.startsWith(this.released)) {
      this.push(this.time(undefined), 'o', safe.slice(this.released.length));
      this.released = safe;
    }
  }

  /** Shown mode: the header's redaction counts, rewritten in place (its line has room for them). */
  private updateHeader(): void {
    if (!this.shown || this.fd === null) return;
    const counts = this.shown.counts();
    const json = JSON.stringify(counts);
    if (json === this.countsJson) return;
    const text = JSON.stringify({ ...this.header, hsmon: { ...this.header.hsmon, redactions: counts } });
    if (text.length > this.headerLength) return;
    this.countsJson = json;
    try {
      writeSync(this.fd, text.padEnd(this.headerLength), 0);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private event(tMs: number, type: 'o' | 'i', bytes: Uint8Array): void {
    const { text, needsRaw } = encodeEventText(bytes);
    this.push(tMs, type, text);
    if (needsRaw) this.push(tMs, 'x', Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'));
  }

  private push(tMs: number, type: string, text: string): void {
    if (this.fd === null) return;
    const line = `[${(Math.max(0, tMs) / 1000).toFixed(6)}, ${JSON.stringify(type)}, ${JSON.stringify(text)}]\n`;
    if (this.out.length === 0) this.oldest = this.now();
    this.out.push(line);
    this.outLength += line.length;
    // Checked on every event too, not only by the timer: a busy event loop (the TUI rendering
    // a flood) fires timers late, and what waits in memory is what a kill -9 loses.
    if (this.outLength >= 256 * 1024 || this.now() - this.oldest >= this.flushMs) this.writeOut();
    else this.arm();
  }

  private arm(): void {
    if (this.timer || this.fd === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
      // An unfinished line may become safe to show later (the redactor learns more): look again.
      if (this.shown && this.shown.partial().length > this.released.length) this.arm();
    }, this.flushMs);
    this.timer.unref?.();
  }

  private writeOut(): void {
    if (this.fd === null || this.out.length === 0) return;
    const text = this.out.join('');
    this.out = [];
    this.outLength = 0;
    this.writeAll(text);
  }

  /**
   * Writes whole lines. A short write is continued; a failed one (ENOSPC, EIO) cuts the file back
   * to its last whole line, closes it and stops the writer: the recording stays a valid .cast of
   * everything before, and the monitor goes on without it.
   */
  private writeAll(text: string): void {
    if (this.fd === null) return;
    const data = Buffer.from(text, 'utf8');
    try {
      for (let off = 0; off < data.length; ) off += this.writeFn(this.fd, data.subarray(off));
      this.good += data.length;
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private fail(err: Error): void {
    const fd = this.fd;
    this.fd = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.out = [];
    this.outLength = 0;
    this.released = '';
    const code = (err as NodeJS.ErrnoException).code;
    this.failure = code === 'ENOSPC' ? 'disk full (ENOSPC)' : code ? `${code}: ${err.message}` : err.message;
    if (fd !== null) {
      // Freeing the cut line's blocks works on a full disk; if even that fails, a reader skips it.
      try { ftruncateSync(fd, this.good); } catch { /* the reader skips a cut last line */ }
      try { closeSync(fd); } catch { /* already stopped: nothing more to lose */ }
    }
    if (!this.onError) throw err;
    this.onError(err);
  }
}
