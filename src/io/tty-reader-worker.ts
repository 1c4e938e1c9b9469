/**
 * Worker thread of `hsmon monitor` (tty-reader.ts): reads the serial port and writes the
 * recording, whatever the main thread is doing. The interactive monitor's main thread renders
 * with Ink; on a busy machine a render of a flood took long enough that the device's bytes
 * waited in the kernel's tty buffer (or in memory) for up to 1.7 s, and a kill -9 lost them.
 * Here each chunk is recorded as it is read (the recorder writes within FLUSH_MS) and then
 * posted to the main thread, which may take it whenever it can.
 *
 * It reads its own descriptor of the device rather than serialport's: serialport's poller is
 * registered on the main thread's event loop (bindings-cpp poller.cpp: uv_default_loop()), so it
 * cannot run on a worker. The main thread keeps serialport for opening and setting the line
 * up, writing and the modem lines, and never reads from it. The descriptor is non-blocking
 * and read until it is empty, then again after POLL_MS (a blocking read could not be
 * interrupted to stop or to take a message).
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { CastWriter } from '../record/cast-writer.ts';
import { LineRedaction } from '../record/line-redaction.ts';

/** How a recording is made: as the session shows it (redacted) or raw with --no-redact. */
export interface TtyRecording {
  path: string;
  title: string;
  source: string;
  baud: number;
  redact: boolean;
  redactPatterns: readonly string[];
}

/** Main thread to worker. */
export type TtyReaderRequest =
  | { type: 'record'; recording: TtyRecording | null }
  | { type: 'read'; path: string }
  | { type: 'stop' }
  | { type: 'end'; reason: string }
  | { type: 'tx'; bytes: Uint8Array }
  | { type: 'marker'; label: string; breakLine: boolean }
  | { type: 'close' };

/** Worker to main thread. */
export type TtyReaderMessage =
  | { type: 'ready' }
  | { type: 'recording'; error: string | null }
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'lost'; reason: string }
  | { type: 'record-failed'; detail: string }
  | { type: 'closed' };

/** An empty port is looked at again this often: the most a byte waits before it is read. */
const POLL_MS = 4;
/** The recorder's longest hold of bytes in memory: what a kill -9 may lose. */
const FLUSH_MS = 50;
const READ_SIZE = 64 * 1024;

function run(port: NonNullable<typeof parentPort>): void {
  const post = (m: TtyReaderMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  let fd: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** Which read loop is current: a stop or a new read ends the older one. */
  let generation = 0;
  /** Bytes read before the main thread said whether to record (undefined: not said yet). */
  let held: Uint8Array[] = [];
  let writer: CastWriter | null | undefined;
  let lines: LineRedaction | null = null;
  const buf = Buffer.allocUnsafe(READ_SIZE);

  const record = (bytes: Uint8Array): void => {
    // A copy: the chunk itself is handed over (transferred) to the main thread next.
    if (writer === undefined) return void held.push(bytes.slice());
    if (!writer) return;
    writer.rx(bytes);
    lines?.push(bytes);
  };

  const stopReading = (): void => {
    generation++;
    if (timer) clearTimeout(timer);
    timer = null;
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // the device took the descriptor with it
      }
    }
    fd = null;
  };

  /** Reads what the tty holds until it is empty (true) or the device is gone (false, reported). */
  const drain = (): boolean => {
    while (fd !== null) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return true;
        stopReading();
        post({ type: 'lost', reason: code ? `${code}: ${(err as Error).message}` : (err as Error).message });
        return false;
      }
      // A tty that hung up reads as end of file.
      if (n === 0) {
        stopReading();
        post({ type: 'lost', reason: 'the device hung up' });
        return false;
      }
      const bytes = new Uint8Array(n);
      bytes.set(buf.subarray(0, n));
      record(bytes);
      post({ type: 'data', bytes }, [bytes.buffer]);
      if (n < buf.length) return true;
    }
    return false;
  };

  const readLoop = (gen: number): void => {
    timer = null;
    if (gen !== generation || fd === null) return;
    if (drain()) timer = setTimeout(() => readLoop(gen), POLL_MS);
  };

  port.on('message', (m: TtyReaderRequest) => {
    switch (m.type) {
      case 'record': {
        const r = m.recording;
        if (!r) {
          writer = null;
          held = [];
          return post({ type: 'recording', error: null });
        }
        try {
          lines = r.redact ? new LineRedaction(r.redactPatterns, (text) => w.line(text)) : null;
          const w: CastWriter = new CastWriter(r.path, {
            title: r.title, source: r.source, baud: r.baud, flushMs: FLUSH_MS,
            // Disk full or an I/O error: the file keeps every complete event before it.
            onError: () => post({ type: 'record-failed', detail: w.failure ?? 'write failed' }),
            ...(lines ? { shown: { partial: () => lines!.partial(), counts: () => lines!.counts() } } : { redacted: false }),
          });
          writer = w;
        } catch (err) {
          writer = null;
          lines = null;
          return post({ type: 'recording', error: (err as Error).message });
        }
        for (const b of held.splice(0)) record(b);
        return post({ type: 'recording', error: null });
      }
      case 'read': {
        stopReading();
        try {
          fd = openSync(m.path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
        } catch (err) {
          return post({ type: 'lost', reason: (err as Error).message });
        }
        const gen = generation;
        return readLoop(gen);
      }
      case 'stop':
        return stopReading();
      case 'end':
        // The main thread saw the device go (its node vanished): what the tty still holds was
        // sent before that, so it is read first (a pty whose other end closed still gives it).
        if (fd === null) return;
        if (drain()) {
          stopReading();
          post({ type: 'lost', reason: m.reason });
        }
        return;
      case 'tx':
        return void writer?.tx(m.bytes);
      case 'marker':
        // The line the device was printing when it vanished ends there (Session.breakLine).
        if (m.breakLine) lines?.breakLine();
        return void writer?.marker(m.label);
      case 'close':
        stopReading();
        writer?.close();
        writer = null;
        return post({ type: 'closed' });
    }
  });
  post({ type: 'ready' });
}

// Loaded through tsx's CommonJS hook (bin/tty-reader-worker.js): no top-level await here.
if (parentPort) run(parentPort);
