// Boots the parse worker of `replay --json` / `summarize` (src/cli/parse-worker.ts): from the
// build in dist/ when it is fresh, as bin/hsmon.js does, else (a checkout) from the sources
// through tsx's CommonJS hook (scripts/sources.js), which works inside this thread: its ESM
// loader would start one more thread and load the sources through it, several times slower.
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { freshBuild, sourcesRunner } from './fresh-build.js';

// A tape worker started with the command line (bin/early-workers.js) loads hsmon while the main
// thread does: the screen's start-up comes first. On Linux the nice value is this thread's own.
if (workerData?.tape && process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // Not allowed (a sandbox): it only costs the screen's start-up some speed.
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = freshBuild(root);
if (dist) {
  await import(pathToFileURL(join(dist, 'parse-worker.js')).href);
} else {
  const { runWorkerSources } = await import(sourcesRunner(root));
  runWorkerSources();
}
