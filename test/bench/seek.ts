/**
 * Seeking in a replay: the 64 MB debug-4 log (tls12_gcm_debug4_ok.log concatenated) in a time
 * machine, the way `hsmon replay` holds it. The file is parsed once (the first pass, or reading
 * ahead while the replay idles); a seek back feeds a fresh session from the tape of what the
 * parse stage made (forward from where it is when the target is ahead). Called by `npm run bench` (BENCH_ONLY=seek); alone:
 *   npx tsx test/bench/seek.ts [MB]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSession } from '../../src/session/create-session.ts';
import { textRecording } from '../../src/session/recording.ts';
import { TimeMachine, type SeekTarget } from '../../src/session/time-machine.ts';

const root = resolve(import.meta.dirname, '../..');

export function benchSeek(targetMb = 64): Record<string, number> {
  const unit = readFileSync(resolve(root, 'recordings/tls12_gcm_debug4_ok.log'));
  const copies = Math.ceil((targetMb * 1024 * 1024) / unit.length);
  const bytes = Buffer.concat(Array.from({ length: copies }, () => unit));
  const t0 = performance.now();
  const rec = textRecording(bytes);
  const indexMs = performance.now() - t0;
  const tm = new TimeMachine(rec, () => {
    const s = createSession({ source: { type: 'file', name: 'bench.log' } });
    return s;
  });
  // Wall time, and the CPU time beside it: on the shared 2-core VM the wall clock mostly
  // measures the other processes.
  const cpu: Record<string, number> = {};
  let last = '';
  const time = (target: SeekTarget): number => {
    const start = performance.now();
    const c0 = process.cpuUsage();
    tm.seek(target);
    tm.getSnapshot(); // what the UI draws next
    const c = process.cpuUsage(c0);
    last = JSON.stringify(target);
    cpu[last] = (c.user + c.system) / 1e6;
    return (performance.now() - start) / 1000;
  };
  const cpuOf = (): number => cpu[last] ?? 0;
  const lines = rec.count;
  const out: Record<string, number> = { inputMb: bytes.length / (1024 * 1024), lines, indexSeconds: indexMs / 1000 };
  const row = (name: string, target: SeekTarget): void => {
    out[`${name} s`] = time(target);
    out[`${name} cpu-s`] = cpuOf();
  };
  // Not a seek in the tape: the first reading of the file (the parse), before reading ahead has done it.
  row('first G before the file is read (parses all of it)', { to: 'end' });
  row('g (end → line 1)', { to: 'start' });
  row('# middle line (forward)', { to: 'line', line: Math.floor(lines / 2) });
  time({ to: 'end' });
  row('# last line - 1 (back: re-feed from the start)', { to: 'line', line: lines - 2 });
  row('[ previous state near the end', { to: 'state', dir: -1 });
  row('] next state', { to: 'state', dir: 1 });
  row('← previous parsed line near the end', { to: 'parsed', dir: -1 });
  // A replay that idled (paused, or at a pace) has read the file ahead in the background:
  // then even the first G is a replay of the tape.
  const ahead = new TimeMachine(rec, () => createSession({ source: { type: 'file', name: 'bench.log' } }));
  const a0 = process.cpuUsage();
  while (ahead.readAhead(8));
  const a = process.cpuUsage(a0);
  out['read ahead in the background cpu-s'] = (a.user + a.system) / 1e6;
  const g0 = performance.now();
  const c0 = process.cpuUsage();
  ahead.seek({ to: 'end' });
  ahead.getSnapshot();
  const c = process.cpuUsage(c0);
  out['G after reading ahead s'] = (performance.now() - g0) / 1000;
  out['G after reading ahead cpu-s'] = (c.user + c.system) / 1e6;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [k, v] of Object.entries(benchSeek(Number(process.argv[2] ?? 64)))) console.log(`${k}: ${v.toFixed(2)}`);
}
