/**
 * The interactive UI's memory under a flood of distinct device lines (issue 12): short lines, no
 * two alike, recorded as a .cast at `rate` lines per second and replayed at its own pace in
 * `hsmon replay` inside a real terminal (tmux, 140×45). Paced, not `--speed max`: at max speed
 * the session takes the event loop and the UI draws a frame every few seconds, so few lines ever
 * reach the screen; a device that floods the UART for hours is drawn at up to 30 frames a second,
 * every frame with new rows and counters. The figure is the peak RSS of the hsmon process
 * (HSMON_RENDER_STATS), which must not grow with the number of distinct lines drawn (Ink keeps
 * every string it measured, see src/ui/components/Line.tsx). Called by test/bench/hostile.ts
 * (BENCH_ONLY=hostile HOSTILE_ONLY=ui); alone:
 *   npx tsx test/bench/ui-flood.ts [lines] [lines per second]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CastWriter } from '../../src/record/cast-writer.ts';
import { statsAfterQuit } from './render-stats.ts';

const root = resolve(import.meta.dirname, '../..');

export interface UiFloodResult {
  lines: number;
  linesPerSecond: number;
  inputMb: number;
  seconds: number;
  renders: number;
  peakRssMb: number;
  cpuSeconds: number;
}

/** `I (t) sensor: …` lines as ESP-IDF prints them, every one different (a counter and a value). */
export const floodLine = (i: number): string => `I (${1000 + i * 3}) sensor: sample ${i} v=${(i * 7919) % 100_003} crc=${((i * 2_654_435_761) >>> 0).toString(16)}`;

function writeFlood(path: string, n: number, rate: number): number {
  const w = new CastWriter(path, { now: () => 0, flushMs: 60_000 });
  const enc = new TextEncoder();
  for (let i = 0; i < n; i++) w.rx(enc.encode(`${floodLine(i)}\r\n`), (i * 1000) / rate);
  w.close();
  return statSync(path).size;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function benchUiFlood(lines = 360_000, rate = 3000): Promise<UiFloodResult> {
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('the UI flood bench needs tmux (apt-get install tmux)');
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-uiflood-'));
  const socket = `hsmon-uiflood-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'f');
  try {
    const log = join(dir, 'flood.cast');
    const bytes = writeFlood(log, lines, rate);
    const stats = join(dir, 'render-stats.json');
    const cmd = `cd ${JSON.stringify(root)} && env -u CI HSMON_RENDER_STATS=${JSON.stringify(stats)} node bin/hsmon.js replay ${JSON.stringify(log)} --speed 1; sleep 60`;
    const started = performance.now();
    tmux('new-session', '-d', '-s', 'f', '-x', '140', '-y', '45', cmd);
    // The last line on screen is the proof that every line went through the UI.
    const last = `sample ${lines - 1} `;
    while (!(screen().includes('end of file') && screen().includes(last))) {
      if (performance.now() - started > 1_200_000) throw new Error(`replay did not end in 20 minutes:\n${screen()}`);
      await sleep(200);
    }
    const seconds = (performance.now() - started) / 1000;
    const s = await statsAfterQuit(() => tmux('send-keys', '-t', 'f', 'q'), stats);
    return { lines, linesPerSecond: rate, inputMb: bytes / 1024 ** 2, seconds, renders: s.renders, peakRssMb: s.peakRssMb, cpuSeconds: s.cpuSeconds };
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchUiFlood(Number(process.argv[2] ?? 360_000), Number(process.argv[3] ?? 3000));
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${Number.isInteger(v) ? v : v.toFixed(2)}`);
}
