/** Plugs the diagnosis rules into a session (kept apart so the session stays rule-agnostic). */
import type { Session } from './session.ts';

export function attachDiagnosis(_session: Session): void {
  // Filled in by the diagnosis rules (src/diagnosis).
}
