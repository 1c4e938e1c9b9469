/**
 * Routes TLS events to one handshake actor per TLS context (the `%p` prefix, or null) and a
 * new actor per attempt. Finished attempts are kept as frozen views; memory stays bounded:
 * beyond `keepDetailed` attempts, older ones keep only their summary fields.
 */
import { createActor, type Actor } from 'xstate';
import type { DeviceEvent } from '../../parsers/events.ts';
import { BATCHABLE_EVENTS, handshakeMachine, initialHandshakeView } from '../../machines/handshake.ts';
import { toMachineEvent, type MachineEvent } from '../../machines/machine-event.ts';
import type { HandshakeSummary, HandshakeView } from './types.ts';
import type { Anomaly } from '../../machines/handshake-view.ts';
import { compactView } from './compact-view.ts';

type HandshakeActor = Actor<typeof handshakeMachine>;

interface Active {
  actor: HandshakeActor;
  /** The TLS context (the `%p` prefix) of the attempt. */
  ctx: string | null;
  /** `<= handshake` came from an early state without an error: WANT_READ, the attempt goes on. */
  paused: boolean;
  /**
   * Events not sent yet (BATCHABLE_EVENTS): they reach the actor as one `tls.batch` before an
   * event whose guards read the context (`<= handshake`, platform lines, the end), and before any
   * read of its view. A debug-4 handshake is then two or three xstate steps instead of fifty.
   */
  pending: MachineEvent[];
}

/** Returns that are not failures: WANT_READ, WANT_WRITE, a ticket received, a close_notify. */
const BENIGN = new Set([-0x6900, -0x6880, -0x7b00, -0x7880]);

/** Sent beyond this many, so that a long handshake does not hold a long queue. */
const MAX_PENDING = 256;
/**
 * Attempts open at once, one per TLS context (`%p` prefix). Real firmware has a handful; a
 * damaged log can print a new pointer on every line, which kept an actor each (issue 15): the
 * oldest open attempt is ended (incomplete) to make room.
 */
export const MAX_ACTIVE = 64;

export interface HandshakeTrackerOptions {
  /** Attempts that keep their full detail (records, visits); older ones keep their summary. */
  keepDetailed?: number;
  /** Attempts kept at all; the oldest are dropped (and counted) beyond this. */
  keepTotal?: number;
  mbedtlsVersion?: '2.28' | '3.6' | null;
}

export class HandshakeTracker {
  private readonly active = new Map<string, Active>();
  private readonly done: HandshakeView[] = [];
  private count = 0;
  private mbedtlsVersion: '2.28' | '3.6' | null;
  dropped = 0;
  private readonly keepDetailed: number;
  private readonly keepTotal: number;
  /** Called when an attempt ends, with its final view (again when a later line changes its verdict). */
  onEnd: ((view: HandshakeView) => void) | null = null;
  /** Called with the anomaly a step the client graph does not allow made (a `tls.anomaly` event). */
  onAnomaly: ((e: Extract<DeviceEvent, { kind: 'tls.anomaly' }>) => void) | null = null;
  /**
   * Contexts whose last attempt ended ok and has carried no application data yet: a fatal alert
   * or error there still belongs to it (TLS 1.3 servers check the client certificate after
   * the client's Finished, so the rejection arrives at the first read).
   */
  private readonly watching = new Map<string, { tlsVersion: '1.2' | '1.3' | null }>();
  /** A `=> handshake` after an ok TLS 1.3 attempt, until its first step says what it is. */
  private readonly deferred = new Map<string, { begin: DeviceEvent; ticket: boolean }>();

  constructor(opts: HandshakeTrackerOptions = {}) {
    this.keepDetailed = opts.keepDetailed ?? 200;
    this.keepTotal = opts.keepTotal ?? 10_000;
    this.mbedtlsVersion = opts.mbedtlsVersion ?? null;
  }

