/**
 * Runs the rules over a snapshot: handshake rules once per attempt, session rules once. The
 * result is in line order; a finding that repeats on every attempt is kept once (its newest
 * occurrence) — connect-retry-loop says that it repeats.
 */
import type { HandshakeView, Snapshot } from '../contracts/snapshot.ts';
import type { Finding } from '../contracts/summary.ts';
import { handshakeFacts, TRAILING_LINES, type DiagnosticFactsView } from './facts.ts';
import type { Evidence, HandshakeContext, Rule, SessionContext } from './rule.ts';
import { ALL_RULES } from './rules/index.ts';

function toFinding(rule: Rule, ctx: SessionContext | HandshakeContext, ev: Evidence<unknown>, handshake: number | undefined): Finding {
  // Method calls on a union of rule kinds: each rule is only ever called with its own context kind.
  const r = rule as { message(c: unknown, d: unknown): string; hint(c: unknown, d: unknown): string };
  const [line = 0, ...rest] = ev.lines;
  const f: Finding = { code: rule.code, severity: rule.severity, message: r.message(ctx, ev.data), hint: r.hint(ctx, ev.data), line };
  if (rest.length) f.lines = rest;
  const hs = ev.handshake ?? handshake;
  if (hs !== undefined) f.handshake = hs;
  return f;
}

export class Diagnoser {
  /** Findings of attempts that ended long enough ago that no later line can change them. */
  private readonly settled = new WeakMap<HandshakeView, Finding[]>();

  constructor(
    private readonly rules: readonly Rule[] = ALL_RULES,
    /** Rethrow a rule's exception (HSMON_STRICT=1, set by the tests) instead of skipping the rule. */
    private readonly strict: boolean = process.env['HSMON_STRICT'] === '1',
  ) {}

  run(snapshot: Snapshot, facts: DiagnosticFactsView): Finding[] {
    const base: SessionContext = { snapshot, facts };
    const out: Finding[] = [];
    for (const h of snapshot.handshakes) out.push(...this.forHandshake(h, base));
    for (const rule of this.rules) {
      if (rule.scope !== 'session') continue;
      const f = this.apply(rule, base, undefined);
      if (f) out.push(f);
    }
    return dedupe(out).sort((a, b) => a.line - b.line);
  }

  private forHandshake(h: HandshakeView, base: SessionContext): Finding[] {
    const cached = this.settled.get(h);
    if (cached) return cached;
    const ctx: HandshakeContext = { ...base, h, hf: handshakeFacts(h, base.facts, base.snapshot.psaCalls) };
    const found: Finding[] = [];
    for (const rule of this.rules) {
      if (rule.scope !== 'handshake') continue;
      const f = this.apply(rule, ctx, h.index);
      if (f) found.push(f);
    }
    if (h.endLine !== null && base.snapshot.lines > h.endLine + TRAILING_LINES + 1) this.settled.set(h, found);
    return found;
  }

  private apply(rule: Rule, ctx: SessionContext | HandshakeContext, handshake: number | undefined): Finding | null {
    try {
      const ev = (rule as { test(c: unknown): Evidence<unknown> | null }).test(ctx);
      return ev ? toFinding(rule, ctx, ev, handshake) : null;
    } catch (err) {
      // A rule that trips over an odd log must not take the monitor down; the others still run.
      // Under test it surfaces: a rule that always throws must not pass as "no false alarm".
      if (this.strict) throw err;
      return null;
    }
  }
}

/** Same code and message on several attempts: keep the newest. */
function dedupe(findings: Finding[]): Finding[] {
  const newest = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.code}\u0000${f.message}`;
    const seen = newest.get(key);
    if (!seen || f.line >= seen.line) newest.set(key, f);
  }
  return [...newest.values()];
}

/** One-shot: the findings for a snapshot and its facts, with every rule. */
export function diagnose(snapshot: Snapshot, facts: DiagnosticFactsView, rules: readonly Rule[] = ALL_RULES): Finding[] {
  return new Diagnoser(rules).run(snapshot, facts);
}
