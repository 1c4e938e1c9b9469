/**
 * Per-stage throughput of the parsing pipeline, in process (no CLI start-up, no child): where
 * the time of `replay --json` goes. Each stage is timed on its own over the same lines, so the
 * numbers compare stage against stage within one run even on a busy machine.
 *
 *   node scripts/run-ts.js test/bench/stages.ts [MB]      (default 8 MB)
 *
 * The input is recordings/tls12_gcm_debug4_ok.log concatenated in memory (a debug-4 log: half
 * of its lines are hex dump rows); `npm run bench` prints this table after the replay numbers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Line, Prefixed } from '../../parsers/events.ts';
import { LineFramer } from '../../parsers/frame.ts';
import { ProfileMatcher } from '../../parsers/profiles/index.ts';
import { SecretRedactor } from '../../parsers/secrets.ts';
import { createParsers } from '../../src/session/parsers.ts';
import { createSession } from '../../src/session/create-session.ts';

const root = resolve(import.meta.dirname, '../..');
const UNIT = 'recordings/tls12_gcm_debug4_ok.log';

interface StageResult {
  stage: string;
  mbPerSecond: number;
  ms: number;
}

/** The debug-4 recording repeated to at least `mb` MB, in memory. */
function bigLogBytes(mb: number): Buffer {
  const unit = readFileSync(join(root, UNIT));
  const copies = Math.ceil((mb * 1024 * 1024) / unit.length);
  return Buffer.concat(Array.from({ length: copies }, () => unit));
}

const PARSER_NAMES = ['mbedtls', 'psa', 'pem', 'app', 'mqtt', 'diagnostic-lines'];

function benchStages(buf: Uint8Array): StageResult[] {
  const mb = buf.length / (1024 * 1024);
  const results: StageResult[] = [];
  const time = (stage: string, f: () => void): void => {
    const t0 = performance.now();
    f();
    const ms = performance.now() - t0;
    results.push({ stage, ms, mbPerSecond: mb / (ms / 1000) });
  };
  const chunks = (f: (c: Uint8Array) => void): void => {
    for (let i = 0; i < buf.length; i += 65536) f(buf.subarray(i, i + 65536));
  };

  const lines: Line[] = [];
  time('framer', () => {
    const fr = new LineFramer();
    chunks((c) => {
      for (const l of fr.push(c, 0)) lines.push(l);
    });
    for (const l of fr.flush(0)) lines.push(l);
  });
  const red = new SecretRedactor();
  const texts: string[] = new Array<string>(lines.length);
  time('redactor', () => {
    for (let i = 0; i < lines.length; i++) texts[i] = red.redact(lines[i]!.text).text;
  });
  const pm = new ProfileMatcher();
  const segs: (readonly Prefixed[])[] = new Array<readonly Prefixed[]>(lines.length);
  time('profiles', () => {
    for (let i = 0; i < lines.length; i++) segs[i] = pm.split(texts[i]!);
  });
  createParsers({}).forEach((p, k) => {
    time(`parser ${PARSER_NAMES[k] ?? k}`, () => {
      for (let i = 0; i < lines.length; i++) for (const s of segs[i]!) p.feed(s, lines[i]!);
    });
  });
  time('session (all of the above)', () => {
    const s = createSession({ diagnosis: null, source: { type: 'file', name: 'bench' } });
    chunks((c) => s.feed(c, 0));
    s.end();
  });
  time('session + diagnosis + NDJSON', () => {
    const s = createSession({ source: { type: 'file', name: 'bench' } });
    let bytes = 0;
    s.onEvent((e) => (bytes += JSON.stringify(e).length + 1));
    chunks((c) => s.feed(c, 0));
    s.end();
    bytes += JSON.stringify(s.summary()).length;
  });
  return results;
}

function formatStages(results: StageResult[]): string {
  return results.map((r) => `   ${r.stage.padEnd(30)} ${r.mbPerSecond.toFixed(1).padStart(8)} MB/s ${r.ms.toFixed(0).padStart(7)} ms`).join('\n');
}

// A script (scripts/run-ts.js drops its own argv entry, so there is no "am I the entry" test):
// `npm run bench` runs it as a child process.
const mb = Number(process.argv[2] ?? 8);
const input = bigLogBytes(mb);
const copies = Math.round(input.length / readFileSync(join(root, UNIT)).length);
process.stdout.write(`   stages over ${(input.length / 1048576).toFixed(1)} MB (${UNIT} ×${copies}), in process; second of two passes (a long replay runs warm)\n`);
benchStages(input);
process.stdout.write(`${formatStages(benchStages(input))}\n`);
