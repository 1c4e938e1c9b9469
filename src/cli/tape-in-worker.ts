/**
 * The interactive replay's tape, recorded on the parse worker (parse-worker.ts with a `tape`
 * job): the worker parses the whole file from the moment the replay opens, on its own core, and
 * the main thread only appends the chunks it sends. Playing, stepping and seeking then feed
 * sessions from the tape (time-machine.ts), and the main thread stays free for keys and frames.
 */
import { MessageChannel } from 'node:worker_threads';
import type { ReplayTape } from '../session/replay-tape.ts';
import type { TapeEvents, TapeReading } from '../session/time-machine.ts';
import { spawnParseWorker } from './parse-in-worker.ts';
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

export function readTapeInWorker(job: ParseJob, tape: ReplayTape, on: TapeEvents): TapeReading {
  const worker = spawnParseWorker(TAPE_YOUNG_MB);
  // Redaction, half of the parse on a debug-4 log, runs on a worker of its own, one step ahead
  // of the rest (src/session/redaction-pass.ts): the tape is recorded in about the time the
  // parse takes without it.
  const redactor = job.stage.redact === false ? null : spawnParseWorker(REDACT_YOUNG_MB);
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
  worker.on('message', (m: ParseWorkerMessage) => {
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
  });
  worker.on('error', (err) => fail(err.message));
  worker.on('exit', (code) => fail(`the parse worker stopped (exit code ${code})`));
  const reading: TapeReading = {
    // The redacting worker is done first: from then on one core less is busy.
    threads: () => (over ? 0 : redactor && !redacted ? 2 : 1),
    close: () => {
      if (!over) stop();
    },
  };
  if (!redactor) {
    worker.postMessage({ type: 'start', ...job } satisfies ParseWorkerStart);
    return reading;
  }
  redactor.on('message', (m: ParseWorkerMessage) => {
    if (m.type === 'end') redacted = true;
    else if (m.type === 'error') fail(m.message);
  });
  redactor.on('error', (err) => fail(err.message));
  // Done with the file, it may end before the tape is complete.
  redactor.on('exit', (code) => {
    if (!redacted) fail(`the redacting worker stopped (exit code ${code})`);
  });
  const { port1, port2 } = new MessageChannel();
  redactor.postMessage({ type: 'start', ...job, pipe: { role: 'redact', port: port1 } } satisfies ParseWorkerStart, [port1]);
  worker.postMessage({ type: 'start', ...job, pipe: { role: 'parse', port: port2 } } satisfies ParseWorkerStart, [port2]);
  return reading;
}
