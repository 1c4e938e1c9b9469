/**
 * Files that may hold what a device printed (recordings, exports, key logs) are private to the
 * user: created 0600, in folders hsmon creates 0700. A user's own folder (`--record /tmp/x.cast`)
 * is left as it is; hsmon's default folder is tightened even when an older version made it 0755.
 */
import { chmodSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates the folders `file` goes in (0700); `tighten`: also chmod its folder to 0700 (hsmon's own folder). */
export function privateDir(file: string, opts: { tighten?: boolean } = {}): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (opts.tighten) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Opens `path` for writing as a private file: 0600 whether it is new or was there before. */
export function openPrivate(path: string, flags: 'w' | 'wx' | 'a' = 'w'): number {
  privateDir(path);
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  // The mode of openSync applies to new files only (and through the umask).
  fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}
