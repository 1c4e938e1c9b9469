import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeEventText, type CastHeader } from './cast-format.ts';

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
   * Redaction of device text (secrets): called with whole lines. The writer holds back an
   * incomplete trailing line for at most `flushMs`, then passes it on as it is.
   */
  redact?: (text: string) => string;
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

type Pending = { t: number; type: 'o' | 'i'; bytes: Uint8Array[]; length: number };

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

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
  private readonly redact: ((text: string) => string) | undefined;
  private readonly flushMs: number;
  private out: string[] = [];
  private outLength = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Redaction only: the unfinished last line, per direction. */
  private held: { o: Pending | null; i: Pending | null } = { o: null, i: null };
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
    this.redact = options.redact;
    this.flushMs = options.flushMs ?? 100;
    this.onError = options.onError;
    this.writeFn = options.write ?? ((fd, data) => writeSync(fd, data));
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
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
        ...(options.redact ? { redacted: true } : {}),
      },
    };
    this.writeAll(JSON.stringify(header) + '\n');
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
    this.releaseHeld();
    this.push(this.time(tMs), 'm', label);
  }

  get counts(): { bytesIn: number; bytesOut: number } {
    return { bytesIn: this.bytesIn, bytesOut: this.bytesOut };
  }

  /** Writes everything held in memory, including an unfinished line. */
  flush(): void {
    this.releaseHeld();
    this.writeOut();
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
    const t = this.time(tMs);
    if (!this.redact) {
      this.event(t, type, bytes);
      return;
    }
    const held = this.held[type];
    const cur: Pending = held ?? { t, type, bytes: [], length: 0 };
    cur.bytes.push(bytes);
    cur.length += bytes.length;
    const all = concat(cur.bytes, cur.length);
    const lastNl = all.lastIndexOf(0x0a);
    if (lastNl === -1) {
      this.held[type] = { ...cur, bytes: [all] };
    } else {
      this.event(cur.t, type, all.subarray(0, lastNl + 1));
      const rest = all.slice(lastNl + 1);
      this.held[type] = rest.length > 0 ? { t, type, bytes: [rest], length: rest.length } : null;
    }
    this.arm();
  }

  private releaseHeld(): void {
    for (const type of ['o', 'i'] as const) {
      const h = this.held[type];
      if (h) {
        this.held[type] = null;
        this.event(h.t, type, concat(h.bytes, h.length));
      }
    }
  }

  private event(tMs: number, type: 'o' | 'i', bytes: Uint8Array): void {
    const { text, needsRaw } = encodeEventText(bytes);
    if (this.redact) {
      const redacted = this.redactLines(text);
      // Redacted bytes must not come back through the raw copy.
      if (redacted !== text || !needsRaw) {
        this.push(tMs, type, redacted);
        return;
      }
    }
    this.push(tMs, type, text);
    if (needsRaw) this.push(tMs, 'x', Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'));
  }

  /** The hook is line-based (a secret dump spans rows): one call per line, terminators kept out. */
  private redactLines(text: string): string {
    const redact = this.redact!;
    return text
      .split(/(?<=\n)/)
      .map((line) => {
        const term = /\r?\n$/.exec(line)?.[0] ?? '';
        return redact(line.slice(0, line.length - term.length)) + term;
      })
      .join('');
  }

  private push(tMs: number, type: string, text: string): void {
    if (this.fd === null) return;
    const line = `[${(Math.max(0, tMs) / 1000).toFixed(6)}, ${JSON.stringify(type)}, ${JSON.stringify(text)}]\n`;
    this.out.push(line);
    this.outLength += line.length;
    if (this.outLength >= 256 * 1024) this.writeOut();
    else this.arm();
  }

  private arm(): void {
    if (this.timer || this.fd === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
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
    this.held = { o: null, i: null };
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
