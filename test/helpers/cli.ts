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

interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Another copy of bin/hsmon.js (test/e2e/build.test.ts runs one beside its own build). */
  bin?: string;
  /** Written to stdin, which is then closed; without it stdin is not connected. */
  input?: string;
}

/** A running `hsmon` (the demo, a monitor) whose output is read while it runs. */
export interface RunningHsmon {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once the streams closed. */
  exited: Promise<number | null>;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startHsmon(args: string[], opts: StartOptions = {}): RunningHsmon {
  const child = spawn(process.execPath, [opts.bin ?? HSMON, ...args], {
    cwd: ROOT,
    env: { ...process.env, HSMON_DEBUG: '', ...opts.env },
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  return { child, stdout: () => stdout, stderr: () => stderr, exited: closed.then((c) => c.code), closed };
}

/** Runs hsmon to its end; a run longer than `timeoutMs` (default 20 s) is killed and reported as a hang. */
export function hsmon(args: string[], opts: StartOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  const ms = opts.timeoutMs ?? 20000;
  const run = startHsmon(args, { ...opts, input: opts.input ?? '' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`hsmon ${args.join(' ')} did not finish within ${ms} ms (a hang)`));
    }, ms);
    run.child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void run.closed.then(({ code, signal }) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: run.stdout(), stderr: run.stderr() });
    });
  });
}
