/**
 * Records say which step moved them and which handshake messages they carry.
 *
 * The step is the last `client state:` line of the record's TLS context: mbedtls_ssl_handshake_step
 * prints it before it runs the step (mbedtls-3.6.6 ssl_tls.c:4589, 2.28.10 ssl_cli.c:4261), and
 * the step writes and flushes its message itself. A `handshake state: a -> b` line inside the
 * step (ssl_misc.h:1353) is printed when the step sets the next state, *before* it flushes what
 * it wrote, so it must not move the record: the 456-byte client Certificate of
 * recordings/psa_tls12_opaque_ok.log (line 350) follows `handshake state: 7 -> 8` (line 347) and
 * still belongs to CLIENT_CERTIFICATE.
 *
 * Messages of an output record: the `=> write client hello` style lines of the step before it
 * (level 2, so present whenever the level-3 record line is). Messages of an input record: the
 * `handshake message: … type = T` line that follows it (ssl_msg.c:3242, printed once the record's
 * body is read and, in TLS 1.3, decrypted). The input record is therefore held back until that
 * line, the end of the read (`<= read record`, ssl_msg.c:4404) or any other event of its context,
 * and emitted then, in front of them: the order of NDJSON lines stays the order of the log. Only
 * the body of one record can come between the two lines, so nothing waits on the device for long.
 * A record holding several messages (a server that packs its flight: ServerHello, Certificate,
 * ServerKeyExchange, ServerHelloDone in one record) is read once, and the later steps take the
 * next messages from what is left of it (ssl_msg.c, ssl_consume_current_message: no new
 * `input record` line, the next `handshake message:` line's msglen is what is left). The
 * record cannot wait for them (they come after other steps' lines), so it names the first and
 * says `moreMessages`; each later message's tls.hsmsg names the record's line (`record`), and
 * the handshake model adds it to the record's list.
 */
import type { DeviceEvent } from '../events.ts';
import { handshakeMessageName } from '../tables/handshake-types.ts';

type RecordEvent = Extract<DeviceEvent, { kind: 'tls.record' }>;

/** An input record waiting for the handshake-message lines that follow it. */
export interface HeldRecord {
  record: RecordEvent;
  trailing: DeviceEvent[];
}

/** Per TLS context (the `%p` prefix, '' without one). */
export interface AttributionState {
  steps: Map<string, string>;
  writes: Map<string, string[]>;
  held: Map<string, HeldRecord>;
  /** The input record whose later messages are still to be read: its line and the bytes left. */
  rest: Map<string, { line: number; left: number }>;
}

export function newAttribution(): AttributionState {
  return { steps: new Map(), writes: new Map(), held: new Map(), rest: new Map() };
}

/** `=> write …` lines of the functions that write one handshake message (3.6 and 2.28 alike). */
const WRITES = new Map([
  ['=> write client hello', 'ClientHello'],
  ['=> write certificate', 'Certificate'],
  ['=> write client key exchange', 'ClientKeyExchange'],
  ['=> write certificate verify', 'CertificateVerify'],
  ['=> write finished', 'Finished'],
  ['=> write finished message', 'Finished'],
  ['=> write EndOfEarlyData', 'EndOfEarlyData'],
]);

/** The lines that say a message announced by `=> write …` is not sent after all. */
const SKIPS = new Map([
  ['<= skip write certificate', 'Certificate'],
  ['<= skip write certificate verify', 'CertificateVerify'],
]);

/** Notes a write or skip line; true when the line was one. */
export function noteWriteLine(a: AttributionState, ctx: string | null, body: string): boolean {
  const name = WRITES.get(body);
  const key = ctx ?? '';
  if (name !== undefined) {
    const list = a.writes.get(key);
    if (list) list.push(name);
    else a.writes.set(key, [name]);
    return true;
  }
  const skipped = SKIPS.get(body);
  if (skipped === undefined) return false;
  const list = a.writes.get(key);
  const i = list ? list.lastIndexOf(skipped) : -1;
  if (list && i >= 0) list.splice(i, 1);
  return true;
}

