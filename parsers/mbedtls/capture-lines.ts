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

export type CaptureLine =
  | { kind: 'handshake' }
  | { kind: 'handshake.end' }
  | { kind: 'record'; direction: 'in' | 'out' }
  /** `<= write record` / `<= read record`: a record announced before it has been dumped, or never will be (debug level 3). */
  | { kind: 'record.end'; direction: 'in' | 'out' }
  | { kind: 'server'; host: string; port: number | null };

const RE_TCP = /Connecting to tcp\/([^/\s]+)\/(\d{1,5})/;
const RE_BROKER = /connecting to MQTT broker '([^'\s]+)'/;

export function captureLine(body: string): CaptureLine | null {
  const c0 = body.charCodeAt(0);
  if (c0 === 61 /* = */) return body === '=> handshake' ? HANDSHAKE : null;
  if (c0 === 60 /* < */) return body === '<= write record' ? OUT_END : body === '<= read record' ? IN_END : body === '<= handshake' ? HANDSHAKE_END : null;
  if (c0 === 111 /* o */) return body.startsWith('output record: ') ? OUT : null;
  if (c0 === 105 /* i */) return body.startsWith('input record: ') ? IN : null;
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

const HANDSHAKE: CaptureLine = { kind: 'handshake' };
const HANDSHAKE_END: CaptureLine = { kind: 'handshake.end' };
const OUT: CaptureLine = { kind: 'record', direction: 'out' };
const IN: CaptureLine = { kind: 'record', direction: 'in' };
const OUT_END: CaptureLine = { kind: 'record.end', direction: 'out' };
const IN_END: CaptureLine = { kind: 'record.end', direction: 'in' };
