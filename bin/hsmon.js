#!/usr/bin/env node
// Entry point of the `hsmon` command. It runs the bundle in dist/ (scripts/build.js, made by
// `npm install`) while that is up to date with the sources, and the TypeScript sources through
// tsx otherwise (scripts/sources.js, in a checkout), so an edit is never shadowed by an old build.
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { freshBuild, sourcesRunner } from './fresh-build.js';

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
  // (and begins) while this thread loads the rest of hsmon. Its messages are kept until runFile
  // takes it; until then it does not keep the process alive.
  const worker = new Worker(new URL('./parse-worker.js', import.meta.url), {
    argv: args,
    // A larger young generation: the parse stage makes many short-lived objects.
    resourceLimits: { maxYoungGenerationSizeMb: 32 },
    stdout: false,
    stderr: false,
  });
  const messages = [];
  const keep = (m) => messages.push(m);
  worker.on('message', keep);
  // Kept as messages too: runFile may take the worker after it stopped.
  worker.on('error', (err) => messages.push({ type: 'error', message: err.message }));
  worker.on('exit', (code) => messages.push({ type: 'error', message: `the parse worker stopped (exit code ${code})` }));
  worker.unref();
  globalThis[Symbol.for('hsmon.parseWorker')] = { worker, messages, keep };
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

if (dist) {
  // The build carries source maps: read only when a stack trace may be printed.
  if (process.env.HSMON_DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(join(dist, 'cli.js')).href);
} else {
  // A checkout whose build is missing or stale: the sources, through tsx (a development tool).
  const { runSources } = await import(sourcesRunner(root));
  await runSources(args, fileRun);
}
