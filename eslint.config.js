// Lint with the folder boundaries of the design: parsers ← machines ← src, side effects in src/io,
// ink/react in src/ui. The boundaries are rules, not good intentions: a stray import fails CI.
// test/lint/boundaries.test.ts proves each rule with a snippet that breaks it.
import { builtinModules } from 'node:module';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

const pkgs = (names, message) => names.map((name) => ({ name, message }));
const NODE = ['fs', 'path', 'os', 'child_process', 'net', 'stream', 'util', 'crypto', 'events', 'buffer', 'url', 'tty'];
const node = pkgs(NODE, 'parsers/ and machines/ are pure: no Node APIs, no I/O.');
const ui = pkgs(['ink', 'react', 'react/jsx-runtime', 'ink-testing-library'], 'Only src/ui imports ink and react.');
const io = pkgs(['serialport', 'mqtt', 'aedes'], 'Only src/io imports serialport, mqtt and aedes (side effects live there).');
const nodePattern = { group: ['node:*'], message: 'parsers/ and machines/ are pure: no Node APIs, no I/O.' };
const ioPattern = { group: ['@serialport/*'], message: 'Only src/io imports serialport.' };

const restrict = (paths, patterns = []) => ['error', { paths, patterns }];

// Node's modules by their `node:` names only: a bare `fs/promises` or `worker_threads` could be
// shadowed by a package of that name, and the node: prefix is what the folder rules match.
const bare = builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: `Use 'node:${name}' (a bare name could resolve to a package).` }));
// Run-time Node APIs only where side effects live; type-only imports (a Writable to write to) are fine.
const nodeOutsideIo = { group: ['node:*'], allowTypeImports: true, message: 'Node built-ins only in src/io, src/record and src/cli: put the side effect there.' };
const tsRestrict = (patterns = []) => ['error', { paths: bare, patterns }];
// The session is the importer of certs, mqtt and diagnosis: they share its contracts through src/contracts.
const noSession = { group: ['**/session/**', '**/session.ts'], message: 'src/certs, src/mqtt and src/diagnosis do not import src/session: use the types of src/contracts.' };
// Views read the session's view model (src/session re-exports the few protocol tables they name).
const uiNoCore = { group: ['**/parsers/**', '**/machines/**'], message: 'src/ui imports neither parsers/ nor machines/: read the view model (src/session).' };
// Replay works because machines take time from events (`t`), never from a clock of their own.
const CLOCKS = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'Date', 'performance']
  .map((name) => ({ name, message: 'machines/ have no timers or clocks: time comes from the events (t), so replay works.' }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    rules: { '@typescript-eslint/no-restricted-imports': tsRestrict() },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/io/**', 'src/record/**', 'src/cli/**'],
    rules: { '@typescript-eslint/no-restricted-imports': tsRestrict([nodeOutsideIo]) },
  },
  {
    // Every regex that can see device text must run in linear time on any input (issue 15: one
    // `=` banner after a cut PSA line took seconds per line, then forever). Checked statically by
    // scslre's analysis, never by timers.
    files: ['parsers/**/*.ts', 'machines/**/*.ts', 'src/**/*.{ts,tsx}'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    files: ['parsers/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([...node, ...ui, ...io, ...pkgs(['xstate'], 'parsers/ depends on nothing but itself.')], [
        nodePattern,
        ioPattern,
        { group: ['**/machines/**', '**/src/**'], message: 'parsers/ depends on nothing: machines and src depend on it.' },
      ]),
    },
  },
  {
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([...node, ...ui, ...io], [
        nodePattern,
        ioPattern,
        { group: ['**/src/**'], message: 'machines/ may import only xstate and parsers/.' },
      ]),
      'no-restricted-globals': ['error', ...CLOCKS],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/**', 'src/io/**', 'src/certs/**', 'src/mqtt/**', 'src/diagnosis/**'],
    rules: { 'no-restricted-imports': restrict([...ui, ...io], [ioPattern]) },
  },
  {
    files: ['src/certs/**/*.ts', 'src/mqtt/**/*.ts', 'src/diagnosis/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...ui, ...io], [ioPattern, noSession]) },
  },
  {
    files: ['src/io/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(ui) },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(io, [ioPattern, uiNoCore]) },
  },
  {
    files: ['test/**', 'bin/**', 'scripts/**', '*.config.*'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
