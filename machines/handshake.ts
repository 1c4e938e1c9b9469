/**
 * One mbedTLS client handshake attempt as a statechart whose states and transitions are the
 * client step graphs of mbedTLS itself (machines/client-steps.ts, with the source lines they
 * come from): a region `hello` for the steps both versions share, then `tls12` or `tls13`,
 * chosen by the step that follows the ServerHello. Finals: `ok`, `failed`, `incomplete`.
 *
 * A step is what a `client state:` line opens; every fact until the next one belongs to it.
 * `handshake state: a -> b` lines (tls.transition) only note mbedTLS's own state inside the
 * step (`inState`, reported as `failedIn`): the log reads the same with or without them.
 *
 * Each step node lists the steps mbedTLS can run next. A step the graph does not allow from
 * the current one is taken by the root's transitions instead, which note an anomaly naming
 * the steps skipped, and the machine follows the log anyway. Nothing a log can say makes it
 * throw. Time comes from the events, so a replay at any speed gives the same durations.
 */
import { assign, setup } from 'xstate';
import type { ErrorCode, EventOf } from '../parsers/events.ts';
import { handshakeMessageName } from '../parsers/tables/handshake-types.ts';
import type { MachineEvent } from './machine-event.ts';
import type { Anomaly, HandshakeView } from './handshake-view.ts';
import { FINAL_STEPS, FIRST_STEP, GRAPHS, REGIONS, regionsOf, skippedBetween, type Region } from './client-steps.ts';
import { TLS13_ONLY, isClientState } from './handshake-states.ts';

/** Keeps a handshake's memory bounded whatever the device prints (renegotiation loops…). */
export const MAX_RECORDS_PER_HANDSHAKE = 512;
const MAX_ITEMS = 256;
const P = 'MBEDTLS_SSL_';
const OVER = `${P}HANDSHAKE_OVER`;
const HELLO_REQUEST = `${P}HELLO_REQUEST`;
const SERVER_CERTIFICATE = `${P}SERVER_CERTIFICATE`;
const short = (s: string): string => (s.startsWith(P) ? s.slice(P.length) : s);

/** Ends an attempt from outside: the input ended, or a new attempt began on the same context. */
export type HandshakeControl = { type: 'session.end'; e: { kind: 'session.end'; t: number; line: number } };

/**
 * Evidence from outside the TLS lines that the handshake completed although its closing lines
 * are missing (the MQTT client connected over it).
 */
export type HandshakeEvidence = { type: 'evidence.connected'; e: { t: number; line: number; reason: string } };

export type HandshakeInput = {
  index: number;
  connection: string | null;
  t: number;
  line: number;
  mbedtlsVersion?: '2.28' | '3.6' | null;
};

type Ev = MachineEvent | HandshakeControl | HandshakeBatch | HandshakeEvidence;

