// The interactive replay's tape workers (src/cli/tape-in-worker.ts), started by bin/hsmon.js
// with the command line, before the main thread loads hsmon: the main thread's start-up (about
// half a second of one core) is when the other core is idle, and a 64 MB log's tape takes two
// cores about two seconds. Each worker works out its job from the command line
// (src/cli/parse-worker.ts: jobFromArgs) and begins; the replay takes them if the job is its
// own (the same file, as large as it loaded, and the same options), else ends them and starts
// its own. Plain JavaScript: it runs before the build or the sources are loaded.
import { MessageChannel, Worker } from 'node:worker_threads';

// The young generations of tape-in-worker.ts's workers (why: there); keep them the same.
const TAPE_YOUNG_MB = 32;
const REDACT_YOUNG_MB = 16;

/** Where the replay finds them (tape-in-worker.ts). */
export const TAPE_WORKERS = Symbol.for('hsmon.tapeWorkers');

/**
 * Starts the tape's workers for `args` (hsmon's arguments): the parsing worker, and unless
 * `--no-redact` the redacting one, joined by a pipe. Their messages are kept until the replay
 * takes them; until then they do not keep the process alive.
 */
export function startTapeWorkers(args) {
  const url = new URL('./parse-worker.js', import.meta.url);
  const start = (youngMb, pipe) => {
    const worker = new Worker(url, {
      argv: args,
      workerData: pipe ? { tape: true, pipe } : { tape: true },
      ...(pipe ? { transferList: [pipe.port] } : {}),
      resourceLimits: { maxYoungGenerationSizeMb: youngMb },
      stdout: false,
      stderr: false,
    });
    const messages = [];
    const keep = (m) => messages.push(m);
    worker.on('message', keep);
    // Kept as messages too: the replay may take the worker after it stopped (the redacting
    // worker ends when it is done with the file).
    worker.on('error', (err) => messages.push({ type: 'error', message: err.message, internal: true }));
    worker.on('exit', (code) => messages.push({ type: 'exit', code }));
    worker.unref();
    return { worker, messages, keep };
  };
  if (args.includes('--no-redact')) return { parse: start(TAPE_YOUNG_MB), redact: null };
  const { port1, port2 } = new MessageChannel();
  return { parse: start(TAPE_YOUNG_MB, { role: 'parse', port: port2 }), redact: start(REDACT_YOUNG_MB, { role: 'redact', port: port1 }) };
}
