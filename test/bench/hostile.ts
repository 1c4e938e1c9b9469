/**
 * `npm run bench` section 4 (BENCH_ONLY=hostile): memory bounded whatever the device prints
 * (issue 15). Peak RSS of the real command for
 *  - summarize of a million distinct `hsmon: key id=` lines (PSA volatile ids grow per connection),
 *  - summarize of a million MQTT publishes to distinct topics (half of them also subscribed),
 *  - replay --json --speed max of a 1 GB .cast recording,
 *  - and `npm run fuzz` with 10^6 mutated lines (its own closing lines);
 *  - the interactive UI drawing a flood of distinct lines (issue 12): live heap in process
 *    (ui-heap.ts) and peak RSS of `hsmon replay` in tmux (ui-flood.ts); neither may grow with
 *    the lines drawn.
 * Target for each: peak RSS under 250 MB. BENCH_QUICK=1: a tenth of each. HOSTILE_ONLY=keys,topics,
 * cast,fuzz,ui (comma-separated) runs only those.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CastWriter } from '../../src/record/cast-writer.ts';

const root = resolve(import.meta.dirname, '../..');

interface Run { seconds: number; rssMb: number; stdoutBytes: number; code: number | null; tail: string }

function hsmonStats(args: string[]): Promise<Run> {
  return new Promise((res, rej) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/hsmon.js'), ...args], { env: { ...process.env, HSMON_STATS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let tail = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdoutBytes += b.length;
      tail = (tail + b.toString()).slice(-200_000);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', rej);
    child.on('close', (code) => {
      const m = /hsmon-stats maxRssKb=(\d+)/.exec(stderr);
      if (!m) return rej(new Error(`no stats from hsmon (exit ${code}): ${stderr.slice(0, 300)}`));
      res({ seconds: (performance.now() - start) / 1000, rssMb: Number(m[1]) / 1024, stdoutBytes, code, tail });
    });
  });
}

/** Writes `n` lines made by `line(i)` in blocks. */
function writeLines(path: string, n: number, line: (i: number) => string): number {
  const fd = openSync(path, 'w');
  let block: string[] = [];
  for (let i = 0; i < n; i++) {
    block.push(line(i));
    if (block.length === 10_000) {
      writeSync(fd, `${block.join('\n')}\n`);
      block = [];
    }
  }
  if (block.length > 0) writeSync(fd, `${block.join('\n')}\n`);
  closeSync(fd);
  return statSync(path).size;
}

/** A .cast of about `mb` MB: the debug-4 log recorded once, its event lines repeated with later times. */
function bigCast(dir: string, mb: number): string {
  const one = join(dir, 'one.cast');
  const w = new CastWriter(one, { now: () => 0, flushMs: 60_000 });
  const log = readFileSync(join(root, 'recordings/tls12_gcm_debug4_ok.log'));
  let t = 0;
  for (let off = 0; off < log.length; off += 256) w.rx(log.subarray(off, off + 256), (t += 1));
  w.close();
  const [header, ...events] = readFileSync(one, 'utf8').trimEnd().split('\n');
  const parsed = events.map((l) => JSON.parse(l) as [number, string, string]);
  const span = parsed.at(-1)![0] + 0.001;
  const path = join(dir, `big-${mb}mb.cast`);
  const fd = openSync(path, 'w');
  writeSync(fd, `${header}\n`);
  let bytes = 0;
  for (let k = 0; bytes < mb * 1024 * 1024; k++) {
    const text = parsed.map(([at, type, data]) => `[${(at + k * span).toFixed(6)}, ${JSON.stringify(type)}, ${JSON.stringify(data)}]`).join('\n') + '\n';
    bytes += writeSync(fd, text);
  }
  closeSync(fd);
  rmSync(one);
  return path;
}

const fmt = (n: number, d = 1): string => n.toFixed(d);
const hostileOnly = process.env['HOSTILE_ONLY']?.split(',').map((x) => x.trim()).filter(Boolean) ?? [];
const part = (name: 'keys' | 'topics' | 'cast' | 'fuzz' | 'ui'): boolean => hostileOnly.length === 0 || hostileOnly.includes(name);
const verdict = (rss: number): string => (rss < 250 ? 'met' : 'NOT MET');

export async function benchHostile(dir: string, quick: boolean): Promise<void> {
  const n = quick ? 100_000 : 1_000_000;
  console.log(`\n4. hostile input: peak RSS of the real command (target < 250 MB each)`);

  if (part('keys')) await benchKeys(dir, n);
  if (part('topics')) await benchTopics(dir, n);
  if (part('cast')) await benchCast(dir, quick);
  if (part('fuzz')) benchFuzz(quick);
  if (part('ui')) await benchUiFloodSection(quick);
}

