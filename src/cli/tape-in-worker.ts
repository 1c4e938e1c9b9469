/**
 * The interactive replay's tape, recorded on the parse worker (parse-worker.ts with a `tape`
 * job): the worker parses the whole file from the moment the replay opens, on its own core, and
 * the main thread only appends the chunks it sends. Playing, stepping and seeking then feed
 * sessions from the tape (time-machine.ts), and the main thread stays free for keys and frames.
 * The workers bin/hsmon.js started with the command line (bin/early-workers.js) are taken when
 * they began on this very job.
 */
import { MessageChannel } from 'node:worker_threads';
import type { ReplayTape } from '../session/replay-tape.ts';
import type { TapeEvents, TapeReading } from '../session/time-machine.ts';
import { beganOn, spawnParseWorker, type EarlyWorker } from './parse-in-worker.ts';
import type { ParseJob, ParseWorkerAck, ParseWorkerMessage, ParseWorkerStart } from './parse-worker.ts';

/**
 * The tape worker's young generation. What survives a scavenge is the chunk being recorded (at
 * most one block's items), so fewer, larger scavenges copy about as much each and run a quarter
 * as often: on the 64 MB debug-4 log the worker's CPU was 3.83-4.18 s at 32 MB against
 * 4.04-4.41 s at 8 (4 runs each, busy machine), peak RSS 179-189 MB against 168-176 MB.
 */
const TAPE_YOUNG_MB = 32;

/**
 * The redacting worker's young generation: it keeps nothing but the redactor's state, and the
 * lines it frames die young.
 */
const REDACT_YOUNG_MB = 16;

interface EarlyWorkers {
  parse: EarlyWorker;
  redact: EarlyWorker | null;
}

/** bin/early-workers.js's TAPE_WORKERS. */
const TAPE_WORKERS = Symbol.for('hsmon.tapeWorkers');

/**
 * The early workers, if they began on `job` (and each is there that it needs); else they are
 * ended (all of them without a job: the replay reads no tape on workers), and null.
 */
function takeEarlyWorkers(job: ParseJob | null): EarlyWorkers | null {
  const g = globalThis as Record<symbol, EarlyWorkers | undefined>;
  const early = g[TAPE_WORKERS] ?? null;
  delete g[TAPE_WORKERS];
  if (!early) return null;
  if (job && beganOn(early.parse, job) && (job.stage.redact === false ? early.redact === null : beganOn(early.redact, job))) return early;
  // Not begun yet (still loading, or it could not tell), or another job: workers of its own.
  void early.parse.worker.terminate();
  void early.redact?.worker.terminate();
  return null;
}

/** Ends the early workers when the replay does not read its tape on workers (a .cast recording). */
export function discardEarlyTapeWorkers(): void {
  takeEarlyWorkers(null);
}

/** `early`: the workers bin/hsmon.js started with the command line were taken. */
export function readTapeInWorker(job: ParseJob, tape: ReplayTape, on: TapeEvents): TapeReading & { early: boolean } {
  const early = takeEarlyWorkers(job);
  const worker = early?.parse.worker ?? spawnParseWorker(TAPE_YOUNG_MB);
  // Redaction, half of the parse on a debug-4 log, runs on a worker of its own, one step ahead
  // of the rest (src/session/redaction-pass.ts): the tape is recorded in about the time the
  // parse takes without it.
  const redactor = job.stage.redact === false ? null : (early?.redact?.worker ?? spawnParseWorker(REDACT_YOUNG_MB));
  const workers = redactor ? [worker, redactor] : [worker];
  // A replay someone quits must not wait for the workers to finish the file.
  for (const w of workers) w.unref();
  let over = false;
  let redacted = false;
  const stop = (): void => {
    over = true;
    for (const w of workers) {
      w.removeAllListeners();
      void w.terminate();
    }
  };
  const fail = (message: string): void => {
    if (over) return;
    stop();
    on.failed(message);
  };
  const onParse = (m: ParseWorkerMessage): void => {
    if (over) return;
    if (m.type === 'tape') {
      tape.append(m.chunk);
      worker.postMessage({ type: 'ack' } satisfies ParseWorkerAck);
      on.progress();
    } else if (m.type === 'end') {
      tape.complete = true;
      stop();
      on.progress();
    } else if (m.type === 'error') fail(m.message);
  };
  const onParseExit = (code: number): void => fail(`the parse worker stopped (exit code ${code})`);
  const onRedact = (m: ParseWorkerMessage): void => {
    if (m.type === 'end') redacted = true;
    else if (m.type === 'error') fail(m.message);
  };
  // Done with the file, it may end before the tape is complete.
  const onRedactExit = (code: number): void => {
    if (!redacted) fail(`the redacting worker stopped (exit code ${code})`);
  };
  const listen = (): void => {
    worker.on('message', onParse);
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', onParseExit);
    redactor?.on('message', onRedact);
    redactor?.on('error', (err) => fail(err.message));
    redactor?.on('exit', onRedactExit);
  };
  const reading: TapeReading & { early: boolean } = {
    early: early !== null,
    // The redacting worker is done first: from then on one core less is busy.
    threads: () => (over ? 0 : redactor && !redacted ? 2 : 1),
    close: () => {
      if (!over) stop();
    },
  };
  if (early) {
    // What they said before they were taken goes first, once the caller holds `reading` (the
    // time machine ignores progress until then); nothing arrives in between within this task.
    queueMicrotask(() => {
      const replay = (w: EarlyWorker | null, message: (m: ParseWorkerMessage) => void, exit: (code: number) => void): void => {
        if (!w) return;
        w.worker.off('message', w.keep);
        w.worker.removeAllListeners('error');
        w.worker.removeAllListeners('exit');
        for (const m of w.messages.slice(1)) {
          if (over) return;
          if (m.type === 'exit') exit(m.code);
          else message(m);
        }
      };
      replay(early.redact, onRedact, onRedactExit);
      replay(early.parse, onParse, onParseExit);
      if (!over) listen();
    });
    return reading;
  }
  listen();
  if (!redactor) {
    worker.postMessage({ type: 'start', ...job } satisfies ParseWorkerStart);
    return reading;
  }
  const { port1, port2 } = new MessageChannel();
  redactor.postMessage({ type: 'start', ...job, pipe: { role: 'redact', port: port1 } } satisfies ParseWorkerStart, [port1]);
  worker.postMessage({ type: 'start', ...job, pipe: { role: 'parse', port: port2 } } satisfies ParseWorkerStart, [port2]);
  return reading;
}
