// Workers bin/hsmon.js starts with the command line, before the main thread loads hsmon: the
// main thread's start-up (about half a second of one core) is when the other core is idle.
// Each works out its job from the command line (src/cli/parse-worker.ts: jobFromArgs) and
// begins; the command takes it if the job is its own, else ends it and starts its own
// (src/cli/parse-in-worker.ts for summarize and replay --json, src/cli/tape-in-worker.ts for
// the interactive replay's tape). Plain JavaScript: it runs before the build or the sources
// are loaded.
import { MessageChannel, Worker } from 'node:worker_threads';

/** Where the commands find them: the file run's parse worker, and the tape's workers. */
export const PARSE_WORKER = Symbol.for('hsmon.parseWorker');
export const TAPE_WORKERS = Symbol.for('hsmon.tapeWorkers');

// The young generations of tape-in-worker.ts's workers (why: there); keep them the same.
const TAPE_YOUNG_MB = 32;
const REDACT_YOUNG_MB = 16;

/**
 * A parse worker for `args` (hsmon's arguments) with a young generation of `youngMb`, and
 * `workerData` (a tape worker's; its pipe's port is moved to it). Its messages are kept until
 * the command takes it, its failure and its exit too (the command may take it after it
 * stopped); until then it does not keep the process alive.
 */
export function startEarlyWorker(args, youngMb, workerData) {
  const port = workerData?.pipe?.port;
  const worker = new Worker(new URL('./parse-worker.js', import.meta.url), {
    argv: args,
    ...(workerData ? { workerData } : {}),
    ...(port ? { transferList: [port] } : {}),
    resourceLimits: { maxYoungGenerationSizeMb: youngMb },
    stdout: false,
    stderr: false,
  });
  const messages = [];
  const keep = (m) => messages.push(m);
  worker.on('message', keep);
  // Not a read error (the worker reports those itself): hsmon's own fault.
  worker.on('error', (err) => messages.push({ type: 'error', message: err.message, internal: true }));
  worker.on('exit', (code) => messages.push({ type: 'exit', code }));
  worker.unref();
  return { worker, messages, keep };
}

/**
 * The interactive replay's tape workers for `args`: the parsing worker, and unless
 * `--no-redact` the redacting one, joined by a pipe (a 64 MB log's tape takes two cores about
 * two seconds).
 */
export function startTapeWorkers(args) {
  if (args.includes('--no-redact')) return { parse: startEarlyWorker(args, TAPE_YOUNG_MB, { tape: true }), redact: null };
  const { port1, port2 } = new MessageChannel();
  return {
    parse: startEarlyWorker(args, TAPE_YOUNG_MB, { tape: true, pipe: { role: 'parse', port: port2 } }),
    redact: startEarlyWorker(args, REDACT_YOUNG_MB, { tape: true, pipe: { role: 'redact', port: port1 } }),
  };
}
