import type { HandshakeView, Snapshot } from '../../session/types.ts';
import type { UiState } from '../state/ui-state.ts';

/** The handshake the user selected (n/N), or the newest. */
export function selectedHandshake(s: Snapshot, ui: UiState): { h: HandshakeView | null; index: number } {
  const n = s.handshakes.length;
  if (n === 0) return { h: null, index: -1 };
  const index = ui.handshake === null ? n - 1 : Math.min(ui.handshake, n - 1);
  return { h: s.handshakes[index] ?? null, index };
}

/**
 * A plain text log carries no timestamps: every line of it arrives at t = 0 at max speed, and
 * durations would all read 0 ms. Say "no timing" instead of printing zeros that look measured.
 */
export function hasTiming(h: HandshakeView): boolean {
  return (h.endT ?? 0) > h.startT || h.visits.some((v) => v.enteredAt !== h.startT || (v.durationMs ?? 0) > 0);
}
