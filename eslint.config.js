// Lint with the folder boundaries of the design: parsers ← machines ← src.
// The boundaries are rules, not good intentions: a stray import fails CI.
import tseslint from 'typescript-eslint';

const noNode = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'stream'], message: 'parsers/ and machines/ are pure: no Node APIs, no I/O.' };
const noUi = { group: ['ink', 'ink-*', 'react', 'react/*'], message: 'Only src/ui imports ink and react.' };
const noIo = { group: ['serialport', '@serialport/*', 'mqtt', 'aedes'], message: 'Only src/io imports serialport and mqtt.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['parsers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        noNode, noUi, noIo,
        { group: ['xstate', '**/machines/**', '**/src/**'], message: 'parsers/ depends on nothing: machines and src depend on it.' },
      ] }],
    },
  },
  {
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        noNode, noUi, noIo,
        { group: ['**/src/**'], message: 'machines/ may import only xstate and parsers/.' },
      ] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi] }] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/io/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noIo] }] },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noIo] }] },
  },
  {
    files: ['test/**', 'bin/**', '*.config.*'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
