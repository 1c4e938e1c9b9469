/**
 * Routes TLS events to one handshake actor per TLS context (the `%p` prefix, or null) and a
 * new actor per attempt. Finished attempts are kept as frozen views; memory stays bounded:
 * beyond `keepDetailed` attempts, older ones keep only their summary fields.
 */
import { createActor, type Actor } from 'xstate';
import type { DeviceEvent } from '../../parsers/events.ts';
import { BATCHABLE_EVENTS, handshakeMachine, initialHandshakeView } from '../../machines/handshake.ts';
import { isClientState } from '../../machines/handshake-states.ts';
import { toMachineEvent, type MachineEvent } from '../../machines/machine-event.ts';
import type { HandshakeSummary, HandshakeView } from './types.ts';
import { compactView } from './compact-view.ts';

type HandshakeActor = Actor<typeof handshakeMachine>;

interface Active {
  actor: HandshakeActor;
  /** `<= handshake` came from an early state without an error: WANT_READ, the attempt goes on. */
  paused: boolean;
  /**
   * Events not sent yet (BATCHABLE_EVENTS): they reach the actor as one `tls.batch` before an
   * event whose guards read the context (`<= handshake`, platform lines, the end), and before any
   * read of its view. A debug-4 handshake is then two or three xstate steps instead of fifty.
   */
  pending: MachineEvent[];
  /** The client state the actor is in once `pending` is sent (its context.current then). */
  current: string | null;
}

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
  /** Called when an attempt ends, with its final view. */
  onEnd: ((view: HandshakeView) => void) | null = null;

  constructor(opts: HandshakeTrackerOptions = {}) {
    this.keepDetailed = opts.keepDetailed ?? 200;
    this.keepTotal = opts.keepTotal ?? 10_000;
    this.mbedtlsVersion = opts.mbedtlsVersion ?? null;
  }

  /** Feeds one event; returns true when it touched a handshake (the view changed). */
  feed(e: DeviceEvent): boolean {
    if (!e.kind.startsWith('tls.')) return false;
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
      this.start(key, e);
      return true;
    }
    if (!a) {
      // A log that starts mid-handshake, or a level-2-less build: the first state line opens one.
      if (e.kind === 'tls.state') a = this.start(key, e);
      else return this.amendLast(key, e);
    }
    // mbedTLS 3.x names every state twice (`handshake state: a -> b`, then `client state: b`);
    // the machine's step for the second is a no-op (same state, enter() changes nothing).
    if (e.kind === 'tls.state') {
      if (a.current === e.state) return true;
      if (isClientState(e.state)) a.current = e.state;
    }
    if (BATCHABLE_EVENTS.has(e.kind)) {
      a.pending.push(toMachineEvent(e));
      if (a.pending.length >= MAX_PENDING) sendPending(a);
      return true;
    }
    sendPending(a);
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
      sendPending(a);
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
    const a: Active = { actor, paused: false, pending: [], current: null };
    this.active.set(key, a);
    return a;
  }

  private end(key: string, a: Active, e: { kind: 'session.end'; t: number; line: number }): void {
    sendPending(a);
    a.actor.send({ type: 'session.end', e });
    this.finish(key, a.actor.getSnapshot().context);
  }

  private finish(key: string, view: HandshakeView): void {
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
      patch = { ciphersuite: e.name, tlsVersion: v.tlsVersion ?? (e.name.startsWith('TLS1-3-') ? '1.3' : '1.2') };
    } else if (e.kind === 'tls.version' && !v.tlsVersion) {
      patch = { tlsVersion: e.version };
    } else if (e.kind === 'tls.mfl' && e.stage === 'negotiated' && e.bytes !== null && v.maxFragmentLength === null) {
      patch = { maxFragmentLength: e.bytes };
    }
    if (!patch) return false;
    this.done[i] = { ...v, ...patch };
    return true;
  }
}

function sendPending(a: Active): void {
  const events = a.pending;
  if (events.length === 0) return;
  a.pending = [];
  a.actor.send(events.length === 1 ? events[0]! : { type: 'tls.batch', events });
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
    error: v.error,
    alert: v.alert,
    maxFragmentLength: v.maxFragmentLength,
    records: v.records,
    fragmentedMessages: v.fragmentedMessages,
    peerCertificates: v.peerCertificates,
    stateDurationsMs: v.stateDurationsMs,
    startLine: v.startLine,
    endLine: v.endLine,
  };
}

export { initialHandshakeView };
