/** The diagnosis a session is given (createSession's `diagnosis`): its own facts plus the rules. */
import type { SessionDiagnosis } from '../contracts/diagnosis.ts';
import { Diagnoser } from './engine.ts';
import { DiagnosticFacts } from './facts.ts';
import type { Rule } from './rule.ts';
import { ALL_RULES } from './rules/index.ts';

export function createDiagnosis(rules: readonly Rule[] = ALL_RULES): SessionDiagnosis {
  const facts = new DiagnosticFacts();
  const diagnoser = new Diagnoser(rules);
  return {
    feed: (e) => facts.feed(e),
    findings: (snapshot) => diagnoser.run(snapshot, facts.view()),
  };
}
