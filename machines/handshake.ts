/**
 * One mbedTLS client handshake attempt as an XState machine: one state node per mbedTLS
 * client state (TLS 1.2 and 1.3), final `ok` / `failed` / `incomplete`. It is fed the
 * DeviceEvents of one TLS context between `=> handshake` and the end of the attempt; time
 * comes from the events, so a replay at any speed gives the same durations.
 *
 * Nothing a log can say makes it throw: unknown states and backward jumps are recorded as
 * anomalies, and events it does not care about are ignored.
 */
import { assign, setup } from 'xstate';
import type { ErrorCode, EventOf } from '../parsers/events.ts';
import type { MachineEvent } from './machine-event.ts';
import type { HandshakeView } from './handshake-view.ts';
import {
  CLIENT_STATES,
  COMPLETING_STATES,
  TLS12_ORDER,
  TLS13_ONLY,
  TLS13_ORDER,
  isClientState,
} from './handshake-states.ts';

/** Keeps a handshake's memory bounded whatever the device prints (renegotiation loops…). */
export const MAX_RECORDS_PER_HANDSHAKE = 512;
const MAX_ITEMS = 256;

/** Ends an attempt from outside: the input ended, or a new attempt began on the same context. */
export type HandshakeControl = { type: 'session.end'; e: { kind: 'session.end'; t: number; line: number } };

export type HandshakeInput = {
  index: number;
  connection: string | null;
  t: number;
  line: number;
  mbedtlsVersion?: '2.28' | '3.6' | null;
};

type Ev = MachineEvent | HandshakeControl | HandshakeBatch;

export function initialHandshakeView(input: HandshakeInput): HandshakeView {
  return {
    index: input.index,
    connection: input.connection,
    outcome: 'incomplete',
    tlsVersion: null,
    ciphersuite: null,
    states: [],
    failedAt: null,
    error: null,
    alert: null,
    maxFragmentLength: null,
    records: { in: { count: 0, maxLength: 0 }, out: { count: 0, maxLength: 0 } },
    fragmentedMessages: [],
    peerCertificates: [],
    stateDurationsMs: {},
    startLine: input.line,
    endLine: null,
    current: null,
    visits: [],
    recordList: [],
    messages: [],
    offeredCiphersuites: [],
    mflOffered: null,
    verifyFlags: null,
    errors: [],
    anomalies: [],
    mbedtlsVersion: input.mbedtlsVersion ?? null,
    startT: input.t,
    endT: null,
  };
}

const capped = <T>(list: T[], item: T, cap = MAX_ITEMS): T[] =>
  list.length >= cap ? [...list.slice(list.length - cap + 1), item] : [...list, item];

/** Closes the visit in progress at time t and adds its duration to the per-state totals. */
function closeVisit(c: HandshakeView, t: number): Pick<HandshakeView, 'visits' | 'stateDurationsMs'> {
  const last = c.visits[c.visits.length - 1];
  if (!last || last.durationMs !== null) return { visits: c.visits, stateDurationsMs: c.stateDurationsMs };
  const durationMs = Math.max(0, t - last.enteredAt);
  const visits = [...c.visits.slice(0, -1), { ...last, durationMs }];
  const stateDurationsMs = { ...c.stateDurationsMs, [last.state]: (c.stateDurationsMs[last.state] ?? 0) + durationMs };
  return { visits, stateDurationsMs };
}

function order(c: HandshakeView): readonly string[] {
  return c.tlsVersion === '1.3' ? TLS13_ORDER : TLS12_ORDER;
}

