/**
 * How late the event loop ran while the monitor was up (perf_hooks.monitorEventLoopDelay): a
 * key pressed during a long task is not even read until the task ends, a wait the key-to-frame
 * figure of the render statistics cannot see.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

const ms = (ns: number): number => (Number.isFinite(ns) ? ns / 1e6 : 0);

/** Starts watching at 10 ms resolution; `stop` ends it and returns the delays in ms. */
export function watchLoopDelay(): { stop(): LoopDelay } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    stop: () => {
      h.disable();
      return h.count === 0 ? { p50: 0, p99: 0, max: 0 } : { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
    },
  };
}