/** Events that are part of reading a record: they may follow it without releasing it. */
function partOfRead(e: DeviceEvent): boolean {
  return e.kind === 'tls.hsmsg' || e.kind === 'tls.hexdump' || (e.kind === 'tls.error' && e.error.code >= 0);
}

const carriesHandshake = (contentType: number): boolean => contentType === 22 || contentType === 23;

/**
 * Stamps the records among one line's events (all of context `ctx`) with their step and
 * messages, holds input records back until their messages are known, and releases held ones
 * in front of the first event that does not belong to reading them. Rewrites `out` in place.
 */
export function attribute(a: AttributionState, ctx: string | null, out: DeviceEvent[]): void {
  const key = ctx ?? '';
  let held = a.held.get(key);
  if (held === undefined && !a.rest.has(key) && !out.some(touchesSteps)) return;
  const result: DeviceEvent[] = [];
  for (const e of out) {
    // A record stamped already was released from holding by this line (`<= read record`).
    if (e.kind === 'tls.record' && e.state === undefined) {
      if (held) {
        result.push(held.record, ...held.trailing);
        held = undefined;
      }
      e.state = a.steps.get(key) ?? null;
      if (e.direction === 'in') a.rest.delete(key);
      if (e.direction === 'out') {
        const writes = a.writes.get(key);
        if (carriesHandshake(e.contentType) && writes && writes.length > 0) {
          e.messages = writes.slice();
          writes.length = 0;
        }
        result.push(e);
      } else if (carriesHandshake(e.contentType)) {
        held = { record: e, trailing: [] };
      } else {
        result.push(e);
      }
      continue;
    }
    if (held) {
      if (e.kind === 'tls.hsmsg') {
        held.record.messages = [handshakeMessageName(e.type)];
        if (e.fragment === 'sole' && e.msglen > e.hslen) {
          held.record.moreMessages = true;
          a.rest.set(key, { line: held.record.line, left: e.msglen - e.hslen });
        }
        result.push(held.record, ...held.trailing, e);
        held = undefined;
        continue;
      }
      if (partOfRead(e)) {
        held.trailing.push(e);
        continue;
      }
      result.push(held.record, ...held.trailing);
      held = undefined;
    }
    if (e.kind === 'tls.hsmsg') continueRecord(a, key, e);
    else if (e.kind === 'tls.state') a.steps.set(key, e.state);
    else if (e.kind === 'tls.handshake.begin') {
      a.steps.delete(key);
      a.writes.delete(key);
      a.rest.delete(key);
    }
    result.push(e);
  }
  if (held) a.held.set(key, held);
  else a.held.delete(key);
  out.length = 0;
  for (const e of result) out.push(e);
}

/** A message read from what an earlier record left (its msglen is exactly what was left): name that record. */
function continueRecord(a: AttributionState, key: string, e: Extract<DeviceEvent, { kind: 'tls.hsmsg' }>): void {
  const rest = a.rest.get(key);
  if (rest === undefined) return;
  if (e.fragment !== 'sole' || e.msglen !== rest.left) {
    a.rest.delete(key);
    return;
  }
  e.record = rest.line;
  if (e.msglen > e.hslen) rest.left = e.msglen - e.hslen;
  else a.rest.delete(key);
}

function touchesSteps(e: DeviceEvent): boolean {
  return e.kind === 'tls.record' || e.kind === 'tls.state' || e.kind === 'tls.handshake.begin';
}

/** `<= read record`: the record of that context is read, with no handshake message in it. */
export function releaseRead(a: AttributionState, ctx: string | null, out: DeviceEvent[]): void {
  const key = ctx ?? '';
  const held = a.held.get(key);
  if (!held) return;
  a.held.delete(key);
  out.push(held.record, ...held.trailing);
}

/** End of input: every record still held, in order. */
export function releaseAll(a: AttributionState, out: DeviceEvent[]): void {
  for (const h of a.held.values()) out.push(h.record, ...h.trailing);
  a.held.clear();
}