function enter(c: HandshakeView, e: EventOf<'tls.state'>): Partial<HandshakeView> {
  if (c.current === e.state) return {};
  const ladder = order(c);
  const from = c.current ? ladder.indexOf(c.current) : -1;
  const to = ladder.indexOf(e.state);
  // SERVER_CHANGE_CIPHER_SPEC → NEW_SESSION_TICKET → SERVER_CHANGE_CIPHER_SPEC is how a TLS 1.2
  // client reads a ticket: a loop by design, not a jump back.
  const ticketLoop = c.current === 'MBEDTLS_SSL_NEW_SESSION_TICKET' || c.current === 'MBEDTLS_SSL_SERVER_NEW_SESSION_TICKET';
  const anomalies =
    from >= 0 && to >= 0 && to < from && !ticketLoop
      ? capped(c.anomalies, { message: `state went backwards: ${c.current} -> ${e.state}`, line: e.line })
      : c.anomalies;
  // closeVisit and capped in one copy of the visits: this runs for every state line.
  const last = c.visits[c.visits.length - 1];
  const visits = c.visits.slice(c.visits.length >= MAX_ITEMS ? c.visits.length - MAX_ITEMS + 1 : 0);
  let stateDurationsMs = c.stateDurationsMs;
  if (last && last.durationMs === null) {
    const durationMs = Math.max(0, e.t - last.enteredAt);
    visits[visits.length - 1] = { ...last, durationMs };
    stateDurationsMs = { ...stateDurationsMs, [last.state]: (stateDurationsMs[last.state] ?? 0) + durationMs };
  }
  visits.push({ state: e.state, enteredAt: e.t, durationMs: null, line: e.line, recordsIn: 0, recordsOut: 0 });
  return {
    visits,
    stateDurationsMs,
    anomalies,
    current: e.state,
    states: capped(c.states, e.state, MAX_ITEMS),
    tlsVersion: c.tlsVersion ?? (TLS13_ONLY.has(e.state) ? '1.3' : null),
  };
}

function finish(c: HandshakeView, t: number, line: number, outcome: HandshakeView['outcome']): Partial<HandshakeView> {
  const closed = closeVisit(c, t);
  const ok = outcome === 'ok';
  const states = ok && c.states[c.states.length - 1] !== 'MBEDTLS_SSL_HANDSHAKE_OVER'
    ? [...c.states, 'MBEDTLS_SSL_HANDSHAKE_OVER']
    : c.states;
  return {
    ...closed,
    outcome,
    states,
    current: ok ? 'MBEDTLS_SSL_HANDSHAKE_OVER' : c.current,
    failedAt: outcome === 'failed' ? c.current : null,
    endLine: line,
    endT: t,
    tlsVersion: c.tlsVersion ?? (c.states.length > 0 ? inferVersion(c) : null),
  };
}

/** Last resort when no line named the version: a handshake with only 1.2 states is 1.2. */
function inferVersion(c: HandshakeView): '1.2' | '1.3' | null {
  if (c.states.some((s) => TLS13_ONLY.has(s))) return '1.3';
  if (c.ciphersuite?.startsWith('TLS1-3-')) return '1.3';
  if (c.ciphersuite) return '1.2';
  return c.states.includes('MBEDTLS_SSL_SERVER_HELLO_DONE') || c.states.includes('MBEDTLS_SSL_SERVER_KEY_EXCHANGE') ? '1.2' : null;
}

function onRecord(c: HandshakeView, e: EventOf<'tls.record'>): Partial<HandshakeView> {
  const dir = e.direction;
  const agg = c.records[dir];
  const last = c.visits[c.visits.length - 1];
  const visits = last
    ? [...c.visits.slice(0, -1), dir === 'in' ? { ...last, recordsIn: last.recordsIn + 1 } : { ...last, recordsOut: last.recordsOut + 1 }]
    : c.visits;
  return {
    records: { ...c.records, [dir]: { count: agg.count + 1, maxLength: Math.max(agg.maxLength, e.length) } },
    visits,
    recordList: capped(
      c.recordList,
      { direction: dir, contentType: e.contentType, length: e.length, t: e.t, line: e.line, state: c.current },
      MAX_RECORDS_PER_HANDSHAKE,
    ),
  };
}

/** A message longer than its record arrives as an initial fragment and subsequent ones. */
function onMessage(c: HandshakeView, e: EventOf<'tls.hsmsg'>): Partial<HandshakeView> {
  if (e.fragment !== 'subsequent') {
    return { messages: capped(c.messages, { type: e.type, length: e.hslen, fragments: [e.msglen], line: e.line }) };
  }
  const open = c.messages[c.messages.length - 1];
  if (!open) return {};
  const grown = { ...open, fragments: [...open.fragments, e.msglen] };
  const messages = [...c.messages.slice(0, -1), grown];
  const fragmentedMessages =
    grown.fragments.length === 2
      ? capped(c.fragmentedMessages, { type: grown.type, length: grown.length, fragments: 2 })
      : c.fragmentedMessages.map((m, i, all) => (i === all.length - 1 ? { ...m, fragments: grown.fragments.length } : m));
  return { messages, fragmentedMessages };
}

