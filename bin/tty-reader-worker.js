// Boots the port reader of `hsmon monitor` (src/io/tty-reader-worker.ts): from the build in
// dist/ when it is fresh and has it, as bin/hsmon.js does, else from the sources through tsx's
// CommonJS hook (see bin/parse-worker.js for why not its ESM loader).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuild, requireTsx } from './fresh-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = freshBuild(root);
if (dist && existsSync(join(dist, 'tty-reader-worker.js'))) {
  await import(pathToFileURL(join(dist, 'tty-reader-worker.js')).href);
} else {
  const require = createRequire(import.meta.url);
  requireTsx(require, root).register();
  process.setSourceMapsEnabled(false);
  require('../src/io/tty-reader-worker.ts');
}
