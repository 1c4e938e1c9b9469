import { homedir } from 'node:os';
import { basename, join } from 'node:path';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The folder recordings go to unless --record names a file: $XDG_DATA_HOME/hsmon/recordings. */
export function recordingsDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const data = env['XDG_DATA_HOME'] && env['XDG_DATA_HOME'].startsWith('/') ? env['XDG_DATA_HOME'] : join(home, '.local', 'share');
  return join(data, 'hsmon', 'recordings');
}

/** `<dir>/20260122-143005-ttyACM0.cast` for a port path (or a name such as `sim:handshake-ok`). */
export function defaultRecordingPath(port: string, options: { now?: Date; env?: NodeJS.ProcessEnv; home?: string } = {}): string {
  const d = options.now ?? new Date();
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  const name = basename(port).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|(?<!-)-+$/g, '') || 'device';
  return join(recordingsDir(options.env, options.home), `${stamp}-${name}.cast`);
}
