/**
 * A plain text log replayed to its end on two threads: a worker reads the file and runs the
 * parse stage (framer, redaction, profiles, family parsers: parse-worker.ts), the main thread
 * ingests its batches into the session (handshakes, facts, diagnosis, NDJSON). The session sees
 * the same events in the same order as when it is fed the bytes itself.
 */
import { Worker } from 'node:worker_threads';
import { packagePath } from '../io/package-path.ts';
import type { Session } from '../session/session.ts';
import type { ParseJob, ParseWorkerAck, ParseWorkerMessage, ParseWorkerStart } from './parse-worker.ts';

/**
 * A worker bin/hsmon.js started with the command line (bin/early-workers.js), and what it said
 * until it was taken: its messages, its failure, its exit.
 */
export interface EarlyWorker {
  worker: Worker;
  messages: (ParseWorkerMessage | { type: 'exit'; code: number })[];
  keep: (m: unknown) => void;
}

/** bin/early-workers.js's PARSE_WORKER. */
const KEY = Symbol.for('hsmon.parseWorker');

function takePrestarted(): EarlyWorker | null {
  const g = globalThis as Record<symbol, EarlyWorker | undefined>;
  const p = g[KEY] ?? null;
  delete g[KEY];
  return p;
}

/**
 * Whether an early worker began on `job` itself: the command takes it then, and otherwise ends
 * it (not begun yet, still loading, or on another file or other options).
 */
export function beganOn(w: EarlyWorker | null, job: ParseJob): boolean {
  const m = w?.messages[0];
  return m?.type === 'began' && JSON.stringify(m.job) === JSON.stringify(job);
}

/** Ends the early worker when the file is not parsed on a worker (a .cast recording). */
export function discardPrestarted(): void {
  void takePrestarted()?.worker.terminate();
}

/**
 * `youngMb`: the worker's young generation. 8 MB as bin/hsmon.js's early worker (why: there),
 * for the streaming summarize path; the interactive replay's tape worker asks for more
 * (tape-in-worker.ts).
 */
export function spawnParseWorker(youngMb = 8): Worker {
  // bin/parse-worker.js loads the build, or tsx, in the worker too (the main thread's loader is
  // not inherited).
  return new Worker(packagePath('bin', 'parse-worker.js'), {
    resourceLimits: { maxYoungGenerationSizeMb: youngMb },
    stdout: false,
    stderr: false,
  });
}

/** How an exception of hsmon's own is reported, on either replay path (file-source.ts too). */
const internalError = (path: string, message: string): string => `internal error while replaying ${path}: ${message} (please report it with this file)`;

/**
 * Parses `job` on the worker and feeds the session from it; resolves at the end of the file
 * (before `session.end()`). The early worker is used when it began on this very job.
 * `backedUp` (NdjsonWriter.backedUp) holds the worker back while the output is not taken: a
 * batch is acknowledged only once it resolves.
 *
 * A failure never rejects: like the file source in process, it sets the session's status to
 * `error` (a read error names the file, an exception of hsmon's own is an internal error) and
 * resolves, so that runFile still prints the summary of what was read, and exits 2.
 */
export function parseInWorker(job: ParseJob, session: Session, backedUp: () => Promise<void> | null = () => null): Promise<void> {
  const early = takePrestarted();
  let worker: Worker;
  let queued: EarlyWorker['messages'] = [];
  if (early && beganOn(early, job)) {
    worker = early.worker;
    worker.off('message', early.keep);
    queued = early.messages.slice(1);
  } else {
    // Not begun yet (still loading, or it could not tell), or on other options: a new one.
    void early?.worker.terminate();
    worker = spawnParseWorker();
    worker.postMessage({ type: 'start', ...job } satisfies ParseWorkerStart);
  }
  worker.ref();
  return new Promise<void>((resolve) => {
    let settled = false;
    let deferred = 0;
    let waiting = false;
    const ackDeferred = (): void => {
      for (; deferred > 0; deferred--) worker.postMessage({ type: 'ack' } satisfies ParseWorkerAck);
    };
    const finish = (failure?: string): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      session.setStatus(failure === undefined ? { state: 'ended' } : { state: 'error', detail: failure }, 0);
      resolve();
    };
    const onMessage = (m: ParseWorkerMessage): void => {
      if (settled) return;
      try {
        if (m.type === 'batch') {
          if (m.head) session.checkInput(m.head);
          session.ingest(m.batch, 0);
          // The worker reads ahead only so far (MAX_IN_FLIGHT): it may go on, unless what this
          // batch printed is still waiting for a slow reader (`| jq`).
          deferred++;
          if (waiting) return;
          const wait = backedUp();
          if (wait === null) ackDeferred();
          else {
            waiting = true;
            void wait.then(() => {
              waiting = false;
              if (!settled) ackDeferred();
            });
          }
        } else if (m.type === 'end') {
          finish();
        } else if (m.type === 'error') {
          finish(m.internal ? internalError(job.path, m.message) : `cannot read ${job.path}: ${m.message}`);
        }
      } catch (err) {
        // The session threw on what the worker found: hsmon's fault, not the file's.
        finish(internalError(job.path, err instanceof Error ? err.message : String(err)));
      }
    };
    // The worker died of something run() did not catch (out of memory, a bug): hsmon's own fault.
    const onExit = (code: number): void => finish(internalError(job.path, `the parse worker stopped (exit code ${code})`));
    session.setStatus({ state: 'open' }, 0);
    for (const m of queued) {
      if (m.type === 'exit') onExit(m.code);
      else onMessage(m);
    }
    worker.on('message', onMessage);
    worker.on('error', (err) => finish(internalError(job.path, err.message)));
    worker.on('exit', onExit);
  });
}
