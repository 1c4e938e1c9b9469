/**
 * Seeking in a replay: the 64 MB debug-4 log (tls12_gcm_debug4_ok.log concatenated) in a time
 * machine, the way `hsmon replay` holds it: the parse worker records the tape of what the parse
 * stage made from the moment the file opens (tape-in-worker.ts), and a seek feeds a fresh
 * session from the tape (forward from where it is when the target is ahead). Also, for
 * comparison, the file parsed on the main thread (a .cast recording still is). Called by
 * `npm run bench` (BENCH_ONLY=seek); alone:
 *   npx tsx test/bench/seek.ts [MB]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stageOptions } from '../../src/cli/parse-worker.ts';
import { readTapeInWorker } from '../../src/cli/tape-in-worker.ts';
import { replayPlayer } from '../../src/cli/replay-player.ts';
import { watchLoopDelay } from '../../src/io/loop-delay.ts';
import { createSession } from '../../src/session/create-session.ts';
import { textRecording } from '../../src/session/recording.ts';
import { TimeMachine, type SeekTarget } from '../../src/session/time-machine.ts';

const root = resolve(import.meta.dirname, '../..');

export async function benchSeek(targetMb = 64): Promise<Record<string, number>> {
  const unit = readFileSync(resolve(root, 'recordings/tls12_gcm_debug4_ok.log'));
  const copies = Math.ceil((targetMb * 1024 * 1024) / unit.length);
  const bytes = Buffer.concat(Array.from({ length: copies }, () => unit));
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-seekbench-'));
  const path = join(dir, 'bench.log');
  writeFileSync(path, bytes);
  const t0 = performance.now();
  const rec = textRecording(bytes);
  const indexMs = performance.now() - t0;
  const session = (): ReturnType<typeof createSession> => createSession({ source: { type: 'file', name: 'bench.log' } });
  const job = { path, stage: stageOptions(undefined, true, undefined), tape: { bytes: bytes.length } };
  const out: Record<string, number> = { inputMb: bytes.length / (1024 * 1024), lines: rec.count, indexSeconds: indexMs / 1000 };
  // G pressed as the replay opens, through the player as the UI presses it: it waits for the
  // workers to read the file, then lands a slice at a time (the main thread's CPU beside it is
  // what the screen would lose, and its longest block how long a key would wait). With a core
  // to spare (more than the 2 reading), the player feeds what is read while the rest is read;
  // forced on this 2-core VM ('following'), it shows what is left to land after the read, but
  // the read then shares the cores with this thread, as it would not with a spare core.
  const firstG = async (name: string, cores?: number): Promise<{ tm: TimeMachine; player: ReturnType<typeof replayPlayer> }> => {
    const opened = performance.now();
    const open0 = process.cpuUsage();
    const tm = new TimeMachine(rec, session, { readElsewhere: (tape, on) => readTapeInWorker(job, tape, on) });
    let readAt = 0;
    tm.onRead(() => {
      if (readAt === 0 && tm.readAll) readAt = performance.now();
    });
    const player = replayPlayer(tm, { speed: 1, paused: true, ...(cores ? { cores } : {}) });
    const loop = watchLoopDelay();
    const landed = new Promise<void>((res) => player.onSeekMessage!((text) => text.startsWith('at the end') && res()));
    player.seek!({ to: 'end' });
    await landed;
    tm.getSnapshot();
    const now = performance.now();
    const o = process.cpuUsage(open0);
    out[`${name} s`] = (now - opened) / 1000;
    out[`${name}: the file read after s`] = (readAt - opened) / 1000;
    out[`${name}: landed after the read ms`] = now - readAt;
    out[`${name} cpu-s (all threads)`] = (o.user + o.system) / 1e6;
    // The histogram records a block when its timer next runs: one more turn of the loop first.
    await new Promise((r) => setTimeout(r, 30));
    out[`${name}: screen thread blocked at most ms`] = loop.stop().max;
    return { tm, player };
  };
  // This machine's cores first: its main thread is as cold as when the replay opens.
  const { tm, player } = await firstG('first G right after opening');
  (await firstG('first G right after opening, following the read (as with a spare core)', 3)).player.close();
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
  const row = (name: string, target: SeekTarget): void => {
    out[`${name} s`] = time(target);
    out[`${name} cpu-s`] = cpuOf();
  };
  row('g (end → line 1)', { to: 'start' });
  row('# middle line (forward)', { to: 'line', line: Math.floor(lines / 2) });
  time({ to: 'end' });
  row('# last line - 1 (back: re-feed from the start)', { to: 'line', line: lines - 2 });
  row('[ previous state near the end', { to: 'state', dir: -1 });
  row('] next state', { to: 'state', dir: 1 });
  row('← previous parsed line near the end', { to: 'parsed', dir: -1 });
  player.close();
  rmSync(dir, { recursive: true, force: true });
  // For comparison: the file parsed on the main thread, as a .cast recording still is.
  const here = new TimeMachine(rec, session);
  const g0 = performance.now();
  const c0 = process.cpuUsage();
  here.seek({ to: 'end' });
  here.getSnapshot();
  const c = process.cpuUsage(c0);
  out['first G parsing on the main thread (a .cast) s'] = (performance.now() - g0) / 1000;
  out['first G parsing on the main thread (a .cast) cpu-s'] = (c.user + c.system) / 1e6;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [k, v] of Object.entries(await benchSeek(Number(process.argv[2] ?? 64)))) console.log(`${k}: ${v.toFixed(2)}`);
}