const errorOf = (e: ErrorCode): HandshakeView['error'] => ({ code: e.code, hex: e.hex, name: e.name });

/** Events that only change the context: no transition, no guard. */
export const CONTEXT_EVENTS: ReadonlySet<string> = new Set([
  'tls.record', 'tls.hsmsg', 'tls.ciphersuite.offered', 'tls.ciphersuite.chosen', 'tls.version', 'tls.mfl',
  'tls.alert', 'tls.error', 'tls.peer_certificate', 'tls.verify_flags', 'tls.hexdump', 'tls.anomaly',
  'tls.mbedtls_version',
]);

/**
 * Events whose effect depends on nothing but the events before them (no guard reads the
 * context for them): a run of them may reach the machine as one `tls.batch`, applied in order
 * by the same functions as one by one, ending in the state node of the last client state in it.
 * A debug-4 handshake prints dozens of them, and each xstate step costs microseconds.
 */
export const BATCHABLE_EVENTS: ReadonlySet<string> = new Set([...CONTEXT_EVENTS, 'tls.state']);

/** A run of BATCHABLE_EVENTS in one step. */
export type HandshakeBatch = { type: 'tls.batch'; events: MachineEvent[] };

/** The client state a batch ends in: its last known `tls.state` (null: it moves no state). */
function lastStateOf(events: readonly MachineEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events[i]!;
    if (ev.type === 'tls.state' && isClientState(ev.e.state)) return ev.e.state;
  }
  return null;
}

const NONE: Partial<HandshakeView> = {};

const unknownState = (c: HandshakeView, e: EventOf<'tls.state'>): Partial<HandshakeView> => ({
  anomalies: capped(c.anomalies, { message: `unknown handshake state ${e.state}`, line: e.line }),
});

/** What one batchable event changes; NONE for any other event. */
function contextUpdate(c: HandshakeView, event: Ev): Partial<HandshakeView> {
  switch (event.type) {
    case 'tls.state':
      return isClientState(event.e.state) ? enter(c, event.e) : unknownState(c, event.e);
    case 'tls.record':
      return onRecord(c, event.e);
    case 'tls.hsmsg':
      return onMessage(c, event.e);
    case 'tls.ciphersuite.offered':
      return c.offeredCiphersuites.some((s) => s.id === event.e.id)
        ? NONE
        : { offeredCiphersuites: capped(c.offeredCiphersuites, { id: event.e.id, name: event.e.name }) };
    case 'tls.ciphersuite.chosen': {
      const e = event.e;
      const name = e.name ?? c.offeredCiphersuites.find((s) => s.id === e.id)?.name ?? c.ciphersuite;
      return { ciphersuite: name ?? null, tlsVersion: c.tlsVersion ?? (name?.startsWith('TLS1-3-') ? '1.3' : name ? '1.2' : null) };
    }
    case 'tls.version':
      return { tlsVersion: event.e.version };
    case 'tls.mfl': {
      const e = event.e;
      if (e.stage === 'offered') return { mflOffered: e.bytes };
      // The server echoes the code the client asked for; mbedTLS names no size when it finds it.
      return { maxFragmentLength: e.bytes ?? c.mflOffered ?? c.maxFragmentLength };
    }
    case 'tls.alert': {
      const e = event.e;
      // The first fatal alert explains the failure; a later close_notify does not replace it.
      if (c.alert && c.alert.level === 2 && e.level !== 2) return NONE;
      return { alert: { direction: e.direction, level: e.level, description: e.description, name: e.name } };
    }
    case 'tls.error':
    case 'tls.platform.failed': {
      const e = event.e;
      if (e.error.code >= 0) return NONE;
      return {
        errors: capped(c.errors, { fn: e.fn, error: e.error, line: e.line, state: c.current }),
        // The outermost return is printed last and names the failure the application saw.
        error: errorOf(e.error),
      };
    }
    case 'tls.peer_certificate':
      return { peerCertificates: capped(c.peerCertificates, { subject: event.e.subject, issuer: event.e.issuer }) };
    case 'tls.verify_flags':
      return { verifyFlags: { flags: event.e.flags, names: event.e.names, line: event.e.line } };
    case 'tls.hexdump':
      return event.e.truncated
        ? { anomalies: capped(c.anomalies, { message: `hex dump '${event.e.name}' cut at 4096 of ${event.e.length} bytes`, line: event.e.line }) }
        : NONE;
    case 'tls.anomaly':
      return { anomalies: capped(c.anomalies, { message: event.e.message, line: event.e.line }) };
    case 'tls.mbedtls_version':
      return { mbedtlsVersion: event.e.version };
    default:
      return NONE;
  }
}

