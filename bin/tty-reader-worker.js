// Boots the port reader of `hsmon monitor` (src/io/tty-reader-worker.ts): from the build in
// dist/ when it is fresh, as bin/hsmon.js does, else (a checkout) from the sources through tsx's
// CommonJS hook (scripts/sources.js; see bin/parse-worker.js for why not its ESM loader).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuild, sourcesRunner } from './fresh-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = freshBuild(root);
if (dist && existsSync(join(dist, 'tty-reader-worker.js'))) {
  await import(pathToFileURL(join(dist, 'tty-reader-worker.js')).href);
} else {
  const { runWorkerSources } = await import(sourcesRunner(root));
  runWorkerSources('src/io/tty-reader-worker.ts');
}
