/**
 * Whether a port can have modem lines (DTR/RTS) for a reset. A pseudo-terminal (socat, the
 * simulator, some USB bridges' drivers) has none: setting them fails with ENOTTY
 * ("Inappropriate ioctl for device"), which tells a user nothing.
 */
import { realpathSync } from 'node:fs';

/** A sentence for the reset's y/n question when the port is a pty, else null. */
export function modemLinesNote(sourceName: string): string | null {
  const path = sourceName.replace(/ @ \d+$/, '');
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null;
  }
  if (!real.startsWith('/dev/pts/') && real !== '/dev/ptmx') return null;
  return `${path} is a pseudo-terminal (${real}): it has no DTR/RTS lines, so a line reset cannot work.`;
}

/** The error of a reset on a port without modem lines, in words. */
export function modemLinesError(err: unknown, sourceName: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if ((e as { code?: string }).code === 'ENOTTY' || /Inappropriate ioctl/i.test(e.message)) {
    return new Error(`${sourceName.replace(/ @ \d+$/, '')} has no DTR/RTS lines (a pseudo-terminal or a USB bridge without them): reset the board by hand`);
  }
  return e;
}
