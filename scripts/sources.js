// Runs hsmon from its TypeScript sources through tsx: what bin/hsmon.js and bin/parse-worker.js
// fall back to in a checkout whose dist/ is missing or older than the sources. A development
// tool, like tsx itself (a devDependency): the package does not ship this file, so nothing an
// installed hsmon runs refers to tsx.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** tsx's CommonJS hook; without tsx, says what to do in one line and exits 2. */
function tsxCjs() {
  try {
    return require('tsx/cjs/api');
  } catch {
    process.stderr.write(`hsmon: no build in ${join(root, 'dist')} and no tsx to run the sources: run \`npm install\` (tsx) or \`npm run build\` (dist/)\n`);
    process.exit(2);
  }
}

/** The CLI from the sources. `fileRun`: a command that needs neither ink nor anything ESM-only. */
export async function runSources(args, fileRun) {
  if (fileRun) {
    // tsx's CommonJS hook loads these in this thread, faster than its ESM loader (which resolves
    // and loads through a thread of its own).
    tsxCjs().register();
    // tsx turns on source maps, for stack traces: only HSMON_DEBUG prints one, and reading the
    // maps of every module costs start-up time.
    if (!process.env.HSMON_DEBUG) process.setSourceMapsEnabled(false);
    await require('../src/cli/main.ts').runCli(args);
    return;
  }
  tsxCjs();
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}

/**
 * A worker from the sources (inside the worker thread: the CommonJS hook works there): the parse
 * worker, or `entry` (project-relative: src/io/tty-reader-worker.ts, the monitor's port reader).
 */
export function runWorkerSources(entry = 'src/cli/parse-worker.ts') {
  tsxCjs().register();
  // A stack trace of this thread is never shown; reading source maps costs start-up time.
  process.setSourceMapsEnabled(false);
  require(join(root, entry));
}