  /** Feeds one event; returns true when it touched a handshake (the view changed). */
  feed(e: DeviceEvent): boolean {
    if (!e.kind.startsWith('tls.')) return this.evidence(e);
    // Half the TLS events of a debug-4 log are dump headers, and the machine only notes the
    // ones mbedTLS cut short: the rest would cost an xstate step each for nothing.
    if (e.kind === 'tls.hexdump' && !e.truncated) return false;
    if (e.kind === 'tls.mbedtls_version') this.mbedtlsVersion ??= e.version;
    const key = e.ctx ?? '';
    let a = this.active.get(key);

    if (e.kind === 'tls.handshake.begin') {
      if (a && a.paused) {
        a.paused = false;
        return false;
      }
      if (a) this.end(key, a, { kind: 'session.end', t: e.t, line: e.line });
      else if (this.lastDone(key)?.tlsVersion === '1.3' && this.lastDone(key)?.outcome === 'ok') {
        // mbedtls_ssl_read() runs mbedtls_ssl_handshake() again for a TLS 1.3 NewSessionTicket
        // (ssl_msg.c:5796, 6028): whether this is that or a new attempt, its first step says.
        this.deferred.set(key, { begin: e, ticket: false });
        return false;
      }
      this.watching.delete(key);
      this.start(key, e);
      return true;
    }
    const wait = this.deferred.get(key);
    if (wait !== undefined) {
      if (!wait.ticket && e.kind === 'tls.state') {
        if (e.state === 'MBEDTLS_SSL_TLS1_3_NEW_SESSION_TICKET') {
          wait.ticket = true;
          return false;
        }
        this.deferred.delete(key);
        this.watching.delete(key);
        a = this.start(key, wait.begin);
      } else if (wait.ticket || e.kind !== 'tls.state') {
        // Inside the post-handshake ticket step: it belongs to the attempt that ended.
        if (e.kind === 'tls.handshake.end') {
          this.deferred.delete(key);
          return false;
        }
        return this.afterEnd(key, e);
      }
    }
    if (!a) {
      // A log that starts mid-handshake, or a level-2-less build: the first state line opens one.
      if (e.kind === 'tls.state') a = this.start(key, e);
      else return this.afterEnd(key, e);
    }
    if (e.kind === 'tls.record' && e.contentType === 23 && !a.paused) {
      this.sendPending(a);
      const reason = appDataEvidence(a.actor.getSnapshot().context, e);
      if (reason !== null) {
        a.actor.send({ type: 'evidence.connected', e: { t: e.t, line: e.line, reason } });
        const snap = a.actor.getSnapshot();
        if (snap.status === 'done') {
          this.finish(key, snap.context);
          return this.afterEnd(key, e);
        }
      }
    }
    if (BATCHABLE_EVENTS.has(e.kind)) {
      a.pending.push(toMachineEvent(e));
      if (a.pending.length >= MAX_PENDING) this.sendPending(a);
      return true;
    }
    this.sendPending(a);
    a.actor.send(toMachineEvent(e));
    const snap = a.actor.getSnapshot();
    if (snap.status === 'done') {
      this.finish(key, snap.context);
    } else if (e.kind === 'tls.handshake.end') {
      a.paused = true;
    }
    return true;
  }

  /** Ends every attempt still open (input ended): failed if it saw an error, else incomplete. */
  endAll(t: number, line: number): void {
    for (const [key, a] of [...this.active]) this.end(key, a, { kind: 'session.end', t, line });
  }

  /** Finished attempts first, then the ones in progress, in start order. */
  views(): HandshakeView[] {
    const live = [...this.active.values()].map((a) => {
      this.sendPending(a);
      return a.actor.getSnapshot().context;
    });
    if (live.length === 0) return this.done.slice();
    return [...this.done, ...live].sort((x, y) => x.index - y.index);
  }

  get total(): number {
    return this.count;
  }

  private start(key: string, e: DeviceEvent): Active {
    if (this.active.size >= MAX_ACTIVE) {
      const [oldKey, old] = this.active.entries().next().value as [string, Active];
      this.end(oldKey, old, { kind: 'session.end', t: e.t, line: e.line });
    }
    const actor = createActor(handshakeMachine, {
      input: { index: this.count++, connection: e.ctx ?? null, t: e.t, line: e.line, mbedtlsVersion: this.mbedtlsVersion },
    });
    actor.start();
    const a: Active = { actor, ctx: e.ctx ?? null, paused: false, pending: [] };
    this.active.set(key, a);
    return a;
  }

  private end(key: string, a: Active, e: { kind: 'session.end'; t: number; line: number }): void {
    this.sendPending(a);
    a.actor.send({ type: 'session.end', e });
    this.finish(key, a.actor.getSnapshot().context);
  }

  private finish(key: string, view: HandshakeView): void {
    if (view.outcome === 'ok') this.watching.set(key, { tlsVersion: view.tlsVersion });
    const a = this.active.get(key);
    a?.actor.stop();
    this.active.delete(key);
    this.done.push(view);
    const compactAt = this.done.length - this.keepDetailed - 1;
    const old = this.done[compactAt];
    if (compactAt >= 0 && old) this.done[compactAt] = compactView(old);
    if (this.done.length > this.keepTotal) {
      this.done.shift();
      this.dropped++;
    }
    this.onEnd?.(view);
  }

