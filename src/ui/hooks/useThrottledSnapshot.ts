import { useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../../session/types.ts';
import type { SnapshotStore } from '../controls.ts';

/**
 * The store's snapshot, at most one new one per `intervalMs`. A replay at max speed changes the
 * store thousands of times a second; React renders (and Ink frames) stay at ≤ 1000/intervalMs.
 */
export function useThrottledSnapshot(store: SnapshotStore, intervalMs = 33): Snapshot {
  const [snapshot, setSnapshot] = useState<Snapshot>(() => store.getSnapshot());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  useEffect(() => {
    const flush = (): void => {
      timer.current = null;
      last.current = performance.now();
      setSnapshot(store.getSnapshot());
    };
    const off = store.onChange(() => {
      if (timer.current) return;
      const wait = Math.max(0, intervalMs - (performance.now() - last.current));
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
  return snapshot;
}
