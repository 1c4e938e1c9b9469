#!/usr/bin/env node
// Runs a TypeScript entry point through tsx's loader, so the project needs no build step:
// `npx hsmon`, `npm start` and `npm run bench` work right after `npm install`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts.js FILE.ts [args…]\n');
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(resolve(entry)).href);