  /** An event after the attempt of its context ended: what happened right after the handshake, or a late detail. */
  private afterEnd(key: string, e: DeviceEvent): boolean {
    const watch = this.watching.get(key);
    if (watch) {
      if (e.kind === 'tls.record' && e.direction === 'in' && e.contentType === 23 && watch.tlsVersion === '1.2') {
        // TLS 1.2 application data: the connection carried data, the handshake stands.
        this.watching.delete(key);
      } else if (e.kind === 'tls.alert' && e.level === 1 && e.description === 0) {
        this.watching.delete(key);
      } else if ((e.kind === 'tls.alert' && e.level === 2) || ((e.kind === 'tls.error' || e.kind === 'tls.platform.failed') && e.error.code < 0 && !BENIGN.has(e.error.code))) {
        return this.failAfterHandshake(key, e);
      }
    }
    return this.amendLast(key, e);
  }

  /**
   * A fatal alert or error before any application data: the connection never worked, so the
   * attempt failed — after the handshake, in HANDSHAKE_OVER. Its later errors (the outer
   * returns, printed last) replace the error as they do during the handshake.
   */
  private failAfterHandshake(key: string, e: DeviceEvent): boolean {
    let i = this.done.length - 1;
    while (i >= 0 && (this.done[i]?.connection ?? '') !== key) i--;
    const v = this.done[i];
    if (!v) return false;
    const over = 'MBEDTLS_SSL_HANDSHAKE_OVER';
    let patch: Partial<HandshakeView>;
    if (e.kind === 'tls.alert') {
      if (v.alert && v.alert.level === 2) return false;
      patch = { alert: { direction: e.direction, level: e.level, description: e.description, name: e.name } };
    } else if (e.kind === 'tls.error' || e.kind === 'tls.platform.failed') {
      patch = { error: { code: e.error.code, hex: e.error.hex, name: e.error.name }, errors: [...v.errors, { fn: e.fn, error: e.error, line: e.line, state: over }] };
    } else return false;
    const wasOk = v.outcome === 'ok';
    // The client was in HANDSHAKE_OVER from `<= handshake` on: the alert arrived there.
    const visits = wasOk && v.endLine !== null && v.endT !== null
      ? [...v.visits, { state: over, enteredAt: v.endT, durationMs: Math.max(0, e.t - v.endT), line: v.endLine, recordsIn: 0, recordsOut: 0 }]
      : v.visits;
    const next: HandshakeView = { ...v, ...patch, visits, outcome: 'failed', failedAt: over, failedIn: null, endLine: Math.max(v.endLine ?? e.line, e.line) };
    this.done[i] = next;
    if (wasOk) this.onEnd?.(next);
    return true;
  }

  private lastDone(key: string): HandshakeView | undefined {
    for (let i = this.done.length - 1; i >= 0; i--) if ((this.done[i]!.connection ?? '') === key) return this.done[i];
    return undefined;
  }

  /** MQTT connected over TLS: an attempt still open on it must have completed. */
  private evidence(e: DeviceEvent): boolean {
    if (e.kind !== 'mqtt.connected' && e.kind !== 'mqtt.tls.connected') {
      if (e.kind === 'mqtt.message' || e.kind === 'mqtt.subscribed') this.watching.clear();
      return false;
    }
    // The connected line names no TLS context: it can only vouch for the one open attempt.
    if (this.active.size === 1) {
      const [key, a] = [...this.active][0]!;
      this.sendPending(a);
      const reason = e.kind === 'mqtt.connected' ? 'the MQTT client connected' : 'the TLS connection was reported established';
      a.actor.send({ type: 'evidence.connected', e: { t: e.t, line: e.line, reason } });
      const snap = a.actor.getSnapshot();
      if (snap.status === 'done') this.finish(key, snap.context);
    }
    if (e.kind === 'mqtt.connected') this.watching.clear();
    return true;
  }

  /**
   * Sends the events waiting for an attempt as one batch; the anomalies the chart noted for its
   * steps (they name what was skipped; the parser's own are NDJSON events already) become
   * tls.anomaly events.
   */
  private sendPending(a: Active): void {
    const events = a.pending;
    if (events.length === 0) return;
    a.pending = [];
    const before = a.actor.getSnapshot().context.anomalies;
    a.actor.send(events.length === 1 ? events[0]! : { type: 'tls.batch', events });
    if (!this.onAnomaly || !events.some((ev) => ev.type === 'tls.state')) return;
    const after = a.actor.getSnapshot().context.anomalies;
    if (after === before) return;
    const known = new Set(before);
    for (const an of after) {
      if (known.has(an) || an.skipped === undefined) continue;
      const step = events.find((ev) => ev.type === 'tls.state' && ev.e.line === an.line);
      this.reportAnomaly(an, a.ctx, step?.e.t ?? 0);
    }
  }