async function benchUiFloodSection(quick: boolean): Promise<void> {
  const frames = quick ? 400 : 8000;
  console.log(execFileSync(process.execPath, ['--expose-gc', join(root, 'scripts/run-ts.js'), join(root, 'test/bench/ui-heap.ts'), String(frames)], { encoding: 'utf8' }).trimEnd());
  const { benchUiFlood } = await import('./ui-flood.ts');
  // 3 000 lines a second, as recorded: ten minutes (one with BENCH_QUICK).
  const lines = quick ? 180_000 : 1_800_000;
  const u = await benchUiFlood(lines, 3000);
  console.log(`   UI replaying ${lines} distinct lines at 3 000 lines/s in tmux 140×45: ${fmt(u.seconds, 0)} s, ${u.renders} frames, peak RSS ${fmt(u.peakRssMb, 0)} MB, ${fmt(u.cpuSeconds, 0)} CPU-s`);
}

async function benchKeys(dir: string, n: number): Promise<void> {
  const keys = join(dir, 'keys.log');
  const keyBytes = writeLines(keys, n, (i) => `hsmon: key id=${i + 2} type=ECC_KEY_PAIR(SECP_R1) bits=256 alg=ECDSA(SHA_256) usage=SIGN_HASH lifetime=volatile status=0`);
  const k = await hsmonStats(['summarize', keys, '--json']);
  const ks = JSON.parse(k.tail.trim().split('\n').at(-1)!) as { keys: unknown[]; dropped?: Record<string, number> };
  console.log(`   ${n} distinct key lines (${fmt(keyBytes / 1e6)} MB): ${fmt(k.seconds)} s, peak RSS ${fmt(k.rssMb, 0)} MB → ${verdict(k.rssMb)}; summary ${fmt(k.stdoutBytes / 1024, 0)} KB, ${ks.keys.length} keys, dropped.keys ${ks.dropped?.['keys'] ?? 0}`);
  rmSync(keys);
}

async function benchTopics(dir: string, n: number): Promise<void> {
  const topics = join(dir, 'topics.log');
  const topicBytes = writeLines(topics, n, (i) => (i % 2 === 0 ? `MQTT client subscribed to the topic 'bench/${i}/state' successfully.` : `Publisher: Publishing 'v${i}' on the topic 'bench/${i}/state'`));
  const t = await hsmonStats(['summarize', topics, '--json']);
  const ts = JSON.parse(t.tail.trim().split('\n').at(-1)!) as { mqtt: { messages: unknown[]; subscriptions: unknown[] }; dropped?: Record<string, number> };
  console.log(`   ${n} lines, ${n} distinct MQTT topics (${fmt(topicBytes / 1e6)} MB): ${fmt(t.seconds)} s, peak RSS ${fmt(t.rssMb, 0)} MB → ${verdict(t.rssMb)}; summary ${fmt(t.stdoutBytes / 1024, 0)} KB, ${ts.mqtt.messages.length} messages, ${ts.mqtt.subscriptions.length} subscriptions, dropped ${JSON.stringify(ts.dropped ?? {})}`);
  rmSync(topics);
}

async function benchCast(dir: string, quick: boolean): Promise<void> {
  const castMb = quick ? 100 : 1024;
  const cast = bigCast(dir, castMb);
  const castBytes = statSync(cast).size;
  const c = await hsmonStats(['replay', cast, '--json', '--speed', 'max']);
  console.log(`   replay --json --speed max of a ${fmt(castBytes / 1024 ** 3, 2)} GB .cast: ${fmt(c.seconds)} s (${fmt(castBytes / 1024 ** 2 / c.seconds)} MB/s), peak RSS ${fmt(c.rssMb, 0)} MB → ${verdict(c.rssMb)}; exit ${c.code}`);
  rmSync(cast);
}

function benchFuzz(quick: boolean): void {
  const lines = quick ? 100_000 : 1_000_000;
  console.log(`   npm run fuzz with ${lines} lines:`);
  const out = execFileSync(process.execPath, [join(root, 'scripts/run-ts.js'), join(root, 'test/fuzz/run.ts')], { env: { ...process.env, FUZZ_LINES: String(lines) }, encoding: 'utf8' });
  for (const l of out.trimEnd().split('\n').slice(-3)) console.log(`   ${l}`);
}
