/**
 * Files that may hold what a device printed (recordings, exports, key logs) are private to the
 * user: created 0600, in folders hsmon creates 0700. A user's own folder (`--record /tmp/x.cast`)
 * is left as it is; hsmon's default folder is tightened even when an older version made it 0755.
 */
import { chmodSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates the folders `file` goes in (0700); `tighten`: also chmod its folder to 0700 (hsmon's own folder). */
export function privateDir(file: string, opts: { tighten?: boolean } = {}): void {
  const dir = dirname(file);
  makeDirs(dir);
  if (opts.tighten) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * mkdir -p, one folder at a time: Node's own `mkdirSync(…, { recursive: true })` never returns
 * for a folder that cannot be made in /proc or /sys (`--record /proc/x/y.cast` hung hsmon at
 * 100 % CPU); here the first folder that cannot be made throws, with the kernel's reason.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw err;
      missing.push(d);
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), { code: 'ENOTDIR' });
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode: PRIVATE_DIR_MODE });
    } catch (err) {
      // Made meanwhile by another hsmon: fine, if it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) throw err;
    }
  }
}

/** Opens `path` for writing as a private file: 0600 whether it is new or was there before. */
export function openPrivate(path: string, flags: 'w' | 'wx' | 'a' = 'w'): number {
  privateDir(path);
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  // The mode of openSync applies to new files only (and through the umask).
  fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}