  private reportAnomaly(an: Anomaly, ctx: string | null, t: number): void {
    this.onAnomaly?.({ kind: 'tls.anomaly', t, line: an.line, ctx, message: an.message, ...(an.skipped && an.skipped.length > 0 ? { skipped: an.skipped } : {}) });
  }

  /**
   * Lines printed after `<= handshake` that still describe the attempt that just ended: a
   * platform line (`mbedtls_ssl_handshake failed 0x7f80`) naming the error the debug lines did
   * not, or ssl_client2's `[ Ciphersuite is … ]` / `[ Maximum input fragment length is … ]` at
   * debug levels that print nothing else about them.
   */
  private amendLast(key: string, e: DeviceEvent): boolean {
    let i = this.done.length - 1;
    while (i >= 0 && (this.done[i]?.connection ?? '') !== key) i--;
    const v = this.done[i];
    if (!v) return false;
    let patch: Partial<HandshakeView> | null = null;
    if (e.kind === 'tls.platform.failed') {
      if (v.outcome === 'ok' || (v.outcome === 'failed' && v.error)) return false;
      patch = {
        outcome: 'failed',
        failedAt: v.failedAt ?? v.current,
        error: { code: e.error.code, hex: e.error.hex, name: e.error.name },
        errors: [...v.errors, { fn: e.fn, error: e.error, line: e.line, state: v.current }],
      };
    } else if (e.kind === 'tls.ciphersuite.chosen' && !v.ciphersuite && e.name) {
      patch = { ciphersuite: e.name, tlsVersion: v.tlsVersion ?? (e.name.startsWith('TLS1-3-') ? '1.3' : '1.2'), unknown: v.unknown.filter((u) => u.field !== 'ciphersuite') };
    } else if (e.kind === 'tls.version' && !v.tlsVersion) {
      patch = { tlsVersion: e.version };
    } else if (e.kind === 'tls.mfl' && e.stage === 'negotiated' && e.bytes !== null && v.maxFragmentLength === null) {
      patch = { maxFragmentLength: e.bytes, unknown: v.unknown.filter((u) => u.field !== 'maxFragmentLength') };
    }
    if (!patch) return false;
    this.done[i] = { ...v, ...patch };
    return true;
  }
}

export function toSummary(v: HandshakeView): HandshakeSummary {
  return {
    index: v.index,
    connection: v.connection,
    outcome: v.outcome,
    tlsVersion: v.tlsVersion,
    ciphersuite: v.ciphersuite,
    states: v.states,
    failedAt: v.failedAt,
    failedIn: v.failedIn,
    inferred: v.inferred,
    error: v.error,
    alert: v.alert,
    maxFragmentLength: v.maxFragmentLength,
    records: v.unknown.some((u) => u.field === 'records') ? null : v.records,
    fragmentedMessages: v.fragmentedMessages,
    peerCertificates: v.peerCertificates,
    stateDurationsMs: v.stateDurationsMs,
    recordsByState: v.recordsByState,
    unknown: v.unknown,
    anomalies: v.anomalies,
    startLine: v.startLine,
    endLine: v.endLine,
  };
}

export { initialHandshakeView };

/** Steps after the client's Finished: TLS 1.3 writes no handshake message in them (ssl_tls13_client.c). */
const PAST_CLIENT_FINISHED = new Set(['MBEDTLS_SSL_FLUSH_BUFFERS', 'MBEDTLS_SSL_HANDSHAKE_WRAPUP', 'MBEDTLS_SSL_HANDSHAKE_OVER']);

/**
 * Why an application-data record proves the handshake completed although its closing lines are
 * missing, or null when it does not. TLS 1.2: no handshake message travels as application data,
 * so any such record does (and it is not one of the handshake's records). TLS 1.3: every
 * encrypted handshake message does, and early data may go out before the handshake ends, so
 * only a record the client wrote after its Finished with no handshake message in it counts; an
 * incoming one may be the server's encrypted alert (a rejected client certificate), which the
 * log names only after the record.
 */
function appDataEvidence(c: HandshakeView, e: Extract<DeviceEvent, { kind: 'tls.record' }>): string | null {
  if (c.tlsVersion === '1.2') return `application data went ${e.direction === 'in' ? 'in' : 'out'}`;
  if (c.tlsVersion === '1.3' && e.direction === 'out' && e.messages === undefined && c.current !== null && PAST_CLIENT_FINISHED.has(c.current)) {
    return 'the client wrote application data after its Finished';
  }
  return null;
}
