/**
 * ms of a step's visit during which the port was gone (its overlap with the session's port
 * gaps): the device said nothing then, so the ladder (handshake-display.ts) gives the time in
 * state without the gap and the gap beside it.
 */
import type { HandshakeView } from './types.ts';

export type PortGaps = readonly { from: number; to: number | null }[];

export function goneDuring(v: HandshakeView['visits'][number] | undefined, gaps: PortGaps | undefined): number {
  if (!v || !gaps) return 0;
  const end = v.durationMs === null ? Infinity : v.enteredAt + v.durationMs;
  let gone = 0;
  for (const g of gaps) gone += Math.max(0, Math.min(end, g.to ?? end) - Math.max(v.enteredAt, g.from));
  return Number.isFinite(gone) ? gone : 0;
}
