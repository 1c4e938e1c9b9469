/**
 * Device-side MQTT lines: the Infineon MQTT library 4.7.0 (cy_log, needs ENABLE_MQTT_LOGS),
 * the example application's printf lines, and coreMQTT status strings
 * (device-log-formats.md §10, §11). Wi-Fi and boot lines are parsers/app.ts.
 *
 * Many library formats begin with `\n`, so their text arrives on the line after the cy_log
 * prefix; the patterns are therefore not anchored at the start and ignore surrounding space.
 */
import { boundedInt } from './device-number.ts';
import type { Base, DeviceEvent, Line, Prefixed } from './events.ts';
import { NO_EVENTS, type RowAwareParser } from './family.ts';
import { isHexRow } from './mbedtls/hex-row.ts';
import { parseCyRslt, type CyRslt } from './tables/cy-rslt.ts';

/** A coreMQTT `MQTTStatus_t` as `MQTT_Status_strerror` prints it. */
export interface MqttStatus {
  name: string;
  /** Enum value (core_mqtt_serializer.h), null for a string outside the table. */
  code: number | null;
}

/** coreMQTT v1.1.0 MQTT_Status_strerror strings in enum order. */
export const CORE_MQTT_STATUS: readonly string[] = [
  'MQTTSuccess', 'MQTTBadParameter', 'MQTTNoMemory', 'MQTTSendFailed', 'MQTTRecvFailed',
  'MQTTBadResponse', 'MQTTServerRefused', 'MQTTNoDataAvailable', 'MQTTIllegalState',
  'MQTTStateCollision', 'MQTTKeepAliveTimeout',
];

export function decodeMqttStatus(text: string): MqttStatus {
  const name = text.trim().replace(/\.$/, '');
  const code = CORE_MQTT_STATUS.indexOf(name);
  return { name, code: code >= 0 ? code : null };
}

type E<K extends string, F = unknown> = Base & { kind: K } & F;

/**
 * `scope`: `app` for the example application's printf lines (one per connect attempt of its
 * retry loop), `library` for cy_mqtt_api.c lines inside one attempt.
 */
export type MqttScope = 'app' | 'library';

export type MqttEvent =
  /** Library initialisation / instance creation, as the app reports it. */
  | E<'mqtt.init', { ok: boolean; text: string }>
  /** `'client' connecting to MQTT broker 'host'...` (the app prints it once before its retry loop). */
  | E<'mqtt.connecting', { clientId: string | null; host: string | null }>
  /** `Establishing a TLS session to host:port.` */
  | E<'mqtt.tls.connecting', { host: string; port: number | null }>
  | E<'mqtt.tls.connected'>
  /** `TLS connection failed with Error : [0x…]` */
  | E<'mqtt.tls.failed', { error: CyRslt | null }>
  | E<'mqtt.connected', { scope: MqttScope; sessionResumed: boolean | null }>
  /** One connect attempt failed; `stage` says where (network = TCP/DNS, tls, mqtt = CONNACK/protocol). */
  | E<'mqtt.failed', { scope: MqttScope; stage: 'network' | 'tls' | 'mqtt' | null; error: CyRslt | null; status: MqttStatus | null; text: string }>
  /** `Retrying in N ms. Retries left: R` (app), or the library's `Retrying connection with backoff and jitter.` (nulls). */
  | E<'mqtt.retry', { scope: MqttScope; delayMs: number | null; retriesLeft: number | null }>
  /** `Exceeded maximum MQTT connection attempts`: the app gave up. */
  | E<'mqtt.exhausted', { minutes: number | null }>
  | E<'mqtt.subscribe.sent', { topic: string }>
  | E<'mqtt.subscribed', { topic: string }>
  | E<'mqtt.subscribe.failed', { error: CyRslt | null; status: MqttStatus | null; retries: number | null }>
  | E<'mqtt.publish.sent', { topic: string; packetId: number | null }>
  | E<'mqtt.publish.failed', { error: CyRslt | null; status: MqttStatus | null }>
  | E<'mqtt.ack', { packet: 'PUBACK' | 'PUBREC'; packetId: number | null; status: MqttStatus | null }>
  /**
   * A message seen by the device (`source: 'device'`; `direction` out for `Publishing …`, in
   * for `Incoming MQTT message`) or by hsmon's own broker client (`source: 'broker'`,
   * direction null). `qos` is null when the line does not say.
   */
  | E<'mqtt.message', { source: 'device' | 'broker'; direction: 'in' | 'out' | null; topic: string; qos: number | null; payload: string; retain?: boolean }>
  /** `Received MQTT message not in valid format!` (payload other than TURN ON / TURN OFF). */
  | E<'mqtt.payload.invalid'>
  | E<'mqtt.disconnected', { reason: 'broker-lost' | 'keepalive-timeout' | 'network-down' | 'closed'; text: string }>
  | E<'mqtt.reconnecting'>
  /** Process-loop / ping failures that are not a connect attempt. */
  | E<'mqtt.error', { context: string; status: MqttStatus | null; error: CyRslt | null }>;

