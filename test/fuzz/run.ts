/**
 * `npm run fuzz`: hostile input through the real `hsmon replay FILE --json` (issue 15). Cases
 * are made from the recordings by the mutations in mutators.ts (bit flips, truncations,
 * splices between recordings, random bytes, 2 MB lines, invalid UTF-8, ANSI and NUL, CR-only,
 * mbedTLS-looking lines with absurd numbers and unknown states, mutated .cast recordings).
 * For every case it asserts: exit 0, 1 or 3; stderr holds only `hsmon: ` lines (no stack trace,
 * no internal error); every stdout line is valid against `hsmon schema`; the summary is the
 * last line and the only one; the run ends within FUZZ_CASE_SECONDS; peak RSS under FUZZ_MAX_RSS_MB.
 *
 * FUZZ_LINES (default 100000): device lines to feed in all (counted by hsmon's own summaries).
 * FUZZ_SEED: the seed (printed; a failure is reproduced with it). FUZZ_JOBS: parallel runs (2).
 * FUZZ_KEEP=1 keeps the case files. Prints one closing line with the counts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ndjsonSchema } from '../../src/output/schema.ts';
import * as m from './mutators.ts';

const root = resolve(import.meta.dirname, '../..');
const TARGET_LINES = Number(process.env['FUZZ_LINES'] ?? 100_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 15);
const JOBS = Number(process.env['FUZZ_JOBS'] ?? 2);
const CASE_SECONDS = Number(process.env['FUZZ_CASE_SECONDS'] ?? 60);
const MAX_RSS_MB = Number(process.env['FUZZ_MAX_RSS_MB'] ?? 250);
/** Device lines per case file: several mutated recordings end to end. */
const LINES_PER_CASE = 4000;

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(ndjsonSchema());
const recordings = readdirSync(join(root, 'recordings')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(root, 'recordings', f)));
const dir = mkdtempSync(join(tmpdir(), 'hsmon-fuzz-'));

type Kind = 'bitflip' | 'truncate' | 'splice' | 'random' | 'longline' | 'utf8' | 'ansi-nul' | 'cr-only' | 'absurd' | 'cast';
const KINDS: Kind[] = ['absurd', 'cast', 'bitflip', 'truncate', 'splice', 'random', 'longline', 'utf8', 'ansi-nul', 'cr-only'];

const countLines = (b: Buffer): number => {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
};

/** One case file: mutated recordings end to end until LINES_PER_CASE lines (a .cast holds one mutated recording of that size). */
function makeCase(kind: Kind, r: m.Rand, index: number): { path: string; bytes: number } {
  const rec = (): Buffer => recordings[Math.floor(r() * recordings.length)]!;
  const parts: Buffer[] = [];
  let lines = 0;
  while (lines < LINES_PER_CASE) {
    let b: Buffer;
    switch (kind) {
      case 'bitflip': b = m.bitFlips(r, rec()); break;
      case 'truncate': b = m.truncation(r, rec()); break;
      case 'splice': b = m.splice(r, rec(), rec()); break;
      case 'random': b = m.randomBytes(r, 64 * 1024); break;
      case 'longline': b = m.longLine(r, rec()); break;
      case 'utf8': b = m.invalidUtf8(r, rec()); break;
      case 'ansi-nul': b = m.ansiNul(r, rec()); break;
      case 'cr-only': b = m.crOnly(r, rec()); break;
      case 'absurd': b = m.absurdLines(r, rec()); break;
      case 'cast': b = rec(); break;
    }
    parts.push(b);
    // Random bytes and CR-only text hold few LF: count what hsmon frames (LF, CR, or 64 KiB).
    lines += Math.max(countLines(b), kind === 'cr-only' ? b.toString('latin1').split('\r').length : 0, Math.ceil(b.length / 65536), kind === 'random' ? Math.ceil(b.length / 200) : 0);
  }
  let data: Buffer = Buffer.concat(parts);
  let ext = 'log';
  if (kind === 'cast') {
    data = m.mutateCast(r, m.castOf(data, dir, `c${index}`));
    ext = 'cast';
  }
  const path = join(dir, `case-${String(index).padStart(4, '0')}-${kind}.${ext}`);
  writeFileSync(path, data);
  return { path, bytes: data.length };
}

interface Result {
  path: string;
  kind: Kind;
  code: number | null;
  seconds: number;
  rssMb: number;
  lines: number;
  failures: string[];
}

