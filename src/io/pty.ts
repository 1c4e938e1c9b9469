import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Link to one end (the "device" side in tests and the simulator). */
  a: string;
  /** Link to the other end (what the monitor opens). */
  b: string;
  readonly process: ChildProcess;
  /** Stops socat; its links disappear with it. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Link paths to use (for recreating the "same" device after an unplug). */
  a?: string;
  b?: string;
  /** How long to wait for socat to make the links. */
  timeoutMs?: number;
}

/**
 * Two connected pseudo-terminals made by socat (`pty,raw,echo=0,link=…` on both sides):
 * bytes written to one come out of the other, like a USB-serial cable with a board on it.
 */
export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  let dir: string | null = null;
  if (!options.a || !options.b) dir = mkdtempSync(join(tmpdir(), 'hsmon-pty-'));
  const a = options.a ?? join(dir!, 'device');
  const b = options.b ?? join(dir!, 'port');
  const child = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' ? 'socat is not installed (apt-get install socat)' : `socat: ${err.message}`)),
    ),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  const ready = (async () => {
    while (!(existsSync(a) && existsSync(b))) {
      if (child.exitCode !== null) throw new Error(`socat exited: ${stderr.trim() || `code ${child.exitCode}`}`);
      if (Date.now() > deadline) throw new Error('socat did not create the pty links in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    a,
    b,
    process: child,
    async close(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
