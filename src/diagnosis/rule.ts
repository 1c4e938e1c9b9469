/**
 * A diagnosis rule is data plus small predicates: a stable code, a severity, the family it
 * belongs to, a test that returns the evidence (the lines that prove it, and whatever the
 * message needs) or null, and a message and a hint built from that evidence.
 *
 * Handshake rules look at one attempt at a time; session rules at the whole snapshot.
 */
import type { HandshakeView, Snapshot } from '../contracts/snapshot.ts';
import type { Severity } from '../contracts/summary.ts';
import type { DiagnosticFactsView, HandshakeFacts } from './facts.ts';

export interface Evidence<D> {
  /** Seq of the lines that prove the finding; the first is the one a user should look at. */
  lines: number[];
  data: D;
  /** The handshake the finding concerns (session rules may name one). */
  handshake?: number;
}

export interface SessionContext {
  snapshot: Snapshot;
  facts: DiagnosticFactsView;
}

export interface HandshakeContext extends SessionContext {
  h: HandshakeView;
  /** The facts printed between the start of this attempt and its end (and a few lines after). */
  hf: HandshakeFacts;
}

export type Family = 'certificates' | 'ciphersuites' | 'psa' | 'buffers' | 'memory' | 'retries' | 'secrets';

interface RuleCommon<C, D> {
  code: string;
  severity: Severity;
  family: Family;
  // Method syntax on purpose: a Rule<C, Specific> must fit in a Rule<C, unknown>[] list.
  test(ctx: C): Evidence<D> | null;
  message(ctx: C, data: D): string;
  hint(ctx: C, data: D): string;
}

export interface HandshakeRule<D = unknown> extends RuleCommon<HandshakeContext, D> {
  scope: 'handshake';
}

export interface SessionRule<D = unknown> extends RuleCommon<SessionContext, D> {
  scope: 'session';
}

export type Rule = HandshakeRule | SessionRule;

export const handshakeRule = <D>(r: Omit<HandshakeRule<D>, 'scope'>): HandshakeRule => ({ ...r, scope: 'handshake' }) as HandshakeRule;
export const sessionRule = <D>(r: Omit<SessionRule<D>, 'scope'>): SessionRule => ({ ...r, scope: 'session' }) as SessionRule;

/** `MBEDTLS_SSL_SERVER_HELLO` → `SERVER_HELLO`. */
export const shortState = (s: string | null | undefined): string => (s ?? '?').replace(/^MBEDTLS_SSL_/, '');

/** The state the client was in when `line` was printed (the last state entered before it). */
export function stateAt(h: HandshakeView, line: number): string | null {
  const v = h.visits.findLast((x) => x.line <= line);
  return v?.state ?? h.failedAt ?? h.current;
}

/** `0x00000008` as mbedTLS prints verification flags. */
export const hex8 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** Sorted, unique, non-negative line numbers with `first` kept in front. */
export function evidenceLines(first: number, ...rest: (number | null | undefined)[]): number[] {
  const others = [...new Set(rest.filter((n): n is number => typeof n === 'number' && n >= 0 && n !== first))].sort((a, b) => a - b);
  return [first, ...others];
}
