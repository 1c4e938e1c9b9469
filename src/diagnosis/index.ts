/** The diagnosis: rules that say why a handshake failed and what to change. */
export { Diagnoser, diagnose } from './engine.ts';
export { createDiagnosis } from './create-diagnosis.ts';
export { DiagnosticFacts, type DiagnosticFactsView } from './facts.ts';
export { ALL_RULES } from './rules/index.ts';
export type { Rule, HandshakeRule, SessionRule, Evidence, HandshakeContext, SessionContext } from './rule.ts';
