// Boots the parse worker of `replay --json` / `summarize` (src/cli/parse-worker.ts): from the
// build in dist/ when it is fresh, as bin/hsmon.js does, else from the sources through tsx's
// CommonJS hook, which works inside this thread (its ESM loader would start one more thread and
// load the sources through it, which takes several times as long).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuild, requireTsx } from './fresh-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = freshBuild(root);
if (dist) {
  await import(pathToFileURL(join(dist, 'parse-worker.js')).href);
} else {
  const require = createRequire(import.meta.url);
  requireTsx(require, root).register();
  // tsx turns on source maps (for stack traces); reading them costs start-up time, and a stack
  // trace of this thread is never shown.
  process.setSourceMapsEnabled(false);
  require('../src/cli/parse-worker.ts');
}
