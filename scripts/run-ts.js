#!/usr/bin/env node
// Runs a TypeScript entry point through tsx's loader: the bench, the fault and fuzz runs and a
// few tests start their scripts with it. A development tool like tsx itself, so it lives in
// scripts/, which the package does not ship; the hsmon command never needs it.
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
