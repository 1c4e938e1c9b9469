/** Plugs the diagnosis rules into a session (kept apart so the session stays rule-agnostic). */
import { Diagnoser, DiagnosticFacts } from '../diagnosis/index.ts';
import type { Session } from './session.ts';

export function attachDiagnosis(session: Session): void {
  const facts = new DiagnosticFacts();
  const diagnoser = new Diagnoser();
  session.onEvent((e) => facts.feed(e));
  session.diagnose = (snapshot) => diagnoser.run(snapshot, facts.view());
}
