#!/usr/bin/env node
// Entry point of the `hsmon` command. It runs the bundle in dist/ (scripts/build.js, made by
// `npm install`) while that is up to date with the sources, and the TypeScript sources through
// tsx otherwise (scripts/sources.js, in a checkout), so an edit is never shadowed by an old build.
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuild, sourcesRunner } from './fresh-build.js';
import { PARSE_WORKER, TAPE_WORKERS, startEarlyWorker, startTapeWorkers } from './early-workers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = freshBuild(root);
// Which code runs, for HSMON_STATS (the bench reports it); the parse worker decides for itself.
globalThis[Symbol.for('hsmon.code')] = dist ? 'build' : 'sources';

const args = process.argv.slice(2);
/** This thread's nice value during a file replay (see below). */
const NICE = 5;
// `replay FILE --json` and `summarize FILE` read a file to its end, and a large one is parsed on
// a worker thread (src/cli/parse-in-worker.ts).
const fileRun = args[0] === 'summarize' || (args[0] === 'replay' && args.includes('--json'));

if (fileRun && !process.env.HSMON_NO_WORKER) {
  // The worker needs a while to load hsmon, so it starts now, with the command line, and loads
  // (and begins) while this thread loads the rest of hsmon. The worker is a second V8 heap, and
  // its garbage is what it costs: it keeps 5 MB alive but its heap peaked at 89 MB with a 32 MB
  // young generation (issue 15: a million MQTT lines, 252-265 MB peak RSS against 177 MB in
  // one thread). 8 MB: 232 MB, and the same CPU time on the 64 MB debug-4 log (5.4-6.2 s user
  // at 8, 32 and 16, under load). Keep src/cli/parse-in-worker.ts (a worker started late) the same.
  globalThis[PARSE_WORKER] = startEarlyWorker(args, 8);
  // The worker is the slower stage: when both threads want a core (this thread's start-up, its
  // garbage collection), the worker should get it. On Linux this lowers only this thread's
  // priority, not the worker's, started above. A nice value of 5, not 10: on an idle 2-core
  // machine the 64 MB replay took 0.98 s at 10, 0.99 s at 5, 1.04 s at 0, but beside one busy
  // process 1.51 s at 10, 1.36 s at 5 and 1.32 s at 0 (this thread starves at 10).
  try {
    setPriority(NICE);
  } catch {
    // Not allowed here: it only costs speed.
  }
}

// The interactive replay of a file records its tape on two workers from the moment it opens
// (src/cli/tape-in-worker.ts): they start now, on the core this thread's start-up leaves idle.
if (args[0] === 'replay' && !args.includes('--json') && !process.env.HSMON_NO_WORKER) {
  globalThis[TAPE_WORKERS] = startTapeWorkers(args);
}

if (dist) {
  // The build carries source maps: read only when a stack trace may be printed.
  if (process.env.HSMON_DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(join(dist, 'cli.js')).href);
} else {
  // A checkout whose build is missing or stale: the sources, through tsx (a development tool).
  const { runSources } = await import(sourcesRunner(root));
  await runSources(args, fileRun);
}
