/**
 * `npm run bench`: speed and memory of hsmon, measured on this machine, printed as a table.
 *  1. replay --json of a ≥ 64 MB debug-4 log (tls12_gcm_debug4_ok.log concatenated) and of
 *     two and four times that size: MB/s and peak RSS (which must not grow with the file),
 *     against the floor `grep -c 'client state'` on the same file; then the throughput of each
 *     stage in process (stages.ts) and what the session retains (retained.ts).
 *  2. the UI replaying the same log in a pty (test/bench/ui.ts), when present.
 *  3. the serial soak through a pty (test/bench/soak.ts), when present.
 * BENCH_QUICK=1 runs a smaller variant (for a smoke check); SOAK_SECONDS sets the soak length;
 *  4. hostile input (test/bench/hostile.ts): a million key lines, a million MQTT topics, a 1 GB
 *     .cast, npm run fuzz with 10^6 lines — peak RSS each.
 *  5. seeking in the interactive replay of the 64 MB log.
 * BENCH_ONLY=replay (or ui, seek, soak, hostile; comma-separated) runs only those sections.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const quick = process.env['BENCH_QUICK'] === '1';
const only = process.env['BENCH_ONLY']?.split(',').map((x) => x.trim()).filter(Boolean) ?? [];
const runs = (section: 'replay' | 'ui' | 'soak' | 'seek' | 'hostile'): boolean => only.length === 0 || only.includes(section);

export function buildBigLog(targetMb: number, dir: string): string {
  const unit = readFileSync(join(root, 'recordings/tls12_gcm_debug4_ok.log'));
  const copies = Math.ceil((targetMb * 1024 * 1024) / unit.length);
  const path = join(dir, `debug4-${targetMb}mb.log`);
  writeFileSync(path, Buffer.concat(Array.from({ length: copies }, () => unit)));
  return path;
}

interface RunStats { seconds: number; cpuSeconds: number; peakRssMb: number; outputLines: number; exitCode: number | null; code: string }

function replayJson(path: string): Promise<RunStats> {
  return new Promise((res, rej) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/hsmon.js'), 'replay', path, '--json', '--speed', 'max'], {
      env: { ...process.env, HSMON_STATS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', rej);
    child.on('close', (code) => {
      const m = /hsmon-stats maxRssKb=(\d+) code=(\w+) cpuMs=(\d+)/.exec(stderr);
      if (!m) return rej(new Error(`no stats from hsmon (exit ${code}): ${stderr.slice(0, 500)}`));
      res({ seconds: (performance.now() - start) / 1000, cpuSeconds: Number(m[3]) / 1000, peakRssMb: Number(m[1]) / 1024, outputLines: lines, exitCode: code, code: m[2]! });
    });
  });
}

/**
 * The peer: lnav reading the same file without its UI (`lnav -n`: load, index, print), wall and
 * CPU seconds (GNU time), or null without lnav.
 */
function lnavPeer(path: string): { seconds: number; cpuSeconds: number | null } | null {
  if (spawnSync('lnav', ['-V']).status !== 0) return null;
  const hasTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'lnav', '-n', path], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    : spawnSync('lnav', ['-n', path], { stdio: ['ignore', 'ignore', 'ignore'] });
  const seconds = (performance.now() - start) / 1000;
  const m = hasTime ? /cpu ([\d.]+) ([\d.]+)/.exec(String(r.stderr)) : null;
  return { seconds, cpuSeconds: m ? Number(m[1]) + Number(m[2]) : null };
}

function grepFloor(path: string): { seconds: number; count: number } {
  const start = performance.now();
  const out = execFileSync('grep', ['-c', 'client state', path], { encoding: 'utf8' });
  return { seconds: (performance.now() - start) / 1000, count: Number(out.trim()) };
}

