/**
 * The few non-dump lines a packet capture needs besides the record bytes (src/export):
 * where a TCP connection starts (`=> handshake`), which log line announced a record (so an
 * NDJSON `tls.record` can name its packet), and the server the device connected to.
 *
 * Servers, as printed:
 * - mbedTLS ssl_client2: `  . Connecting to tcp/localhost/4433... ok`
 * - Infineon MQTT example (mqtt_task.c): `'client-id' connecting to MQTT broker 'a1b2.iot.amazonaws.com'...`
 *   (no port: the MQTT-over-TLS port 8883 is assumed).
 */

import { RE_IN_RECORD_228, RE_IN_RECORD_36, RE_OUT_RECORD } from './line-patterns.ts';

export type CaptureLine =
  | { kind: 'handshake' }
  | { kind: 'handshake.end' }
  /** `fn() returned -N (-0xN)`, not a retry: a read or write gave up; a record it announced may never be dumped. */
  | { kind: 'error' }
  /** `output record:` / `input record:`; the header fields when the line gave them (null otherwise). */
  | { kind: 'record'; direction: 'in' | 'out'; header: { type: number; major: number; minor: number; length: number } | null }
  /** `<= write record` / `<= read record`: a record announced before it has been dumped, or never will be (debug level 3). */
  | { kind: 'record.end'; direction: 'in' | 'out' }
  | { kind: 'server'; host: string; port: number | null };

const RE_RETURNED = /\(\) returned (-\d+)/;
/** WANT_READ, WANT_WRITE, TIMEOUT, CRYPTO_IN_PROGRESS, ASYNC_IN_PROGRESS: the call is made again, the record still comes. */
const RETRY = new Set([-0x6900, -0x6880, -0x6800, -0x7000, -0x6500]);
const RE_TCP = /Connecting to tcp\/([^/\s]+)\/(\d{1,5})/;
const RE_BROKER = /connecting to MQTT broker '([^'\s]+)'/;

export function captureLine(body: string): CaptureLine | null {
  const c0 = body.charCodeAt(0);
  if (c0 === 61 /* = */) return body === '=> handshake' ? HANDSHAKE : null;
  if (c0 === 60 /* < */) return body === '<= write record' ? OUT_END : body === '<= read record' ? IN_END : body === '<= handshake' ? HANDSHAKE_END : null;
  if (c0 === 111 /* o */) return body.startsWith('output record: ') ? record('out', RE_OUT_RECORD.exec(body)) : null;
  if (c0 === 105 /* i */) {
    if (!body.startsWith('input record: ')) return null;
    const m36 = RE_IN_RECORD_36.exec(body);
    if (m36 === null) return record('in', RE_IN_RECORD_228.exec(body));
    const v = parseInt(m36[2]!, 16);
    return record('in', [m36[0], m36[1]!, String((v >> 8) & 0xff), String(v & 0xff), m36[3]!]);
  }
  const ret = RE_RETURNED.exec(body);
  if (ret !== null) return RETRY.has(Number(ret[1])) ? null : ERROR;
  if (!body.includes('onnecting to ')) return null;
  let m = RE_TCP.exec(body);
  if (m) {
    const port = Number(m[2]);
    return { kind: 'server', host: m[1]!, port: port > 0 && port < 65536 ? port : null };
  }
  m = RE_BROKER.exec(body);
  if (m) return { kind: 'server', host: m[1]!, port: null };
  return null;
}

/** The match of `msgtype = T, version = [A:B], msglen = N` as [all, T, A, B, N]. */
function record(direction: 'in' | 'out', m: ArrayLike<string> | null): CaptureLine {
  const n = m === null ? [] : Array.from(m, Number);
  const ok = n.length === 5 && n.slice(1).every((x) => Number.isInteger(x) && x >= 0) && n[1]! < 256 && n[2]! < 256 && n[3]! < 256 && n[4]! < 65536;
  return { kind: 'record', direction, header: ok ? { type: n[1]!, major: n[2]!, minor: n[3]!, length: n[4]! } : null };
}

const HANDSHAKE: CaptureLine = { kind: 'handshake' };
const HANDSHAKE_END: CaptureLine = { kind: 'handshake.end' };
const ERROR: CaptureLine = { kind: 'error' };
const OUT_END: CaptureLine = { kind: 'record.end', direction: 'out' };
const IN_END: CaptureLine = { kind: 'record.end', direction: 'in' };