function runCase(path: string, kind: Kind): Promise<Result> {
  return new Promise((res) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/hsmon.js'), 'replay', path, '--json', '--speed', 'max'], {
      env: { ...process.env, HSMON_STATS: '1', HSMON_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_SECONDS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      const failures: string[] = [];
      if (signal) failures.push(`killed by ${signal}${signal === 'SIGKILL' ? ` after the ${CASE_SECONDS} s bound` : ''}`);
      if (code === null || ![0, 1, 3].includes(code)) failures.push(`exit ${code}`);
      const rss = /hsmon-stats maxRssKb=(\d+)/.exec(stderr);
      const rssMb = rss ? Number(rss[1]) / 1024 : NaN;
      if (!(rssMb < MAX_RSS_MB)) failures.push(`peak RSS ${rssMb.toFixed(0)} MB (bound ${MAX_RSS_MB} MB)`);
      for (const l of stderr.split('\n')) {
        if (l === '' || l.startsWith('hsmon-stats ')) continue;
        if (!l.startsWith('hsmon: ') || /internal error/.test(l)) failures.push(`stderr: ${l.slice(0, 200)}`);
      }
      if (/^\s+at /m.test(stderr)) failures.push('a stack trace on stderr');
      const out = Buffer.concat(chunks).toString('utf8').split('\n');
      if (out.at(-1) === '') out.pop();
      let summaries = 0;
      let lines = 0;
      out.forEach((l, i) => {
        let o: { kind?: string; lines?: number };
        try {
          o = JSON.parse(l);
        } catch {
          failures.push(`stdout line ${i + 1} is not JSON: ${l.slice(0, 120)}`);
          return;
        }
        if (!validate(o)) failures.push(`stdout line ${i + 1} not valid against hsmon schema: ${l.slice(0, 160)} ${JSON.stringify(validate.errors?.slice(0, 2))}`);
        if (o.kind === 'summary') {
          summaries++;
          lines = o.lines ?? 0;
          if (i !== out.length - 1) failures.push(`the summary is line ${i + 1} of ${out.length}, not the last`);
        }
      });
      if (summaries !== 1) failures.push(`${summaries} summary lines`);
      res({ path, kind, code, seconds, rssMb, lines, failures: failures.slice(0, 5) });
    });
  });
}

const r = m.rng(SEED);
const results: Result[] = [];
let made = 0;
let fedLines = 0;
let bytes = 0;
const started = performance.now();
console.log(`fuzz: seed ${SEED}, target ${TARGET_LINES} lines, ${JOBS} parallel runs, cases in ${dir}`);
/** Lines of the cases running now, counted as LINES_PER_CASE until their summaries tell. */
let inFlight = 0;
async function worker(): Promise<void> {
  while (fedLines + inFlight < TARGET_LINES) {
    const index = made++;
    const kind = KINDS[index % KINDS.length]!;
    inFlight += LINES_PER_CASE;
    const c = makeCase(kind, r, index);
    bytes += c.bytes;
    const res = await runCase(c.path, kind);
    inFlight -= LINES_PER_CASE;
    results.push(res);
    fedLines += res.lines;
    if (res.failures.length === 0 && process.env['FUZZ_KEEP'] !== '1') rmSync(c.path, { force: true });
  }
}
await Promise.all(Array.from({ length: JOBS }, () => worker()));

const failed = results.filter((x) => x.failures.length > 0);
for (const f of failed) console.log(`FAIL ${f.path} (${f.kind}):\n  ${f.failures.join('\n  ')}`);
const byKind = KINDS.map((k) => `${k} ${results.filter((x) => x.kind === k).length}`).join(', ');
const codes = [0, 1, 3].map((c) => `exit ${c}: ${results.filter((x) => x.code === c).length}`).join(', ');
const maxRss = Math.max(...results.map((x) => x.rssMb));
const maxSec = Math.max(...results.map((x) => x.seconds));
console.log(`cases by mutation: ${byKind}`);
console.log(`${codes}; slowest run ${maxSec.toFixed(1)} s (bound ${CASE_SECONDS} s); peak RSS ${maxRss.toFixed(0)} MB (bound ${MAX_RSS_MB} MB); ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`fuzz: ${results.length} cases, ${fedLines} lines: ${results.length - failed.length} passed, ${failed.length} failed`);
if (failed.length === 0 && process.env['FUZZ_KEEP'] !== '1') rmSync(dir, { recursive: true, force: true });
process.exitCode = failed.length === 0 && fedLines >= TARGET_LINES ? 0 : 1;
