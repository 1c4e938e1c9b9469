/**
 * The evidence the diagnosis needs that the snapshot does not keep: each alert with its line,
 * `Perform PSA-based …` steps, the device clock, the `device.diagnostic` lines (bad message
 * length, allocation failures …), and where secrets went by. Fed every session event in
 * order; bounded like everything in the store. Pure: no I/O, no timers.
 */
import type { SecretKind } from '../../parsers/secrets.ts';
import type { Alert } from '../../parsers/events.ts';
import type { DiagnosticWhat } from '../../parsers/diagnostic-lines.ts';
import type { SessionEvent } from '../contracts/events.ts';
import { Ring } from '../util/ring.ts';
import type { HandshakeView, PsaCallView } from '../contracts/snapshot.ts';

export interface At {
  line: number;
  ctx: string | null;
}

export type AlertFact = At & Alert;
export type StepFact = At & { name: string };
export type ClockFact = At & { epochMs: number; iso: string };
export type DiagnosticFact = At & { what: DiagnosticWhat; numbers: number[]; text: string | null };
/** One block of secret output: `names` are the dump names / PEM labels printed in it. */
export type SecretFact = At & { secret: SecretKind; names: string[] };

export interface DiagnosticFactsView {
  alerts: readonly AlertFact[];
  psaSteps: readonly StepFact[];
  clocks: readonly ClockFact[];
  diagnostics: readonly DiagnosticFact[];
  /** One entry per secret block (private key PEM, secret dump), its first line. */
  secrets: readonly SecretFact[];
  /** `3.6.6` from the build banner, when the device printed one. */
  mbedtlsBuild: string | null;
}

/** The facts that belong to one handshake attempt. */
export interface HandshakeFacts {
  alerts: AlertFact[];
  psaSteps: StepFact[];
  diagnostics: DiagnosticFact[];
  psaCalls: PsaCallView[];
  /** The last device clock printed before the attempt ended (it may precede the attempt). */
  clock: ClockFact | null;
}

/** Lines after a handshake's end whose facts still count for it (a platform line, a PSA status). */
export const TRAILING_LINES = 5;

const CAP = 512;
const SECRET_CAP = 100;
/** Secret lines this close together belong to one block (one finding line, not one per row). */
const BLOCK_GAP = 2;

const at = (line: number | null, ctx: string | null | undefined): At => ({ line: line ?? 0, ctx: ctx ?? null });

export class DiagnosticFacts {
  private readonly alerts = new Ring<AlertFact>(CAP);
  private readonly steps = new Ring<StepFact>(CAP);
  private readonly clocks = new Ring<ClockFact>(64);
  private readonly diagnostics = new Ring<DiagnosticFact>(CAP);
  private readonly secrets: (SecretFact & { last: number })[] = [];
  /** The largest `last` in `secrets`. */
  private secretsMaxLast = -Infinity;
  private build: string | null = null;
  private version = 0;
  private cached: { version: number; view: DiagnosticFactsView } | null = null;

  // Fed every session event: nothing is built before the switch knows the event matters.
  feed(e: SessionEvent): void {
    switch (e.kind) {
      case 'tls.alert':
        this.alerts.push({ ...at(e.line, e.ctx), direction: e.direction, level: e.level, description: e.description, name: e.name });
        break;
      case 'psa.step':
        this.step(e.line, e.ctx ?? null, e.name);
        break;
      case 'device.clock':
        this.clock(e.line, e.ctx ?? null, Date.parse(e.iso));
        break;
      case 'device.diagnostic':
        if (e.what === 'mbedtls-build') this.build = e.text;
        // Named here even with --no-redact (then no secret.redacted event comes).
        else if (e.what === 'secret-dump') this.secret('session-secret', e.line, e.text);
        else if (e.what === 'psa-step') this.step(e.line, e.ctx ?? null, e.text ?? '');
        else if (e.what === 'device-time') this.clock(e.line, e.ctx ?? null, (e.numbers[0] ?? 0) * 1000);
        else this.diagnostics.push({ ...at(e.line, e.ctx), what: e.what, numbers: e.numbers, text: e.text });
        break;
      case 'secret.redacted':
        this.secret(e.secret, e.line, null);
        break;
      case 'cert.pem':
        if (e.secret) this.secret('private-key', e.line, e.label);
        else return;
        break;
      default:
        return;
    }
    this.version++;
  }

  private step(line: number, ctx: string | null, name: string): void {
    if (this.steps.last()?.line === line) return;
    this.steps.push({ line, ctx, name });
  }

  /** The same clock line may come from two parsers (psa.ts and diagnostic-lines.ts): keep one. */
  private clock(line: number, ctx: string | null, epochMs: number): void {
    // Beyond ±8.64e15 ms no Date exists (toISOString throws): such a clock is a tls.anomaly.
    if (!(Math.abs(epochMs) <= 8.64e15) || this.clocks.last()?.line === line) return;
    this.clocks.push({ line, ctx, epochMs, iso: new Date(epochMs).toISOString() });
  }

  private secret(kind: SecretFact['secret'], line: number, name: string | null): void {
    // Every redacted row comes here: when no block ends within BLOCK_GAP lines, none is open
    // and the list need not be searched (it is full, SECRET_CAP, in a long debug-3 replay).
    const open = line - this.secretsMaxLast > BLOCK_GAP ? undefined : this.secrets.findLast((s) => s.secret === kind && line - s.last <= BLOCK_GAP && line >= s.line);
    if (open) {
      open.last = Math.max(open.last, line);
      this.secretsMaxLast = Math.max(this.secretsMaxLast, open.last);
      if (name !== null && !open.names.includes(name)) open.names = [...open.names, name];
      return;
    }
    if (this.secrets.length < SECRET_CAP) {
      this.secrets.push({ secret: kind, line, last: line, ctx: null, names: name === null ? [] : [name] });
      this.secretsMaxLast = Math.max(this.secretsMaxLast, line);
    }
  }

  view(): DiagnosticFactsView {
    if (this.cached && this.cached.version === this.version) return this.cached.view;
    const view: DiagnosticFactsView = {
      alerts: this.alerts.toArray(),
      psaSteps: this.steps.toArray(),
      clocks: this.clocks.toArray(),
      diagnostics: this.diagnostics.toArray(),
      secrets: this.secrets.map(({ last: _last, ...s }) => s),
      mbedtlsBuild: this.build,
    };
    this.cached = { version: this.version, view };
    return view;
  }
}

const sameCtx = (h: HandshakeView, ctx: string | null): boolean => h.connection === null || ctx === null || h.connection === ctx;

/** Does a fact on `line` (with `ctx`) belong to handshake `h`? */
export function within(h: HandshakeView, f: At, trailing = TRAILING_LINES): boolean {
  const end = h.endLine === null ? Infinity : h.endLine + trailing;
  return f.line >= h.startLine && f.line <= end && sameCtx(h, f.ctx);
}

export function handshakeFacts(h: HandshakeView, facts: DiagnosticFactsView, psaCalls: readonly PsaCallView[]): HandshakeFacts {
  const end = h.endLine === null ? Infinity : h.endLine;
  const clock = facts.clocks.findLast((c) => c.line <= end && sameCtx(h, c.ctx)) ?? null;
  return {
    alerts: facts.alerts.filter((f) => within(h, f, 0)),
    psaSteps: facts.psaSteps.filter((f) => within(h, f, 0)),
    diagnostics: facts.diagnostics.filter((f) => within(h, f)),
    psaCalls: psaCalls.filter((c) => within(h, { line: c.line, ctx: null })),
    clock,
  };
}