type Fields<K extends MqttEvent['kind']> = Omit<Extract<MqttEvent, { kind: K }>, 't' | 'line' | 'ctx' | 'kind'>;
type Rule = { re: RegExp; make: (m: RegExpMatchArray) => MqttFields[] };
type MqttFields = { [K in MqttEvent['kind']]: { kind: K } & Fields<K> }[MqttEvent['kind']];

const rslt = (s: string | undefined): CyRslt | null => (s === undefined ? null : parseCyRslt(s));
// Beyond 2^53 a count or a port is no number: null, as for one the line did not hold.
const int = (s: string | undefined): number | null => (s === undefined ? null : s.startsWith('-') ? neg(boundedInt(s.slice(1))) : boundedInt(s));
const neg = (n: number | null): number | null => (n === null ? null : -n);
const HEX = '(0x[0-9A-Fa-f]+|-?\\d+)';

const RETRY_RE = /Retrying in (\d+) ms\. Retries left: (-?\d+)/;

/** Ordered: the first rule that matches a line wins. */
const RULES: Rule[] = [
  // --- application (printf) ---
  { re: /MQTT library initialization successful/, make: () => [{ kind: 'mqtt.init', ok: true, text: 'MQTT library initialization successful.' }] },
  { re: /(MQTT library initialization failed!|Network Buffer allocation failed!|MQTT instance creation failed!)/, make: (m) => [{ kind: 'mqtt.init', ok: false, text: m[1]! }] },
  // Anchored to the first quote: unanchored, every `'` of a line of quotes started a scan to the end.
  { re: /^[^']*'(.*)' connecting to MQTT broker '(.*)'\.\.\./, make: (m) => [{ kind: 'mqtt.connecting', clientId: m[1]!, host: m[2]! }] },
  { re: /^\s*MQTT connection successful\./, make: () => [{ kind: 'mqtt.connected', scope: 'app', sessionResumed: null }] },
  {
    re: new RegExp(`MQTT connection failed with error code ${HEX}\\.`),
    make: (m) => {
      const out: MqttFields[] = [{ kind: 'mqtt.failed', scope: 'app', stage: null, error: rslt(m[1]), status: null, text: m[0] }];
      // The older app prints the retry on the same line.
      const r = RETRY_RE.exec(m.input ?? '');
      if (r) out.push({ kind: 'mqtt.retry', scope: 'app', delayMs: int(r[1]), retriesLeft: int(r[2]) });
      return out;
    },
  },
  { re: /^(?!.*Wi-Fi).*Retrying in (\d+) ms\. Retries left: (-?\d+)/, make: (m) => [{ kind: 'mqtt.retry', scope: 'app', delayMs: int(m[1]), retriesLeft: int(m[2]) }] },
  { re: /Exceeded maximum MQTT connection attempts/, make: () => [{ kind: 'mqtt.exhausted', minutes: null }] },
  { re: /MQTT client subscribed to the topic '(.*)' successfully\./, make: (m) => [{ kind: 'mqtt.subscribed', topic: m[1]! }] },
  { re: new RegExp(`MQTT Subscribe failed with error ${HEX} after (\\d+) retries`), make: (m) => [{ kind: 'mqtt.subscribe.failed', error: rslt(m[1]), status: null, retries: int(m[2]) }] },
  { re: /Publisher: Publishing '(.*)' on the topic '(.*)'/, make: (m) => [{ kind: 'mqtt.message', source: 'device', direction: 'out', topic: m[2]!, qos: null, payload: m[1]! }] },
  { re: new RegExp(`Publisher: MQTT Publish failed with error ${HEX}`), make: (m) => [{ kind: 'mqtt.publish.failed', error: rslt(m[1]), status: null }] },
  { re: /Received MQTT message not in valid format!/, make: () => [{ kind: 'mqtt.payload.invalid' }] },
  { re: /Unexpectedly disconnected from MQTT broker!/, make: (m) => [{ kind: 'mqtt.disconnected', reason: 'broker-lost', text: m[0] }] },
  { re: /Initiating MQTT Reconnection/i, make: () => [{ kind: 'mqtt.reconnecting' }] },
  { re: /Disconnect(?:ed from|ing from) the MQTT Broker/, make: (m) => [{ kind: 'mqtt.disconnected', reason: 'closed', text: m[0] }] },

  // --- library (cy_mqtt_api.c) ---
  { re: /Establishing a TLS session to (.+?):(\d+)\.?\s*$/, make: (m) => [{ kind: 'mqtt.tls.connecting', host: m[1]!, port: int(m[2]) }] },
  { re: new RegExp(`cy_awsport_network_create failed with Error : \\[${HEX}\\]`), make: (m) => [{ kind: 'mqtt.failed', scope: 'library', stage: 'network', error: rslt(m[1]), status: null, text: m[0] }] },
  { re: /Connection to the broker failed\. Retrying connection with backoff and jitter\./, make: () => [{ kind: 'mqtt.retry', scope: 'library', delayMs: null, retriesLeft: null }] },
  { re: /Connection to the broker failed, all attempts exhausted\./, make: (m) => [{ kind: 'mqtt.failed', scope: 'library', stage: 'network', error: rslt('0x8060009'), status: null, text: m[0] }] },
  { re: new RegExp(`TLS connection failed with Error : \\[${HEX}\\]`), make: (m) => [{ kind: 'mqtt.tls.failed', error: rslt(m[1]) }] },
  { re: /TLS connection established/, make: () => [{ kind: 'mqtt.tls.connected' }] },
  { re: /Connection with MQTT broker failed with status (\S+?)\.?\s*$/, make: (m) => [{ kind: 'mqtt.failed', scope: 'library', stage: 'mqtt', error: rslt('0x8060009'), status: decodeMqttStatus(m[1]!), text: m[0] }] },
  { re: /MQTT connection successfully established with broker/, make: () => [{ kind: 'mqtt.connected', scope: 'library', sessionResumed: null }] },
  { re: new RegExp(`Establish MQTT session failed with Error : \\[${HEX}\\]`), make: (m) => [{ kind: 'mqtt.failed', scope: 'library', stage: 'mqtt', error: rslt(m[1]), status: null, text: m[0] }] },
  { re: /MQTT session with broker is re-established/, make: () => [{ kind: 'mqtt.connected', scope: 'library', sessionResumed: true }] },
  { re: /A clean MQTT connection is established/, make: () => [{ kind: 'mqtt.connected', scope: 'library', sessionResumed: false }] },
  { re: /MQTT Keepalive Timeout/, make: (m) => [{ kind: 'mqtt.disconnected', reason: 'keepalive-timeout', text: m[0] }] },
  { re: /Network disconnection notification from socket layer/, make: (m) => [{ kind: 'mqtt.disconnected', reason: 'network-down', text: m[0] }] },
  { re: /(mqtt_event_processing_thread MQTT_ProcessLoop) failed with status (\S+)/, make: (m) => [{ kind: 'mqtt.error', context: m[1]!, status: decodeMqttStatus(m[2]!), error: null }] },
  { re: /(MQTT_ProcessLoop) returned with status = (\S+?)\.?\s*$/, make: (m) => [{ kind: 'mqtt.error', context: m[1]!, status: decodeMqttStatus(m[2]!), error: null }] },
  { re: new RegExp(`(MQTT_Ping) failed with Error : \\[${HEX}\\]`), make: (m) => [{ kind: 'mqtt.error', context: m[1]!, status: null, error: rslt(m[2]) }] },
  { re: /MQTT_GetSubAckStatusCodes failed with status = (\S+?)\.?\s*$/, make: (m) => [{ kind: 'mqtt.subscribe.failed', error: null, status: decodeMqttStatus(m[1]!), retries: null }] },
  { re: /PUBLISH sent for topic (.*) to broker with packet ID (\d+)/, make: (m) => [{ kind: 'mqtt.publish.sent', topic: m[1]!, packetId: int(m[2]) }] },
  { re: /SUBSCRIBE sent for topic (.*) to broker\./, make: (m) => [{ kind: 'mqtt.subscribe.sent', topic: m[1]! }] },
  { re: /PUBACK received for packet id (\d+)/, make: (m) => [{ kind: 'mqtt.ack', packet: 'PUBACK', packetId: int(m[1]), status: null }] },
  { re: /(PUBACK|PUBREC) received with status (\S+?)\.?\s*$/, make: (m) => [{ kind: 'mqtt.ack', packet: m[1] as 'PUBACK' | 'PUBREC', packetId: null, status: decodeMqttStatus(m[2]!) }] },
  { re: /Failed to send PUBLISH packet to broker with error = (\S+?)\.?\s*$/, make: (m) => [{ kind: 'mqtt.publish.failed', error: null, status: decodeMqttStatus(m[1]!) }] },
  { re: /Failed to send PUBLISH packet to broker with max retry/, make: () => [{ kind: 'mqtt.publish.failed', error: null, status: null }] },
];

/**
 * A necessary condition for any of RULES (and INCOMING_RE) to match: each of them holds one of
 * these literals (`MQTT` in any case for the one case-insensitive rule; not a bare `TLS`, which
 * every MBEDTLS_SSL_… state name holds). This parser sees every line of the log and almost
 * none is an MQTT line.
 */
const MAY_BE_MQTT = /[Mm][Qq][Tt][Tt]|TLS session|TLS connection|PUB|SUBSCRIBE|Network|broker|Retr|Publish|cy_awsport/;

interface PendingMessage {
  t: number;
  line: number;
  topic: string | null;
  qos: number | null;
}

const INCOMING_RE = /Subs(?:c)?(?:r)?iber: Incoming MQTT message received:/;
const TOPIC_RE = /^\s*Publish topic name: (.*)$/;
const QOS_RE = /^\s*Publish QoS: (-?\d+)\s*$/;
const PAYLOAD_RE = /^\s*Publish payload: (.*)$/;

/** A FamilyParser for MQTT lines. Keeps one incoming message open across its lines. */
export function createMqttParser(): RowAwareParser {
  let pending: PendingMessage | null = null;

  const finish = (payload: string): DeviceEvent[] => {
    const p = pending;
    pending = null;
    if (!p || p.topic === null) return NO_EVENTS;
    return [{ kind: 'mqtt.message', t: p.t, line: p.line, source: 'device', direction: 'in', topic: p.topic, qos: p.qos, payload }];
  };

  function feed(segment: Prefixed, line: Line): DeviceEvent[] {
      let body = segment.body;
      if (body.charCodeAt(body.length - 1) === 13) body = body.slice(0, -1);
      if (pending) {
        let m: RegExpExecArray | null;
        if ((m = TOPIC_RE.exec(body))) { pending.topic = m[1]!; return NO_EVENTS; }
        if ((m = QOS_RE.exec(body))) { pending.qos = int(m[1]); return NO_EVENTS; }
        if ((m = PAYLOAD_RE.exec(body))) return finish(m[1]!);
        if (body.trim() === '') return NO_EVENTS;
        // Anything else ends the block: report what was seen, then read the line normally.
        const cut = finish('');
        return [...cut, ...feed(segment, line)];
      }
      // A hex dump row is half a debug-4 log; its 16-character text column cannot hold a rule.
      if (isHexRow(body) || !MAY_BE_MQTT.test(body)) return NO_EVENTS;
      if (INCOMING_RE.test(body)) {
        pending = { t: line.t, line: line.seq, topic: null, qos: null };
        return NO_EVENTS;
      }
      for (const rule of RULES) {
        const m = body.match(rule.re);
        if (m) return rule.make(m).map((f) => ({ ...f, t: line.t, line: line.seq }) as DeviceEvent);
      }
      return NO_EVENTS;
  }

  return {
    feed,
    flush: (): DeviceEvent[] => (pending ? finish('') : NO_EVENTS),
    // A row can only end an incoming message block.
    wantsHexRow: () => pending !== null,
  };
}
