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

// Kept in node_modules: native bindings (serialport), the broker libraries, and what Ink loads
// only for React's devtools (DEV=true; not installed). xstate and @peculiar/x509 (with asn1js,
// tslib, reflect-metadata) are bundled: every replay loads them, and Node loads their CommonJS
// builds module by module (resolving, compiling, and lexing each for its exports), about 0.1 s
// of CPU at every start. Ink and React are bundled too, into the UI's chunk: Ink's hundred-odd
// modules took 0.63 s to import on the 2-core VM, and the monitor's first frame comes about
// 0.4 s sooner without them (measured in the commit that bundled them).
const EXTERNAL = ['serialport', '@serialport/*', 'mqtt', 'mqtt/*', 'aedes', 'aedes/*', 'react-devtools-core', 'ws'];

/**
 * Ink's frame writer imports '@alcalzone/ansi-tokenize': it gets bin/ink-tokenizer.js (why: that
 * file), which imports the library itself. In a checkout's sources the same redirection is a
 * module hook (src/io/ink-tokenizer.ts).
 */
const inkTokenizer = {
  name: 'ink-tokenizer',
  setup(build) {
    build.onResolve({ filter: /^@alcalzone\/ansi-tokenize$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'ink', 'build')}`) ? { path: join(root, 'bin', 'ink-tokenizer.js') } : undefined,
    );
  },
};

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
  // Node maps a stack trace with the mappings alone; the sources' text would triple the maps.
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  jsx: 'automatic',
  plugins: [inkTokenizer],
  // React's reconciler and other CommonJS modules bundled with Ink call require() for what
  // stays in node_modules and for Node's own modules; an ES module has no require of its own.
  banner: { js: "import { createRequire as hsmonCreateRequire } from 'node:module'; const require = hsmonCreateRequire(import.meta.url);" },
});
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/'));
writeFileSync(join(outdir, BUILD_INFO), JSON.stringify({ builtAt, inputs }, null, 1) + '\n');
process.stdout.write(`hsmon build: ${inputs.length} sources → ${outdir}\n`);
