/**
 * Puts the monitor on the terminal: alternate screen, Ink throttled to 30 frames a second, and the
 * terminal given back (main screen, cursor visible) however the app ends — quit key, signal,
 * or an exception. HSMON_RENDER_STATS=FILE writes render counts and key latencies at exit.
 */
import React from 'react';
import { render } from 'ink';
import { App } from './App.tsx';
import { inkTokenizerCounts, type InkTokenizerCounts } from '../io/ink-tokenizer.ts';
import { watchLoopDelay, type LoopDelay } from '../io/loop-delay.ts';
import { peakRssKb } from '../io/peak-rss.ts';
import { saveItem } from '../io/save-item.ts';
import { writeStatsFile } from '../io/stats-file.ts';
import type { BrokerControls, DeviceControls, ReplayControls, SnapshotStore } from './controls.ts';

export interface MountOptions {
  store: SnapshotStore;
  replay?: ReplayControls | null;
  device?: DeviceControls | null;
  broker?: BrokerControls | null;
  /** Called when the user quits, before the screen is restored. */
  onQuit?: () => void;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Where to write render statistics at exit (default: $HSMON_RENDER_STATS). */
  statsPath?: string | null;
}

export interface Mounted {
  /** Resolves once the app has exited and the terminal is restored. */
  done: Promise<void>;
  /** Close the app from outside (source failed, signal). */
  close(): void;
}

export interface RenderStats {
  renders: number;
  seconds: number;
  rendersPerSecond: number;
  /** Most renders in any one wall-clock second. */
  maxRendersInOneSecond: number;
  /** ms from a key arriving on stdin to the next frame rendered. */
  keyLatencyMs: number[];
  /** CPU time of the whole process (user + system) and its peak resident memory. */
  cpuSeconds: number;
  peakRssMb: number;
  /** Lines Ink tokenized, and reused from an earlier frame (src/io/ink-tokenizer.ts); null if Ink did not draw through it. */
  inkLines: InkTokenizerCounts | null;
  /** How late this thread's event loop ran (src/io/loop-delay.ts): how long a key could wait to be read. */
  loopDelayMs: LoopDelay;
}

const ENTER_ALT = '\u001b[?1049h';
const LEAVE_ALT = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export function mountMonitor(opts: MountOptions): Mounted {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const statsPath = opts.statsPath === undefined ? process.env['HSMON_RENDER_STATS'] ?? null : opts.statsPath;

  const started = performance.now();
  let renders = 0;
  const perSecond = new Map<number, number>();
  const keyLatencyMs: number[] = [];
  let keyAt: number | null = null;
  const onKey = (): void => {
    keyAt ??= performance.now();
  };
  if (statsPath) stdin.on('data', onKey);
  const loopDelay = statsPath ? watchLoopDelay() : null;

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALT + SHOW_CURSOR);
  };
  stdout.write(ENTER_ALT);
  // Last resort: whatever kills the process, the user's shell gets its screen back.
  process.once('exit', restore);

  const instance = render(
    <App store={opts.store} replay={opts.replay ?? null} device={opts.device ?? null} broker={opts.broker ?? null} onQuit={opts.onQuit} saveItem={(item) => saveItem(item, { terminal: stdout })} />,
    {
      stdout,
      stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      // Ink 6.8's incremental mode draws one row low when the frame ends in a newline (every
      // frame shorter than the terminal does); whole frames go out in one synchronized write.
      incrementalRendering: false,
      // New data renders at most every 40 ms (the App throttles the snapshot); Ink's own limit
      // is higher so a key press right after a frame for data waits at most 8 ms for its slot.
      maxFps: 120,
      onRender: () => {
        const now = performance.now();
        renders++;
        const sec = Math.floor((now - started) / 1000);
        perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
        if (keyAt !== null) {
          keyLatencyMs.push(now - keyAt);
          keyAt = null;
        }
      },
    },
  );

  const onSignal = (): void => instance.unmount();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  const done = instance
    .waitUntilExit()
    .then(() => undefined)
    .finally(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      stdin.off('data', onKey);
      instance.cleanup();
      restore();
      if (statsPath) {
        const seconds = (performance.now() - started) / 1000;
        const usage = process.resourceUsage();
        const stats: RenderStats = {
          renders,
          seconds,
          rendersPerSecond: seconds > 0 ? renders / seconds : 0,
          maxRendersInOneSecond: Math.max(0, ...perSecond.values()),
          keyLatencyMs,
          cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
          peakRssMb: peakRssKb() / 1024,
          inkLines: inkTokenizerCounts(),
          loopDelayMs: loopDelay?.stop() ?? { p50: 0, p99: 0, max: 0 },
        };
        writeStatsFile(statsPath, stats);
      }
    });
  return { done, close: () => instance.unmount() };
}
