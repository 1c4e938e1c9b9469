import type { Snapshot, HandshakeView } from '../../session/types.ts';
import type { UiState } from '../state/ui-state.ts';
import type { BrokerControls } from '../controls.ts';

/** What every pane body gets: the data, the UI selection, and its inner size in cells. */
export interface PaneProps {
  snapshot: Snapshot;
  ui: UiState;
  width: number;
  height: number;
  focused: boolean;
  /** The broker connection to publish presets through (MQTT pane); null without one. */
  broker?: BrokerControls | null;
}

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
