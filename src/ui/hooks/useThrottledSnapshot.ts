import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Snapshot } from '../../session/types.ts';
import type { SnapshotStore } from '../controls.ts';

/**
 * A frame drawn for new data may take at most this share of the time: the next one waits
 * `FRAME_SHARE` times what the last one cost (React, Ink's layout and output). A 140×45 frame
 * costs Ink 25–50 ms on a loaded machine; at 40 ms apart the frames alone would fill the CPU
 * a replay at max speed needs for parsing, and a key press would queue behind them.
 */
const FRAME_SHARE = 4;
/** However slow the frames, new data shows at least this often. */
const MAX_INTERVAL_MS = 250;

/**
 * The store's snapshot, at most one new one per `intervalMs` (longer when frames are costly:
 * see FRAME_SHARE). A replay at max speed changes the store thousands of times a second; React
 * renders (and Ink frames) stay within the budget. A key press renders at once, outside it:
 * `takeNow` (called after the key's action) puts the newest snapshot in that frame, so a seek's
 * panes come with its message and no frame for data follows right behind it.
 */
export function useThrottledSnapshot(store: SnapshotStore, intervalMs = 33): { snapshot: Snapshot; takeNow: () => void } {
  const [snapshot, setSnapshot] = useState<Snapshot>(() => store.getSnapshot());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  /** When the snapshot being drawn was set (0: none pending), and what the last frame cost. */
  const setAt = useRef(0);
  const cost = useRef(0);
  const shown = useRef(snapshot);
  shown.current = snapshot;
  // Layout effects run after Ink has laid out and written the frame (resetAfterCommit).
  useLayoutEffect(() => {
    if (setAt.current === 0) return;
    cost.current = performance.now() - setAt.current;
    setAt.current = 0;
  }, [snapshot]);
  const takeNow = useCallback((): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    last.current = performance.now();
    const next = store.getSnapshot();
    if (next !== shown.current) setSnapshot(next);
  }, [store]);
  useEffect(() => {
    const flush = (): void => {
      timer.current = null;
      last.current = performance.now();
      const next = store.getSnapshot();
      // The same snapshot draws nothing: nothing to measure.
      if (next === shown.current) return;
      setAt.current = last.current;
      setSnapshot(next);
    };
    const off = store.onChange(() => {
      if (timer.current) return;
      const budget = intervalMs <= 0 ? 0 : Math.min(MAX_INTERVAL_MS, Math.max(intervalMs, FRAME_SHARE * cost.current));
      const wait = Math.max(0, budget - (performance.now() - last.current));
      timer.current = setTimeout(flush, wait);
    });
    // Changes between the first render and the subscription.
    setSnapshot(store.getSnapshot());
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [store, intervalMs]);
  return { snapshot, takeNow };
}