/** A batch folded into one new context: one copy, then each event's changes in order. */
function applyBatch(c: HandshakeView, events: readonly MachineEvent[]): HandshakeView {
  const next = { ...c };
  for (const ev of events) {
    const patch = contextUpdate(next, ev);
    if (patch !== NONE) Object.assign(next, patch);
  }
  return next;
}

export const handshakeMachine = setup({
  types: {
    context: {} as HandshakeView,
    events: {} as Ev,
    input: {} as HandshakeInput,
  },
  guards: {
    hasError: ({ context }) => context.errors.length > 0 || context.error !== null,
    reachedEnd: ({ context }) => context.current !== null && COMPLETING_STATES.has(context.current),
  },
  actions: {
    enterState: assign(({ context, event }) => (event.type === 'tls.state' ? enter(context, event.e) : {})),
    unknownState: assign(({ context, event }) => (event.type === 'tls.state' ? unknownState(context, event.e) : {})),
    update: assign(({ context, event }) => contextUpdate(context, event)),
    batch: assign(({ context, event }) => (event.type === 'tls.batch' ? applyBatch(context, event.events) : {})),
    finishOk: assign(({ context, event }) => (event.type === 'tls.batch' ? {} : finish(context, event.e.t, event.e.line, 'ok'))),
    finishFailed: assign(({ context, event }) => (event.type === 'tls.batch' ? {} : finish(context, event.e.t, event.e.line, 'failed'))),
    finishIncomplete: assign(({ context, event }) => (event.type === 'tls.batch' ? {} : finish(context, event.e.t, event.e.line, 'incomplete'))),
  },
}).createMachine({
  id: 'handshake',
  context: ({ input }) => initialHandshakeView(input),
  initial: 'idle',
  states: {
    idle: {},
    ...Object.fromEntries(CLIENT_STATES.map((s) => [s, {}])),
    ok: { type: 'final' },
    failed: { type: 'final' },
    incomplete: { type: 'final' },
  },
  on: {
    'tls.state': [
      ...CLIENT_STATES.map((s) => ({
        guard: ({ event }: { event: Ev }) => event.type === 'tls.state' && event.e.state === s,
        target: `.${s}`,
        actions: 'enterState' as const,
      })),
      { guard: ({ event }) => event.type === 'tls.state' && !isClientState(event.e.state), actions: 'unknownState' },
    ],
    ...Object.fromEntries([...CONTEXT_EVENTS].map((k) => [k, { actions: 'update' as const }])),
    'tls.batch': [
      ...CLIENT_STATES.map((s) => ({
        guard: ({ event }: { event: Ev }) => event.type === 'tls.batch' && lastStateOf(event.events) === s,
        target: `.${s}`,
        actions: 'batch' as const,
      })),
      { actions: 'batch' },
    ],
    'tls.handshake.end': [
      { guard: 'hasError', target: '.failed', actions: 'finishFailed' },
      { guard: 'reachedEnd', target: '.ok', actions: 'finishOk' },
      // `<= handshake` from an early state without an error: WANT_READ, the attempt goes on.
    ],
    'tls.platform.failed': { target: '.failed', actions: ['update', 'finishFailed'] },
    'tls.platform.ok': { target: '.ok', actions: 'finishOk' },
    'session.end': [
      { guard: 'hasError', target: '.failed', actions: 'finishFailed' },
      { target: '.incomplete', actions: 'finishIncomplete' },
    ],
  },
});

export type HandshakeMachine = typeof handshakeMachine;
