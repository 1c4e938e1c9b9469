/**
 * What a session needs of a diagnosis: every event in order, then findings for a snapshot.
 * src/diagnosis implements it (createDiagnosis); the session is given one and knows no rules.
 */
import type { SessionEvent } from './events.ts';
import type { Snapshot } from './snapshot.ts';
import type { Finding } from './summary.ts';

export interface SessionDiagnosis {
  /** Every session event, in order, as it is made. */
  feed(e: SessionEvent): void;
  /** The findings for this snapshot (whose own `findings` are not filled in yet). */
  findings(snapshot: Snapshot): Finding[];
}