export function initialHandshakeView(input: HandshakeInput): HandshakeView {
  return {
    index: input.index,
    connection: input.connection,
    outcome: 'incomplete',
    tlsVersion: null,
    ciphersuite: null,
    states: [],
    failedAt: null,
    failedIn: null,
    inferred: null,
    error: null,
    alert: null,
    maxFragmentLength: null,
    records: { in: { count: 0, maxLength: 0 }, out: { count: 0, maxLength: 0 } },
    fragmentedMessages: [],
    peerCertificates: [],
    stateDurationsMs: {},
    recordsByState: {},
    unknown: [],
    anomalies: [],
    startLine: input.line,
    endLine: null,
    current: null,
    inState: null,
    region: null,
    visits: [],
    recordList: [],
    messages: [],
    offeredCiphersuites: [],
    mflOffered: null,
    verifyFlags: null,
    errors: [],
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

/** A new step: the visit before it ends, its facts start collecting here. */
function enter(c: HandshakeView, e: EventOf<'tls.state'>, region: Region): Partial<HandshakeView> {
  // closeVisit and capped in one copy of the visits: this runs for every step.
  const from = c.visits.length >= MAX_ITEMS ? c.visits.length - MAX_ITEMS + 1 : 0;
  const visits = c.visits.slice(from);
  let stateDurationsMs = c.stateDurationsMs;
  const last = visits[visits.length - 1];
  if (last && last.durationMs === null) {
    const durationMs = Math.max(0, e.t - last.enteredAt);
    visits[visits.length - 1] = { ...last, durationMs };
    stateDurationsMs = { ...stateDurationsMs, [last.state]: (stateDurationsMs[last.state] ?? 0) + durationMs };
  }
  visits.push({ state: e.state, enteredAt: e.t, durationMs: null, line: e.line, recordsIn: 0, recordsOut: 0 });
  return {
    visits,
    stateDurationsMs,
    current: e.state,
    inState: null,
    region,
    states: capped(c.states, e.state, MAX_ITEMS),
    tlsVersion: c.tlsVersion ?? (TLS13_ONLY.has(e.state) ? '1.3' : null),
  };
}

/**
 * The region a step the graph did not expect is placed in: the only one that has it, else the
 * version's (known from the ServerHello or the suite), else TLS 1.2's.
 */
export function regionFor(c: Pick<HandshakeView, 'tlsVersion'>, state: string): Region | null {
  const rs = regionsOf(short(state));
  if (rs.length <= 1) return rs[0] ?? null;
  if (c.tlsVersion === '1.3' && rs.includes('tls13')) return 'tls13';
  return rs.includes('tls12') ? 'tls12' : rs[0]!;
}

function regionOfCurrent(c: HandshakeView): Region | null {
  return c.current === null ? null : c.region ?? regionFor(c, c.current);
}

/**
 * Where a step takes the chart, as its node transitions decide it (the same graph data): an
 * edge of the current node, else a jump (`jump`: noted as an anomaly), else no client step.
 * Used for steps inside a `tls.batch`; tests check it against the transitions one by one.
 */
export function placeOf(c: Pick<HandshakeView, 'current' | 'region' | 'tlsVersion'>, state: string):
  { kind: 'repeat' } | { kind: 'edge' | 'jump'; region: Region } | { kind: 'unknown' } {
  if (c.current === state) return { kind: 'repeat' };
  const step = short(state);
  if (c.current === null || c.region === null) {
    if (step === 'HELLO_REQUEST') return { kind: 'edge', region: 'hello' };
  } else {
    const edge = GRAPHS[c.region][short(c.current)]?.find((ed) => ed.to === step);
    if (edge) return { kind: 'edge', region: edge.region };
  }
  const r = regionFor(c, state);
  return r === null ? { kind: 'unknown' } : { kind: 'jump', region: r };
}

/** A step inside a batch: what the chart's transitions and actions do for it, as one patch. */
function stepUpdate(c: HandshakeView, e: EventOf<'tls.state'>): Partial<HandshakeView> {
  const place = placeOf(c, e.state);
  switch (place.kind) {
    case 'repeat':
      return { inState: null };
    case 'edge':
      return enter(c, e, place.region);
    case 'jump':
      return { ...enter(c, e, place.region), anomalies: capped(c.anomalies, jumpAnomaly(c, e, place.region)) };
    case 'unknown':
      return { anomalies: capped(c.anomalies, unknownAnomaly(e)) };
  }
}

const unknownAnomaly = (e: EventOf<'tls.state'>): Anomaly => ({ message: `unknown handshake state ${e.state}`, line: e.line, skipped: [] });

/** The node a batch leaves the chart in (null: it has no step), computed once per batch. */
const batchEnds = new WeakMap<readonly MachineEvent[], { region: Region; state: string } | null>();
function batchEnd(c: HandshakeView, events: readonly MachineEvent[]): { region: Region; state: string } | null {
  const known = batchEnds.get(events);
  if (known !== undefined) return known;
  let at = { current: c.current, region: c.region, tlsVersion: c.tlsVersion };
  let moved = false;
  for (const ev of events) {
    if (ev.type === 'tls.version') at = { ...at, tlsVersion: ev.e.version };
    else if (ev.type === 'tls.ciphersuite.chosen' && at.tlsVersion === null && ev.e.name) at = { ...at, tlsVersion: ev.e.name.startsWith('TLS1-3-') ? '1.3' : '1.2' };
    else if (ev.type === 'tls.state') {
      const place = placeOf(at, ev.e.state);
      if (place.kind === 'edge' || place.kind === 'jump') {
        at = { ...at, current: ev.e.state, region: place.region };
        moved = true;
      }
    }
  }
  const end = moved && at.region !== null && at.current !== null ? { region: at.region, state: at.current } : null;
  batchEnds.set(events, end);
  return end;
}

/** The anomaly for a step the graph does not allow after the current one. */
function jumpAnomaly(c: HandshakeView, e: EventOf<'tls.state'>, to: Region): Anomaly {
  const fromRegion = regionOfCurrent(c);
  const from = c.current === null || fromRegion === null ? { region: 'hello' as Region, step: 'HELLO_REQUEST' } : { region: fromRegion, step: short(c.current) };
  const target = { region: to, step: short(e.state) };
  const between = c.current === null ? skippedBetween(from, target)?.concat() ?? null : skippedBetween(from, target);
  // From no state at all, HELLO_REQUEST itself was not seen either.
  const skipped = between === null ? null : (c.current === null && target.step !== 'HELLO_REQUEST' ? ['HELLO_REQUEST', ...between] : between).map((s) => P + s);
  const cause = 'lines lost on the UART (check the baud rate and flow control) or an mbedTLS version hsmon does not know';
  const what = c.current === null ? `the handshake begins in ${short(e.state)}` : `${short(c.current)} -> ${short(e.state)}`;
  if (skipped === null) {
    return { message: `step ${what} is not in the mbedTLS ${to === 'tls13' ? 'TLS 1.3' : 'TLS 1.2'} client graph (it goes back): ${cause}`, line: e.line, skipped: [] };
  }
  return { message: `step ${what} skips ${skipped.map(short).join(', ')}: ${cause}`, line: e.line, skipped };
}

/**
 * Which `unknown` facts an ended attempt has: what its debug level does not print. The evidence
 * is the log itself: a handshake that sent a ClientHello prints an `output record` line at
 * level 3 and up, so none at all means level 2 or lower (ssl_msg.c:3031, MBEDTLS_SSL_DEBUG_MSG(3)),
 * and with it go the other level-3 lines: the ClientHello extensions and `found
 * max_fragment_length extension`, `handshake message:` (fragments), the peer certificate
 * (MBEDTLS_SSL_DEBUG_CRT(3), ssl_tls.c) and `server hello, chosen ciphersuite` (3).
 */
function unknownFacts(c: HandshakeView, states: readonly string[]): HandshakeView['unknown'] {
  const sawHello = states.some((s) => s !== HELLO_REQUEST);
  if (!sawHello || c.records.in.count + c.records.out.count > 0) return [];
  const level3 = 'debug level 3 shows it';
  const out: HandshakeView['unknown'] = [{
    field: 'records',
    reason: 'no `output record` / `input record` lines: mbedTLS prints them at debug level 3 and up',
  }];
  if (c.maxFragmentLength === null) out.push({ field: 'maxFragmentLength', reason: `the ClientHello extensions and the server's answer are not in the log: ${level3}` });
  out.push({ field: 'fragmentedMessages', reason: `no \`handshake message:\` lines: ${level3}` });
  if (c.peerCertificates.length === 0 && states.includes(SERVER_CERTIFICATE)) {
    out.push({ field: 'peerCertificates', reason: `the server's certificate is printed at debug level 3` });
  }
  if (c.ciphersuite === null) out.push({ field: 'ciphersuite', reason: `\`server hello, chosen ciphersuite\` is a level-3 line` });
  return out;
}

function finish(c: HandshakeView, t: number, line: number, outcome: HandshakeView['outcome'], inferred: string | null = null): Partial<HandshakeView> {
  const closed = closeVisit(c, t);
  const ok = outcome === 'ok';
  const states = ok && c.states[c.states.length - 1] !== OVER ? [...c.states, OVER] : c.states;
  const failed = outcome === 'failed';
  return {
    ...closed,
    outcome,
    states,
    current: ok ? OVER : c.current,
    failedAt: failed ? c.current : null,
    failedIn: failed && c.inState !== null && c.inState !== c.current ? c.inState : null,
    inferred,
    endLine: line,
    endT: t,
    tlsVersion: c.tlsVersion ?? (c.states.length > 0 ? inferVersion(c) : null),
    unknown: unknownFacts(c, states),
  };
}

/** Last resort when no line named the version: a handshake with only 1.2 states is 1.2. */
function inferVersion(c: HandshakeView): '1.2' | '1.3' | null {
  if (c.states.some((s) => TLS13_ONLY.has(s))) return '1.3';
  if (c.ciphersuite?.startsWith('TLS1-3-')) return '1.3';
  if (c.ciphersuite) return '1.2';
  return c.states.includes(`${P}SERVER_HELLO_DONE`) || c.states.includes(`${P}SERVER_KEY_EXCHANGE`) ? '1.2' : null;
}

function onRecord(c: HandshakeView, e: EventOf<'tls.record'>): Partial<HandshakeView> {
  const dir = e.direction;
  const agg = c.records[dir];
  const last = c.visits[c.visits.length - 1];
  const visits = last
    ? [...c.visits.slice(0, -1), dir === 'in' ? { ...last, recordsIn: last.recordsIn + 1 } : { ...last, recordsOut: last.recordsOut + 1 }]
    : c.visits;
  const step = c.current;
  let recordsByState = c.recordsByState;
  if (step !== null) {
    const per = recordsByState[step] ?? { in: 0, out: 0 };
    recordsByState = { ...recordsByState, [step]: dir === 'in' ? { in: per.in + 1, out: per.out } : { in: per.in, out: per.out + 1 } };
  }
  const view = { direction: dir, contentType: e.contentType, length: e.length, t: e.t, line: e.line, state: step };
  return {
    records: { ...c.records, [dir]: { count: agg.count + 1, maxLength: Math.max(agg.maxLength, e.length) } },
    visits,
    recordsByState,
    recordList: capped(c.recordList, e.messages ? { ...view, messages: e.messages } : view, MAX_RECORDS_PER_HANDSHAKE),
  };
}

/** A message longer than its record arrives as an initial fragment and subsequent ones. */
function onMessage(c: HandshakeView, e: EventOf<'tls.hsmsg'>): Partial<HandshakeView> {
  if (e.fragment !== 'subsequent') {
    const messages = capped(c.messages, { type: e.type, length: e.hslen, fragments: [e.msglen], line: e.line });
    // Left in an earlier record (a packed flight): that record's row names it too.
    if (e.record === undefined) return { messages };
    const name = handshakeMessageName(e.type);
    const recordList = c.recordList.map((r) => (r.line === e.record && r.direction === 'in' ? { ...r, messages: [...(r.messages ?? []), name] } : r));
    return { messages, recordList };
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
  'tls.mbedtls_version', 'tls.transition',
]);

/**
 * Events that may reach the machine as one `tls.batch`, applied in order. Steps among them take
 * the chart where its node transitions would (placeOf reads the same graph; a test replays every
 * path and corpus log both ways and compares node and context): one xstate event per run of
 * lines instead of one per step, which a 64 MB debug-4 replay measures (see the commit).
 */
export const BATCHABLE_EVENTS: ReadonlySet<string> = new Set([...CONTEXT_EVENTS, 'tls.state']);

/** A run of BATCHABLE_EVENTS in one step. */
export type HandshakeBatch = { type: 'tls.batch'; events: MachineEvent[] };

const NONE: Partial<HandshakeView> = {};

/** What one context event changes; NONE for any other event. */
function contextUpdate(c: HandshakeView, event: Ev): Partial<HandshakeView> {
  switch (event.type) {
    case 'tls.state':
      return stepUpdate(c, event.e);
    case 'tls.record':
      return onRecord(c, event.e);
    case 'tls.hsmsg':
      return onMessage(c, event.e);
    case 'tls.transition':
      return { inState: event.e.to };
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

/**
 * A batch folded into one new context: one copy (the arrays and maps records touch copied once,
 * then changed in place: a debug-4 step brings a dozen records), then each event's changes in
 * order, by the same functions as one by one.
 */
function applyBatch(c: HandshakeView, events: readonly MachineEvent[]): HandshakeView {
  const next = { ...c };
  let owned = false;
  for (const ev of events) {
    if (ev.type === 'tls.record') {
      if (!owned) {
        next.visits = next.visits.slice();
        next.recordList = next.recordList.slice();
        next.records = { in: { ...next.records.in }, out: { ...next.records.out } };
        next.recordsByState = { ...next.recordsByState };
        owned = true;
      }
      recordInPlace(next, ev.e);
      continue;
    }
    // Only records touch the arrays owned above; every other event's patch replaces what it changes.
    const patch = contextUpdate(next, ev);
    if (patch !== NONE) Object.assign(next, patch);
  }
  return next;
}

/** onRecord on a context whose record arrays and maps belong to the caller. */
function recordInPlace(c: HandshakeView, e: EventOf<'tls.record'>): void {
  const dir = e.direction;
  const agg = c.records[dir];
  agg.count++;
  if (e.length > agg.maxLength) agg.maxLength = e.length;
  const i = c.visits.length - 1;
  const last = c.visits[i];
  if (last) c.visits[i] = dir === 'in' ? { ...last, recordsIn: last.recordsIn + 1 } : { ...last, recordsOut: last.recordsOut + 1 };
  const step = c.current;
  if (step !== null) {
    const per = c.recordsByState[step];
    c.recordsByState[step] = per === undefined ? { in: dir === 'in' ? 1 : 0, out: dir === 'out' ? 1 : 0 } : dir === 'in' ? { in: per.in + 1, out: per.out } : { in: per.in, out: per.out + 1 };
  }
  const view = { direction: dir, contentType: e.contentType, length: e.length, t: e.t, line: e.line, state: step };
  c.recordList.push(e.messages ? { ...view, messages: e.messages } : view);
  if (c.recordList.length > MAX_RECORDS_PER_HANDSHAKE) c.recordList.shift();
}

const stateOf = (event: Ev): string | null => (event.type === 'tls.state' ? event.e.state : null);
export const handshakeMachine = setup({
  types: {
    context: {} as HandshakeView,
    events: {} as Ev,
    input: {} as HandshakeInput,
  },
  guards: {
    /** The step the log opens is this one (a full MBEDTLS_SSL_ name). */
    stepIs: ({ event }, params: { state: string }) => stateOf(event) === params.state,
    /** The step runs again (WANT_READ / WANT_WRITE, or the TLS 1.2 ticket read). */
    sameStep: ({ context, event }) => stateOf(event) !== null && stateOf(event) === context.current,
    /** A step the graph did not expect from here, placed in this region. */
    jumpTo: ({ context, event }, params: { state: string; region: Region }) =>
      stateOf(event) === params.state && regionFor(context, params.state) === params.region,
    /** A batch whose last step leaves the chart in this node. */
    batchEndsIn: ({ context, event }, params: { state: string; region: Region }) => {
      if (event.type !== 'tls.batch') return false;
      const end = batchEnd(context, event.events);
      return end !== null && end.state === params.state && end.region === params.region;
    },
    hasError: ({ context }) => context.errors.length > 0 || context.error !== null,
    reachedEnd: ({ context }) => context.current !== null && FINAL_STEPS.has(short(context.current)),
    /**
     * The client reached HANDSHAKE_WRAPUP, or FLUSH_BUFFERS of TLS 1.2, whose only work is to
     * print `handshake: done` (ssl_tls12_client.c:3623): nothing the server sends is read after.
     */
    pastFinished: ({ context }) => context.current !== null &&
      (short(context.current) === 'HANDSHAKE_WRAPUP' || (short(context.current) === 'FLUSH_BUFFERS' && context.tlsVersion === '1.2')),
  },
  actions: {
    enterStep: assign(({ context, event }, params: { region: Region }) => (event.type === 'tls.state' ? enter(context, event.e, params.region) : {})),
    /** The same step again: a new run of it, so mbedTLS's own state is the step's once more. */
    repeatStep: assign({ inState: null }),
    noteJump: assign(({ context, event }, params: { region: Region }) =>
      event.type === 'tls.state' ? { anomalies: capped(context.anomalies, jumpAnomaly(context, event.e, params.region)) } : {}),
    unknownState: assign(({ context, event }) => (event.type === 'tls.state' ? { anomalies: capped(context.anomalies, unknownAnomaly(event.e)) } : {})),
    update: assign(({ context, event }) => contextUpdate(context, event)),
    batch: assign(({ context, event }) => (event.type === 'tls.batch' ? applyBatch(context, event.events) : {})),
    finishOk: assign(({ context, event }) => ('e' in event ? finish(context, event.e.t, event.e.line, 'ok') : {})),
    finishInferred: assign(({ context, event }) =>
      event.type === 'evidence.connected'
        ? finish(context, event.e.t, event.e.line, 'ok', `${event.e.reason} (line ${event.e.line + 1}), so the handshake completed although its closing lines are missing`)
        : event.type === 'session.end'
          ? finish(context, event.e.t, event.e.line, 'ok', `the log ends after the client reached ${short(context.current ?? '')} after the server's Finished, without \`<= handshake\``)
          : {}),
    finishFailed: assign(({ context, event }) => ('e' in event ? finish(context, event.e.t, event.e.line, 'failed') : {})),
    finishIncomplete: assign(({ context, event }) => ('e' in event ? finish(context, event.e.t, event.e.line, 'incomplete') : {})),
  },
}).createMachine({
  id: 'handshake',
  context: ({ input }) => initialHandshakeView(input),
  initial: 'idle',
  states: {
    idle: {
      on: { 'tls.state': { guard: { type: 'stepIs', params: { state: `${P}HELLO_REQUEST` } }, target: '#handshake.hello.HELLO_REQUEST', actions: { type: 'enterStep', params: { region: 'hello' } } } },
    },
    ...Object.fromEntries(REGIONS.map((r) => [r, {
      initial: FIRST_STEP[r],
      states: Object.fromEntries(Object.entries(GRAPHS[r]).map(([step, edges]) => [step, {
        on: {
          'tls.state': [
            { guard: 'sameStep' as const, actions: 'repeatStep' as const },
            ...edges.map((edge) => ({
              guard: { type: 'stepIs' as const, params: { state: P + edge.to } },
              target: `#handshake.${edge.region}.${edge.to}`,
              actions: { type: 'enterStep' as const, params: { region: edge.region } },
            })),
          ],
        },
      }])),
    }])),
    ok: { type: 'final' },
    failed: { type: 'final' },
    incomplete: { type: 'final' },
  },
  on: {
    // Reached only when the step node has no transition for the step: lines were lost, or a
    // graph hsmon does not know. Noted, then followed.
    'tls.state': [
      ...REGIONS.flatMap((r) => Object.keys(GRAPHS[r]).map((step) => ({
        guard: { type: 'jumpTo' as const, params: { state: P + step, region: r } },
        target: `#handshake.${r}.${step}`,
        actions: [{ type: 'noteJump' as const, params: { region: r } }, { type: 'enterStep' as const, params: { region: r } }],
      }))),
      { guard: 'sameStep', actions: 'repeatStep' },
      { actions: 'unknownState' },
    ],
    ...Object.fromEntries([...CONTEXT_EVENTS].map((k) => [k, { actions: 'update' as const }])),
    // A run of lines: the chart ends in the node of its last step (placeOf: the node transitions' choice).
    'tls.batch': [
      ...REGIONS.flatMap((r) => Object.keys(GRAPHS[r]).map((step) => ({
        guard: { type: 'batchEndsIn' as const, params: { state: P + step, region: r } },
        target: `#handshake.${r}.${step}`,
        actions: 'batch' as const,
      }))),
      { actions: 'batch' },
    ],
    'tls.handshake.end': [
      { guard: 'hasError', target: '.failed', actions: 'finishFailed' },
      { guard: 'reachedEnd', target: '.ok', actions: 'finishOk' },
      // `<= handshake` from an early step without an error: WANT_READ, the attempt goes on.
    ],
    'tls.platform.failed': { target: '.failed', actions: ['update', 'finishFailed'] },
    'tls.platform.ok': { target: '.ok', actions: 'finishOk' },
    'evidence.connected': [
      { guard: 'hasError' },
      { target: '.ok', actions: 'finishInferred' },
    ],
    'session.end': [
      { guard: 'hasError', target: '.failed', actions: 'finishFailed' },
      { guard: 'pastFinished', target: '.ok', actions: 'finishInferred' },
      { target: '.incomplete', actions: 'finishIncomplete' },
    ],
  },
});

export type HandshakeMachine = typeof handshakeMachine;

/** For tests and the chart: every step node the machine has, as `region.STEP`. */
export function stepNodes(): string[] {
  return REGIONS.flatMap((r) => Object.keys(GRAPHS[r]).map((s) => `${r}.${s}`));
}

export { isClientState };
