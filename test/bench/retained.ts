/**
 * What a long replay keeps: the live heap after a full garbage collection as the session goes
 * through more and more handshakes, in process (`npm run bench` runs it with --expose-gc).
 * Peak RSS also holds what the collector has not reclaimed yet; this is what it cannot.
 *
 *   node --expose-gc scripts/run-ts.js test/bench/retained.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createSession } from '../../src/session/create-session.ts';

const root = resolve(import.meta.dirname, '../..');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stdout.write('   retained heap: skipped (run with node --expose-gc)\n');
  process.exit(0);
}
const unit = readFileSync(join(root, 'recordings/tls12_gcm_debug4_ok.log'));
const session = createSession({ source: { type: 'file', name: 'bench' } });
const points: { attempts: number; mb: number }[] = [];
let fed = 0;
for (const target of [540, 1080, 2160]) {
  for (; fed < target; fed++) {
    for (let o = 0; o < unit.length; o += 65536) session.feed(unit.subarray(o, o + 65536), 0);
    // Certificate analyses run on promises: let them finish as a live session would.
    if (fed % 50 === 0) await session.settled();
  }
  await session.settled();
  gc();
  points.push({ attempts: session.getSnapshot().handshakes.length, mb: process.memoryUsage().heapUsed / 1048576 });
}
// From the second point on: by then the bounded rings (alerts, PSA calls, …) are full.
const [, b, c] = points;
const perAttempt = ((c!.mb - b!.mb) * 1024) / (c!.attempts - b!.attempts);
process.stdout.write(`   live heap after a full GC: ${points.map((p) => `${p.mb.toFixed(1)} MB at ${p.attempts} attempts`).join(', ')}\n`);
process.stdout.write(`   ≈ ${perAttempt.toFixed(1)} KB per finished attempt kept for the summary (at most 2 000 are kept: HandshakeTracker keepTotal); all else is bounded\n`);
