// Lint with the folder boundaries of the design: parsers ← machines ← src, side effects in src/io,
// ink/react in src/ui. The boundaries are rules, not good intentions: a stray import fails CI.
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
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/**', 'src/io/**'],
    rules: { 'no-restricted-imports': restrict([...ui, ...io], [ioPattern]) },
  },
  {
    files: ['src/io/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(ui) },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(io, [ioPattern]) },
  },
  {
    files: ['test/**', 'bin/**', 'scripts/**', '*.config.*'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
