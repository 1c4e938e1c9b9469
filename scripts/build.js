#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` runs it): bundles the TypeScript sources into
// dist/ with esbuild, so that `hsmon` starts without compiling them (about 0.2 s less per run;
// a file replay is timed with its start-up). bin/hsmon.js uses the build only while it is newer
// than every source it was made from (bin/fresh-build.js), so an edit to src/ is never shadowed
// by an old build: without a build, or with a stale one, hsmon runs the sources through tsx.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_INFO } from '../bin/fresh-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // `npm pack` (prepack) must not make a package without dist/: it would not run when installed.
  if (process.argv.includes('--require-esbuild')) {
    process.stderr.write('hsmon build: esbuild is not installed (npm install); a package needs dist/\n');
    process.exit(1);
  }
  // An install without dev dependencies: hsmon works from the sources, only starts slower.
  process.stderr.write('hsmon build: esbuild is not installed; hsmon will run from its sources\n');
  process.exit(0);
}

// Kept in node_modules: native bindings (serialport), and the UI and broker libraries, which only
// the interactive commands load. xstate and @peculiar/x509 (with asn1js, tslib, reflect-metadata)
// are bundled: every replay loads them, and Node loads their CommonJS builds module by module
// (resolving, compiling, and lexing each for its exports), about 0.1 s of CPU at every start.
const EXTERNAL = ['react', 'react/*', 'react-dom', 'ink', 'ink/*', 'serialport', '@serialport/*', 'mqtt', 'mqtt/*', 'aedes', 'aedes/*'];

const builtAt = Date.now();
// The build info goes first (with the old build) and comes back last: a half-written build is
// never taken as fresh.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root,
  // The entry points of bin/: the command, the parse worker of a file replay and the port
  // reader of a monitor.
  entryPoints: { cli: 'src/cli.ts', 'parse-worker': 'src/cli/parse-worker.ts', 'tty-reader-worker': 'src/io/tty-reader-worker.ts' },
  outdir,
  bundle: true,
  // Dynamic import() of the UI and the device commands becomes chunks loaded on demand.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Read only when HSMON_DEBUG turns source maps on, for stack traces in TypeScript terms.
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  jsx: 'automatic',
});
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/'));
writeFileSync(join(outdir, BUILD_INFO), JSON.stringify({ builtAt, inputs }, null, 1) + '\n');
process.stdout.write(`hsmon build: ${inputs.length} sources → ${outdir}\n`);
