#!/usr/bin/env node
// Runs the slowest end-to-end test files of a full run twice more, one run after the other:
// a test that passes only on a fresh machine (a port, a tmux server, a file or a process left
// behind by its first run; an order it silently needs) fails here. `.ci/run` calls it with the
// vitest JSON report of `npm test`, from which it takes the slowest files; without a report it
// uses FALLBACK. Usage: node scripts/rerun-slowest.js [REPORT.json] [COUNT]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const FALLBACK = ['test/e2e/monitor.test.ts', 'test/e2e/mosquitto.test.ts', 'test/e2e/demo-tui.test.ts', 'test/e2e/build.test.ts'];
const [reportPath, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 4);

let files = FALLBACK;
if (reportPath && existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  files = report.testResults
    .map((r) => ({ file: relative(process.cwd(), r.name), ms: r.endTime - r.startTime }))
    .filter((r) => r.file.startsWith('test/e2e/'))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((r) => {
      process.stdout.write(`rerun: ${r.file} took ${(r.ms / 1000).toFixed(1)} s in the full run\n`);
      return r.file;
    });
}

for (const round of [1, 2]) {
  process.stdout.write(`--- the slowest e2e files, run ${round} of 2: ${files.join(' ')}\n`);
  const r = spawnSync('npx', ['vitest', 'run', ...files], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`rerun: run ${round} of the slowest e2e files failed (exit ${r.status ?? r.signal}): a test depends on order or on state a previous run left\n`);
    process.exit(1);
  }
}
