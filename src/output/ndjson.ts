/**
 * NDJSON to a stream: one JSON object per line, batched so that a 64 MB replay is not
 * a million small writes, and respectful of back-pressure (a slow `| jq` pauses the source).
 */
import type { Writable } from 'node:stream';

export class NdjsonWriter {
  private buf: string[] = [];
  private size = 0;
  private closed = false;
  private scheduled = false;

  constructor(
    private readonly out: Writable,
    private readonly batchBytes = 64 * 1024,
  ) {
    // A reader that went away (`| head`) is not an error worth a stack trace.
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
    });
  }

  write(obj: unknown): void {
    if (this.closed) return;
    // JSON.stringify gives undefined for undefined (its types say string): printed as before.
    const s: string = (JSON.stringify(obj) as string | undefined) ?? 'undefined';
    this.buf.push(s);
    this.size += s.length + 1;
    if (this.size >= this.batchBytes) this.flush();
    else if (!this.scheduled) {
      // Live sessions: what a chunk produced goes out as soon as the chunk is processed.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** True when the stream asked us to wait (drain) before writing more. */
  flush(): boolean {
    if (this.buf.length === 0 || this.closed) return false;
    // The newlines go in with the join: one string fewer per event.
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    return !this.out.write(chunk);
  }

  /**
   * null while the stream keeps up; else a promise that resolves once it drained (or closed).
   * A producer that does not wait for this fills memory with output a slow reader has not
   * taken yet, as much as it produces.
   */
  backedUp(): Promise<void> | null {
    if (this.closed || !this.out.writableNeedDrain) return null;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
  }

  /** Resolves once the stream has taken everything written so far. */
  async drain(): Promise<void> {
    const full = this.flush();
    if (full && !this.closed) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }
}
