// Boots the parse worker of `replay --json` / `summarize` (src/cli/parse-worker.ts). tsx's
// CommonJS hook works inside this thread: its ESM loader would start one more thread and load
// the sources through it, which takes several times as long.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('tsx/cjs/api').register();
// tsx turns on source maps (for stack traces); reading them costs start-up time, and a stack
// trace of this thread is never shown.
process.setSourceMapsEnabled(false);
require('../src/cli/parse-worker.ts');
