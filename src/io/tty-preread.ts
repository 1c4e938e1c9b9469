/**
 * serialport's open throws away what the tty already holds: @serialport/bindings-cpp
 * (src/serialport_unix.cpp) opens the device, sets it up (`setup()`), then `setBaudRate()`
 * calls `tcflush(fd, TCIOFLUSH)` before `tcsetattr` for every standard baud rate (only the
 * Linux custom-rate path through termios2 skips it), and no open option turns that off. Those
 * are exactly the bytes a board prints right after a reset or a re-plug: its boot banner.
 *
 * So hsmon reads them first: it opens the device itself (non-blocking, no controlling tty),
 * takes everything queued, keeps taking it while serialport opens on its worker thread (so the
 * flush finds the queue nearly empty), takes what came in meanwhile, and only then closes its
 * own descriptor — after serialport's is open, so the last close (and HUPCL with it) never
 * happens here. What can still be lost is what arrives between hsmon's last read and the
 * tcflush on the worker thread: a race window of the order of a turn of the event loop.
 *
 * On Linux the open no longer flushes at all (exact-baud.ts), so this only matters elsewhere
 * (macOS), or when stty is missing and the rate is set through serialport after all.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

export interface PreRead {
  /** Bytes queued so far, in order (each call takes what arrived since the last). */
  drain(): Buffer[];
  close(): void;
}

export function preRead(path: string): PreRead | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch {
    return null; // not there yet, or not ours to read: serialport's open will say why
  }
  let open = true;
  const drain = (): Buffer[] => {
    const out: Buffer[] = [];
    while (open) {
      const buf = Buffer.allocUnsafe(64 * 1024);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch {
        break; // EAGAIN: the queue is empty (or the device went away again)
      }
      if (n <= 0) break;
      out.push(buf.subarray(0, n));
    }
    return out;
  };
  return {
    drain,
    close() {
      if (!open) return;
      open = false;
      try {
        closeSync(fd);
      } catch {
        // already gone with the device
      }
    },
  };
}