const fmt = (n: number, d = 1) => n.toFixed(d);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-bench-'));
  try {
    const sizes = quick ? [8, 16] : [64, 128, 256];
    console.log(`hsmon bench — node ${process.version}, ${new Date().toISOString()}`);
    if (runs('replay')) await benchReplay(dir, sizes);
    if (runs('ui')) await benchUiSection();
    if (runs('seek')) await benchSeekSection();
    if (runs('soak')) await benchSoak();
    if (runs('hostile')) await (await import('./hostile.ts')).benchHostile(dir, quick);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs of each size: a busy 2-core machine varies by ±10 % from run to run; the median is reported. */
const RUNS = quick ? 1 : 3;

async function benchReplay(dir: string, sizes: number[]): Promise<void> {
  console.log(`\n1. replay --json (tls12_gcm_debug4_ok.log concatenated), ${RUNS} run(s) per size, median`);
  console.log('   size      MB/s (runs)              peak RSS (runs)               NDJSON lines   grep -c "client state" (count, MB/s)');
  const results: { mb: number; mbps: number; rss: number }[] = [];
  const codes = new Set<string>();
  for (const mb of sizes) {
    const path = buildBigLog(mb, dir);
    const realMb = statSync(path).size / (1024 * 1024);
    const runs: RunStats[] = [];
    for (let k = 0; k < RUNS; k++) runs.push(await replayJson(path));
    runs.forEach((r) => codes.add(r.code));
    const speeds = runs.map((r) => realMb / r.seconds).sort((x, y) => x - y);
    const mbps = speeds[Math.floor((speeds.length - 1) / 2)]!;
    const rss = Math.max(...runs.map((r) => r.peakRssMb));
    const rssEach = runs.map((r) => fmt(r.peakRssMb, 0)).join(', ');
    const g = grepFloor(path);
    results.push({ mb: realMb, mbps, rss });
    const each = `(${speeds.map((v) => fmt(v)).join(', ')})`;
    console.log(`   ${fmt(realMb).padStart(6)} MB ${fmt(mbps).padStart(7)} ${each.padEnd(18)} ${fmt(rss).padStart(7)} MB (${rssEach}) ${String(runs[0]!.outputLines).padStart(9)}   ${g.count}, ${fmt(realMb / g.seconds, 0)} MB/s`);
    if (mb === sizes[0]) {
      const cpu = runs.map((r) => r.cpuSeconds).sort((x, y) => x - y);
      const wall = runs.map((r) => r.seconds).sort((x, y) => x - y);
      const peer = lnavPeer(path);
      const mid = (xs: number[]) => xs[Math.floor((xs.length - 1) / 2)]!;
      console.log(`     hsmon replay --json: ${fmt(mid(wall), 2)} s wall, ${fmt(mid(cpu), 2)} CPU-s (every thread); peer lnav -n (load, index, print): ${peer ? `${fmt(peer.seconds, 2)} s wall${peer.cpuSeconds === null ? '' : `, ${fmt(peer.cpuSeconds, 2)} CPU-s`}` : 'lnav not installed'}`);
    }
    rmSync(path);
  }
  console.log(`   peak RSS by input size: ${results.map((r) => `${fmt(r.rss, 0)} MB at ${fmt(r.mb, 0)} MB`).join(', ')}`);
  const speedMet = results.every((r) => r.mbps >= 60);
  const rssMet = results.every((r) => r.rss <= 250);
  const first = results[0];
  const last = results.at(-1);
  const growth = first && last && last !== first ? `; it grows by ${fmt(last.rss - first.rss, 0)} MB from ${fmt(first.mb, 0)} to ${fmt(last.mb, 0)} MB of input (the attempts kept for the summary, below, and garbage not collected yet)` : '';
  console.log(`   targets: ≥ 60 MB/s → ${speedMet ? 'met' : 'NOT MET'}; peak RSS ≤ 250 MB → ${rssMet ? 'met' : 'NOT MET'}${growth}`);
  // The build in dist/ (`npm run build`, run before the bench) is what users run after `npm install`.
  console.log(`   code run: ${[...codes].join(', ')}${codes.has('sources') ? ' (the build in dist/ is missing or older than the sources: run `npm run build`)' : ' (dist/, made by `npm run build`)'}`);
  console.log(`   start-up (replay --json of an empty file): ${fmt(await startupSeconds(dir), 2)} s, included in the MB/s above`);
  console.log(execFileSync(process.execPath, [join(root, 'scripts/run-ts.js'), join(root, 'test/bench/stages.ts'), '8'], { encoding: 'utf8' }).trimEnd());
  console.log(execFileSync(process.execPath, ['--expose-gc', join(root, 'scripts/run-ts.js'), join(root, 'test/bench/retained.ts')], { encoding: 'utf8' }).trimEnd());
}

async function startupSeconds(dir: string): Promise<number> {
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  return (await replayJson(empty)).seconds;
}

async function benchUiSection(): Promise<void> {
  const uiBench = join(root, 'test/bench/ui.ts');
  if (existsSync(uiBench)) {
    console.log('\n2. interactive UI replaying the debug-4 log at max speed in a pty');
    const { benchUi } = (await import(uiBench)) as { benchUi: (o?: { quick?: boolean }) => Promise<Record<string, number>> };
    const u = await benchUi({ quick });
    for (const [k, v] of Object.entries(u)) console.log(`   ${k}: ${fmt(v, 2)}`);
  }
}

async function benchSeekSection(): Promise<void> {
  const mb = quick ? 8 : 64;
  console.log(`\n4. replay seeks (time machine) in the ${mb} MB debug-4 log, target < 2 s each`);
  const { benchSeek } = (await import(join(root, 'test/bench/seek.ts'))) as { benchSeek: (mb: number) => Promise<Record<string, number>> };
  const r = await benchSeek(mb);
  for (const [k, v] of Object.entries(r)) console.log(`   ${k}: ${fmt(v, 2)}`);
  // The first reading parses the file (the replay reads ahead while it idles): not a seek.
  const seeks = Object.entries(r).filter(([k]) => !k.startsWith('first') && !k.startsWith('read ahead'));
  const worst = Math.max(...seeks.filter(([k]) => k.endsWith(' s')).map(([, v]) => v));
  const worstCpu = Math.max(...seeks.filter(([k]) => k.endsWith(' cpu-s')).map(([, v]) => v));
  console.log(`   worst seek once the file is read ${fmt(worst, 2)} s wall, ${fmt(worstCpu, 2)} s CPU → ${worst < 2 ? 'met' : 'NOT MET'} (wall)`);
  const g = r['first G right after opening s'];
  if (g !== undefined) console.log(`   a G pressed as the time machine opens (it waits for the file to be read) ${fmt(g, 2)} s → ${g < 2 ? 'met' : 'NOT MET'}`);
  // The same through the product, whose workers start with the command line (bin/early-workers.js).
  const { benchFirstG } = await import('./ui.ts');
  const p = await benchFirstG({ quick });
  console.log(`   hsmon replay in tmux: first frame ${fmt(p.firstFrameS, 2)} s after launch; G sent then landed ${fmt(p.landedAfterFirstFrameS, 2)} s later (${fmt(p.landedAfterLaunchS, 2)} s after launch) → ${p.landedAfterFirstFrameS < 2 ? 'met' : 'NOT MET'}`);
}

async function benchSoak(): Promise<void> {
  const soakBench = join(root, 'test/bench/soak.ts');
  if (existsSync(soakBench)) {
    const seconds = Number(process.env['SOAK_SECONDS'] ?? (quick ? 5 : 30));
    console.log(`\n3. serial soak: 921600-baud flood through a pty for ${seconds} s`);
    const { soak } = (await import(soakBench)) as { soak: (o: { seconds: number }) => Promise<Record<string, number>> };
    const s = await soak({ seconds });
    for (const [k, v] of Object.entries(s)) console.log(`   ${k}: ${typeof v === 'number' ? fmt(v, 1) : String(v)}`);
  }
}

await main();
