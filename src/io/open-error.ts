import { readdirSync, readlinkSync, readFileSync, realpathSync, statSync } from 'node:fs';

/** Who holds a device open, from /proc/<pid>/fd links; null when nobody visible to us does. */
export function findHolders(path: string, self = process.pid): string[] {
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return [];
  }
  const holders: string[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== self);
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process: not ours to see
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (link === target) {
        let comm = '?';
        try {
          comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        } catch {
          // the process ended between the two reads
        }
        holders.push(`${comm} (pid ${pid})`);
        break;
      }
    }
  }
  return holders;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * One line saying why a serial port did not open and what to do about it. The path is
 * inspected first (missing, a file, a directory) because serialport's own messages for
 * those cases ("Inappropriate ioctl for device") do not tell a user what went wrong.
 */
export function explainOpenError(err: unknown, path: string): string {
  const message = messageOf(err);
  const code = codeOf(err);
  let kind: 'missing' | 'file' | 'dir' | 'other' = 'other';
  try {
    const st = statSync(path);
    if (st.isDirectory()) kind = 'dir';
    else if (st.isFile()) kind = 'file';
  } catch (e) {
    if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') kind = 'missing';
  }
  if (kind === 'missing' || code === 'ENOENT' || /No such file or directory/i.test(message)) {
    return `no such device: ${path} — run \`hsmon ports\` to list serial ports`;
  }
  if (kind === 'dir') return `not a serial port: ${path} is a directory`;
  if (kind === 'file') return `not a serial port: ${path} is a regular file (to read a log, use \`hsmon replay ${path}\`)`;
  if (code === 'EACCES' || code === 'EPERM' || /Permission denied|Operation not permitted/i.test(message)) {
    return `permission denied: ${path} — add yourself to the dialout group: \`sudo usermod -aG dialout $USER\`, then log out and in again`;
  }
  if (isBusyError(err)) {
    const holders = findHolders(path);
    const who = holders.length > 0 ? `held by ${holders.join(', ')}` : 'another program holds it';
    return `port busy: ${path} — ${who}; close it (screen, minicom, idf.py monitor, another hsmon) and try again`;
  }
  if (code === 'ENOTTY' || /Inappropriate ioctl/i.test(message)) {
    return `not a serial port: ${path} is not a terminal device`;
  }
  if (code === 'ENXIO' || /No such device or address/i.test(message)) {
    return `no such device: ${path} exists but nothing answers behind it (unplugged?) — run \`hsmon ports\``;
  }
  return `cannot open ${path}: ${message.replace(/^Error:?\s*/, '').replace(/\s+/g, ' ').trim()}`;
}

/** Another open file description holds the port (flock or TIOCEXCL), maybe only for a moment. */
export function isBusyError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return code === 'EBUSY' || code === 'EAGAIN' || /Cannot lock port|Resource temporarily unavailable|Device or resource busy/i.test(message);
}
