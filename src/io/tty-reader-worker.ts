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
 * up, writing and the modem lines, and never reads from it. The descriptor is read as a
 * tty.ReadStream: libuv's tty handle, woken by epoll on this thread's own loop (polling it with
 * non-blocking reads every 4 ms cost 4 % of a core on an idle port; this costs nothing).
 */
import { closeSync, constants, openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
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

/** After the main thread saw the device go: this long without bytes and what the tty held is read. */
const QUIET_MS = 5;
/** The recorder's longest hold of bytes in memory: what a kill -9 may lose. */
const FLUSH_MS = 50;

function run(port: NonNullable<typeof parentPort>): void {
  const post = (m: TtyReaderMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  let stream: ReadStream | null = null;
  /** Set while the port is being read to its end after the main thread saw the device go. */
  let ending: { reason: string; timer: NodeJS.Timeout } | null = null;
  /** Bytes read before the main thread said whether to record (undefined: not said yet). */
  let held: Uint8Array[] = [];
  let writer: CastWriter | null | undefined;
  let lines: LineRedaction | null = null;

  const record = (bytes: Uint8Array): void => {
    // A copy: the chunk itself is handed over (transferred) to the main thread next.
    if (writer === undefined) return void held.push(bytes.slice());
    if (!writer) return;
    writer.rx(bytes);
    lines?.push(bytes);
  };

  const stopReading = (): void => {
    if (ending) clearTimeout(ending.timer);
    ending = null;
    const st = stream;
    stream = null;
    if (st) {
      st.removeAllListeners();
      st.on('error', () => undefined); // a late error of the dead device
      st.destroy();
    }
  };

  const lost = (reason: string): void => {
    stopReading();
    post({ type: 'lost', reason });
  };

  const startReading = (path: string): void => {
    stopReading();
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
    } catch (err) {
      return post({ type: 'lost', reason: (err as Error).message });
    }
    let st: ReadStream;
    try {
      st = new ReadStream(fd);
    } catch (err) {
      closeSync(fd);
      return post({ type: 'lost', reason: (err as Error).message });
    }
    stream = st;
    st.on('data', (chunk: Buffer) => {
      if (stream !== st) return;
      const bytes = new Uint8Array(chunk.length);
      bytes.set(chunk);
      record(bytes);
      post({ type: 'data', bytes }, [bytes.buffer]);
      if (ending) ending.timer.refresh();
    });
    // A tty that hung up (a pty whose other end closed, an unplugged USB device) reads as EOF or EIO.
    st.on('end', () => stream === st && lost('the device hung up'));
    st.on('error', (err: NodeJS.ErrnoException) => stream === st && lost(err.code ? `${err.code}: ${err.message}` : err.message));
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
          const redaction = r.redact ? new LineRedaction(r.redactPatterns, (text) => w.line(text)) : null;
          const w: CastWriter = new CastWriter(r.path, {
            title: r.title, source: r.source, baud: r.baud, flushMs: FLUSH_MS,
            // Disk full or an I/O error: the file keeps every complete event before it.
            onError: () => post({ type: 'record-failed', detail: w.failure ?? 'write failed' }),
            ...(redaction ? { shown: { partial: () => redaction.partial(), counts: () => redaction.counts() } } : { redacted: false }),
          });
          lines = redaction;
          writer = w;
        } catch (err) {
          writer = null;
          lines = null;
          return post({ type: 'recording', error: (err as Error).message });
        }
        for (const b of held.splice(0)) record(b);
        return post({ type: 'recording', error: null });
      }
      case 'read':
        return startReading(m.path);
      case 'stop':
        return stopReading();
      case 'end':
        // The main thread saw the device go (its node vanished): what the tty still holds was
        // sent before that, so it is read first (a pty whose other end closed still gives it).
        if (!stream || ending) return;
        ending = { reason: m.reason, timer: setTimeout(() => lost(m.reason), QUIET_MS) };
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
