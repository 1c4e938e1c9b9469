import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { Source, SourceHandlers } from './source.ts';
import { explainOpenError, isBusyError } from './open-error.ts';
import { preRead as defaultPreRead, type PreRead } from './tty-preread.ts';
import { watchDevicePaths, type DeviceWatch } from './device-watch.ts';
import { noFlushOpenRate, setExactRate } from './exact-baud.ts';
import type { PortReader } from './tty-reader.ts';

export { explainOpenError, findHolders } from './open-error.ts';

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

/** What openSerialSource hands to the port factory (serialport's own open options). */
export interface PortOpenOptions {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: Parity;
  stopBits: 1 | 1.5 | 2;
  rtscts: boolean;
  xon: boolean;
  xoff: boolean;
  hupcl: boolean;
  autoOpen: false;
}

/** The part of a serialport stream this source uses; SerialPort and SerialPortMock both fit. */
export interface SerialPortLike {
  open(cb: (err: Error | null) => void): void;
  close(cb?: (err: Error | null) => void): void;
  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean;
  drain(cb: (err: Error | null) => void): void;
  set(options: { dtr?: boolean; rts?: boolean }, cb: (err: Error | null) => void): void;
  update(options: { baudRate: number }, cb: (err: Error | null | undefined) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(): this;
  readonly isOpen: boolean;
}

export interface SerialOptions {
  path: string;
  baud?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: Parity;
  stopBits?: 1 | 1.5 | 2;
  /** Hardware flow control (RTS/CTS). */
  rtscts?: boolean;
  /** Software flow control (XON/XOFF) both ways. */
  xonxoff?: boolean;
  /** Reopen the same device when it vanishes and comes back (default true). */
  reconnect?: boolean;
  /** How often to look for the device while it is gone, besides watching its folder. Default 20 ms. */
  pollMs?: number;
  /** Test seam: builds the port (default: serialport's SerialPort). */
  createPort?: (options: PortOpenOptions) => SerialPortLike;
  /** Test seam: whether a device path exists now (default: fs.existsSync). */
  pathExists?: (path: string) => boolean;
  /** Test seam: reads what the tty holds before serialport's open flushes it (tty-preread.ts); null: don't. */
  preRead?: ((path: string) => PreRead | null) | null;
  /**
   * Open at a rate bindings-cpp sets without its tcflush, then set the exact rate with stty
   * (exact-baud.ts). Default: on Linux with the real serialport; off with a `createPort` seam.
   */
  noFlushOpen?: boolean;
  /**
   * Reads the device instead of serialport (tty-reader.ts: a worker thread that records as it
   * reads); serialport then only opens, sets up, writes and sets the modem lines. Needs an open
   * that does not flush (nothing reads the queue between the open and the reader's start).
   */
  reader?: PortReader;
}

export interface SerialSource extends Source {
  readonly path: string;
  /** The /dev/serial/by-id link of the device, when it has one: it survives re-enumeration. */
  readonly byId: string | null;
}

const BY_ID_DIR = '/dev/serial/by-id';
/** How long a busy port is tried before hsmon says who holds it: 10 × 100 ms. */
const BUSY_TRIES = 10;
const BUSY_WAIT_MS = 100;
/** How often an open port's device node is checked (a realpath: cheap). */
const PRESENCE_POLL_MS = 100;

/** The by-id link for a device, or the path itself when it already is one. */
export function findByIdLink(path: string, dir = BY_ID_DIR): string | null {
  if (path.startsWith(dir + '/')) return path;
  let target: string;
  try {
    target = realpathSync(path);
    for (const name of readdirSync(dir)) {
      const link = join(dir, name);
      try {
        if (realpathSync(link) === target) return link;
      } catch {
        // dangling link of an unplugged device
      }
    }
  } catch {
    // no by-id folder (no USB serial devices, containers)
  }
  return null;
}

function openPort(port: SerialPortLike): Promise<void> {
  return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
}

function updateRate(port: SerialPortLike, baudRate: number): Promise<void> {
  return new Promise((resolve, reject) => port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
}

/**
 * Opens the port keeping the bytes the tty held before it. `exact`: the port was built with a
 * stand-in rate that spares the queue (exact-baud.ts); this is the rate to set after the open.
 */
async function openKeeping(port: SerialPortLike, path: string, pre: ((path: string) => PreRead | null) | null, exact: number | null): Promise<Buffer[]> {
  const r = pre ? pre(path) : null;
  const kept = r ? r.drain() : [];
  // serialport opens on a worker thread and flushes the queue there: keep emptying it from
  // this one meanwhile, so that the flush finds as little as possible.
  let opening = true;
  const drainWhileOpening = (): void => {
    if (!opening || !r) return;
    kept.push(...r.drain());
    setImmediate(drainWhileOpening);
  };
  setImmediate(drainWhileOpening);
  try {
    await openPort(port);
    if (exact !== null && (await setExactRate(path, exact)) !== null) {
      // No stty (or it refused): the rate must still be right, at the price of serialport's flush.
      await updateRate(port, exact);
    }
    if (r) kept.push(...r.drain());
  } finally {
    opening = false;
    r?.close();
  }
  return kept;
}

function closePort(port: SerialPortLike): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}

function setLines(port: SerialPortLike, signals: { dtr?: boolean; rts?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => port.set(signals, (err) => (err ? reject(err) : resolve())));
}

/**
 * Opens a serial port as a Source. Rejects with a one-line explanation (missing, busy and by
 * whom, permission, not a tty). Bytes flow once `start` is called.
 *
 * Reconnecting: when the device vanishes the source reports `reconnecting`, watches for the
 * same path (and its by-id link, which follows the board to a new ttyACMn; fs.watch on their
 * folders plus a 20 ms poll) and reopens it at once, keeping what the tty held before the open:
 * on Linux the open does not flush (exact-baud.ts), elsewhere hsmon reads the queue first
 * (tty-preread.ts).
 * It opens with hupcl off and puts DTR/RTS back to their last state right away, so a board
 * whose reset circuit hangs on those lines is not reset by the reconnect itself.
 */
export async function openSerialSource(options: SerialOptions): Promise<SerialSource> {
  const path = options.path;
  const baud = options.baud ?? 115200;
  const pollMs = options.pollMs ?? 20;
  const reader = options.reader ?? null;
  // With a reader, what the tty holds stays there for it (the open does not flush).
  const pre = options.preRead === undefined ? (reader ? null : defaultPreRead) : options.preRead;
  const reconnect = options.reconnect ?? true;
  const pathExists = options.pathExists ?? existsSync;
  const create = options.createPort ?? ((o: PortOpenOptions) => new SerialPort(o) as unknown as SerialPortLike);
  const openRate = (options.noFlushOpen ?? !options.createPort) ? (noFlushOpenRate(baud) ?? baud) : baud;
  const exact = openRate === baud ? null : baud;
  const portOptions = (p: string): PortOpenOptions => ({
    path: p,
    baudRate: openRate,
    dataBits: options.dataBits ?? 8,
    parity: options.parity ?? 'none',
    stopBits: options.stopBits ?? 1,
    rtscts: options.rtscts ?? false,
    xon: options.xonxoff ?? false,
    xoff: options.xonxoff ?? false,
    hupcl: false,
    autoOpen: false,
  });

  let port = create(portOptions(path));
  const early: Buffer[] = [];
  // A port can be held for a moment: ModemManager probes every new ttyACM, a previous hsmon or
  // a test's pty helper is still closing. Only a hold that lasts is reported as busy.
  for (let tries = 1; ; tries++) {
    try {
      early.push(...(await openKeeping(port, path, pre, exact)));
      break;
    } catch (err) {
      if (tries >= BUSY_TRIES || !isBusyError(err)) throw new Error(explainOpenError(err, path));
      await new Promise((r) => setTimeout(r, BUSY_WAIT_MS));
      port = create(portOptions(path));
    }
  }
  const byId = findByIdLink(path);

  let handlers: SourceHandlers | null = null;
  let closing = false;
  let watcher: DeviceWatch | null = null;
  let trying = false;
  // Unknown until the user sets them: the kernel raised both on open, and we leave them so.
  const lines: { dtr?: boolean; rts?: boolean } = {};
  const deliver = (chunk: Buffer): void => {
    if (handlers) handlers.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    else early.push(chunk);
  };

  // A tty does not always report its hang-up: a pty whose other end died between serialport's
  // open and its first poll stays quiet. The device node is the other witness: when it goes, or
  // now names another device, the port is gone whatever the tty says.
  let presence: ReturnType<typeof setInterval> | null = null;
  const stopPresence = (): void => {
    if (presence) clearInterval(presence);
    presence = null;
  };
  const resolved = (p: string): string | null => {
    try {
      return realpathSync(p);
    } catch {
      return null;
    }
  };
  const watchPresence = (p: SerialPortLike, devPath: string): void => {
    stopPresence();
    const target = resolved(devPath);
    if (target === null) return; // nothing on disk to watch (mock ports in tests)
    presence = setInterval(() => {
      if (p !== port || closing) return stopPresence();
      if (resolved(devPath) === target) return;
      // The reader first takes what the tty still holds, then reports the loss itself.
      if (reader) return reader.end('the device node went away');
      lost(p, new Error('the device node went away'));
      if (p.isOpen) p.close(() => undefined);
    }, PRESENCE_POLL_MS);
    presence.unref?.();
  };

  const attach = (p: SerialPortLike, devPath: string): void => {
    if (reader) {
      reader.read(devPath, deliver, (err) => {
        lost(p, err);
        if (p.isOpen) p.close(() => undefined);
      });
    } else p.on('data', deliver);
    p.on('error', (err: Error) => lost(p, err));
    p.on('close', (err?: Error | null) => lost(p, err ?? null));
    watchPresence(p, devPath);
  };

  const lost = (p: SerialPortLike, err: Error | null): void => {
    if (p !== port || closing) return;
    stopPresence();
    reader?.stop();
    p.removeAllListeners();
    p.on('error', () => undefined); // a late error from the dead port must not crash the process
    const why = err ? err.message.replace(/\s+/g, ' ') : 'port closed';
    if (!reconnect) {
      handlers?.status({ state: 'error', detail: `${path}: ${why}` });
      return;
    }
    handlers?.status({ state: 'reconnecting', detail: `${path} vanished (${why}); waiting for it to return` });
    const candidates = [path, ...(byId && byId !== path ? [byId] : [])];
    watcher = watchDevicePaths(candidates, pollMs, () => void attempt(candidates));
    void attempt(candidates);
  };

  /** One reopen attempt at a time, on every hint that the device may be back. */
  const attempt = async (candidates: string[]): Promise<void> => {
    if (closing || trying || watcher === null) return;
    trying = true;
    try {
      for (const candidate of candidates) {
        if (!pathExists(candidate)) continue;
        const next = create(portOptions(candidate));
        let kept: Buffer[];
        try {
          kept = await openKeeping(next, candidate, pre, exact);
        } catch {
          continue; // udev may still be fixing permissions; try again on the next hint
        }
        if (closing) {
          await closePort(next);
          return;
        }
        watcher?.stop();
        watcher = null;
        if (lines.dtr !== undefined || lines.rts !== undefined) {
          await setLines(next, lines).catch(() => undefined); // ptys have no modem lines
        }
        port = next;
        handlers?.status({ state: 'open' });
        for (const chunk of kept) deliver(chunk);
        attach(next, candidate);
        return;
      }
    } finally {
      trying = false;
    }
  };

  attach(port, path);

  return {
    name: `${path} @ ${baud}`,
    path,
    byId,
    async start(h: SourceHandlers): Promise<void> {
      handlers = h;
      h.status({ state: 'open' });
      for (const chunk of early.splice(0)) h.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    },
    write(bytes: Uint8Array): Promise<void> {
      const p = port;
      if (!p.isOpen) return Promise.reject(new Error(`${path} is not connected; the bytes were not sent`));
      return new Promise((resolve, reject) => {
        p.write(Buffer.from(bytes), (err) => {
          if (err) return reject(err);
          p.drain((e) => (e ? reject(e) : resolve()));
        });
      });
    },
    async setSignals(signals: { dtr?: boolean; rts?: boolean }): Promise<void> {
      if (signals.dtr !== undefined) lines.dtr = signals.dtr;
      if (signals.rts !== undefined) lines.rts = signals.rts;
      if (!port.isOpen) throw new Error(`${path} is not connected; cannot set DTR/RTS`);
      await setLines(port, signals);
    },
    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      stopPresence();
      reader?.stop();
      watcher?.stop();
      watcher = null;
      const p = port;
      p.removeAllListeners();
      p.on('error', () => undefined);
      await closePort(p);
      handlers?.status({ state: 'closed' });
    },
  };
}
