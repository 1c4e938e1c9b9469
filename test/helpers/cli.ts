/** Runs the real `hsmon` command (bin/hsmon.js) as a user would, with no terminal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const HSMON = fileURLToPath(new URL('../../bin/hsmon.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `opts.bin`: another copy of bin/hsmon.js (test/e2e/build.test.ts runs one beside its own build). */
export function hsmon(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string; bin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.bin ?? HSMON, ...args], {
      cwd: ROOT,
      env: { ...process.env, HSMON_DEBUG: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hsmon ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 20000} ms (a hang)`));
    }, opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A running `hsmon` (the demo, a monitor) whose output is read while it runs. */
export interface RunningHsmon {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function startHsmon(args: string[], opts: { env?: NodeJS.ProcessEnv; bin?: string } = {}): RunningHsmon {
  const child = spawn(process.execPath, [opts.bin ?? HSMON, ...args], { cwd: ROOT, env: { ...process.env, HSMON_DEBUG: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}
