/**
 * Opening a serial port without throwing away what the tty holds (Linux).
 *
 * @serialport/bindings-cpp (src/serialport_unix.cpp) opens the device, makes it raw
 * (`setup()`, a tcsetattr that keeps the queue), then sets the speed in `setBaudRate()`. For a
 * rate in its table (`ToBaudConstant`: 9600 … 4000000) that calls `tcflush(fd, TCIOFLUSH)`
 * before `tcsetattr`: the bytes a board printed right after a reset or a re-plug are gone. For a
 * rate that is not in the table it takes the termios2 path instead (`linuxSetCustomBaudRate`,
 * TCSETS2 with BOTHER) and returns without a flush. No open option turns the flush off.
 *
 * So on Linux hsmon opens at a rate next to the one asked for that is not in the table (one
 * more: a UART divisor rounds it to the same clock) and then sets the exact rate with `stty`,
 * whose tcsetattr(TCSADRAIN) keeps the input queue. Rates that are not standard anyway (74880,
 * an ESP8266's boot rate) open as they are. Measured: 3000 bytes queued in a pty before the
 * open, 0 reach the reader with the table rate and 3000 with this.
 */
import { execFile } from 'node:child_process';

/** The rates bindings-cpp knows by a B-constant on Linux (its ToBaudConstant). */
const TABLE = new Set([
  0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000,
  576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
]);

/** The rate to open with so that bindings-cpp's open does not flush, or null when it would anyway. */
export function noFlushOpenRate(baud: number, platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null; // macOS flushes on its custom-rate path too
  return TABLE.has(baud) ? baud + 1 : baud;
}

/**
 * Sets the line's speed with stty (tcsetattr TCSADRAIN: the input queue stays). Resolves with
 * null, or with why it could not (no stty, not a tty): the caller then sets it through
 * serialport, which flushes.
 */
export function setExactRate(path: string, baud: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('stty', ['-F', path, String(baud)], { timeout: 5000 }, (err, _out, stderr) => {
      resolve(err ? (String(stderr).trim() || err.message).split('\n')[0]! : null);
    });
  });
}
