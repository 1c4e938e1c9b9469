/**
 * The main thread's handle on the tty reader (tty-reader-worker.ts): a worker thread that
 * reads the serial port and writes the recording, so that neither waits for the UI. The
 * serial source (serial.ts) tells it which device node to read and hears from it what was read
 * and when the device went away; the monitor tells it what to record.
 */
import { Worker } from 'node:worker_threads';
import { packagePath } from './package-path.ts';
import type { TtyReaderMessage, TtyReaderRequest, TtyRecording } from './tty-reader-worker.ts';

export type { TtyRecording } from './tty-reader-worker.ts';

/** What serial.ts needs of a reader: read this device node, stop. */
export interface PortReader {
  read(path: string, onData: (chunk: Buffer) => void, onLost: (err: Error) => void): void;
  /** The device is gone (seen another way): read what is left, then report it lost for `reason`. */
  end(reason: string): void;
  stop(): void;
}

export class TtyReader implements PortReader {
  private onData: ((chunk: Buffer) => void) | null = null;
  private onLost: ((err: Error) => void) | null = null;
  private waiting = new Map<string, (m: TtyReaderMessage) => void>();
  private exited = false;
  private closing = false;
  /** Why the thread ended, when it did by itself. */
  private failure: string | null = null;
  /** Called when a write to the recording failed (disk full): it has stopped, the monitor goes on. */
  onRecordingFailed: (detail: string) => void = () => undefined;
  /**
   * Called once when the thread itself died (hsmon's own fault, never the device's): nothing is
   * read or recorded any more. The monitor says so (status error, stderr); no reconnect follows.
   */
  onFailed: (why: string) => void = () => undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: TtyReaderMessage) => {
      if (m.type === 'data') this.onData?.(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length));
      else if (m.type === 'lost') {
        const lost = this.onLost;
        this.onData = this.onLost = null;
        lost?.(new Error(m.reason));
      } else if (m.type === 'record-failed') this.onRecordingFailed(m.detail);
      const w = this.waiting.get(m.type);
      if (w) {
        this.waiting.delete(m.type);
        w(m);
      }
    });
    const gone = (why: string): void => {
      if (this.exited) return;
      this.exited = true;
      this.failure = why;
      this.onData = this.onLost = null;
      for (const w of this.waiting.values()) w({ type: 'closed' });
      this.waiting.clear();
      if (!this.closing) this.onFailed(why);
    };
    worker.on('error', (err) => gone(`the port reader failed: ${err.message}`));
    worker.on('exit', (code) => gone(`the port reader stopped (exit code ${code})`));
  }

  /**
   * Starts the worker; resolves once it has loaded and can read. `script`: the worker's file
   * (tests give one that fails); bin/tty-reader-worker.js loads the build, or the sources, in
   * the worker (the main thread's loader is not inherited).
   */
  static async start(script: string | URL = packagePath('bin', 'tty-reader-worker.js')): Promise<TtyReader> {
    const worker = new Worker(script, { stdout: false, stderr: false });
    const reader = new TtyReader(worker);
    const m = await reader.request(null, 'ready');
    if (m.type !== 'ready') throw new Error(`the port reader did not start: ${reader.failure ?? 'it ended'}`);
    return reader;
  }

  /** Where the bytes go: a recording, or none. Resolves with why it could not be created, or null. */
  async record(recording: TtyRecording | null): Promise<string | null> {
    const m = await this.request({ type: 'record', recording }, 'recording');
    return m.type === 'recording' ? m.error : 'the port reader stopped';
  }

  read(path: string, onData: (chunk: Buffer) => void, onLost: (err: Error) => void): void {
    this.onData = onData;
    this.onLost = onLost;
    this.post({ type: 'read', path });
  }

  end(reason: string): void {
    this.post({ type: 'end', reason });
  }

  /** Stops reading. Bytes already read and on their way are still delivered: the device sent them. */
  stop(): void {
    this.onLost = null;
    this.post({ type: 'stop' });
  }

  /** Bytes sent to the device, for the recording. */
  tx(bytes: Uint8Array): void {
    this.post({ type: 'tx', bytes: Uint8Array.prototype.slice.call(bytes) });
  }

  /** A marker in the recording; a disconnect first ends the line the device was printing. */
  marker(label: string): void {
    this.post({ type: 'marker', label, breakLine: label.startsWith('serial disconnected') });
  }

  /** Stops reading, writes what the recording holds, closes it and ends the worker. */
  async close(): Promise<void> {
    this.closing = true;
    this.onData = this.onLost = null;
    if (!this.exited) await this.request({ type: 'close' }, 'closed');
    await this.worker.terminate();
  }

  private post(m: TtyReaderRequest): void {
    if (!this.exited) this.worker.postMessage(m);
  }

  private request(m: TtyReaderRequest | null, answer: TtyReaderMessage['type']): Promise<TtyReaderMessage> {
    return new Promise((resolve) => {
      if (this.exited) return resolve({ type: 'closed' });
      this.waiting.set(answer, resolve);
      if (m) this.worker.postMessage(m);
    });
  }
}
