/**
 * JSON Schema (draft 2020-12) of every NDJSON line hsmon prints, versioned `hsmon/v1`.
 * `hsmon schema` prints it; test/output/schema.test.ts validates real output against it.
 */
import { SCHEMA_ID } from '../contracts/summary.ts';

const int = { type: 'integer' };
const num = { type: 'number' };
const str = { type: 'string' };
const nullable = (s: object) => ({ anyOf: [s, { type: 'null' }] });
const errorCode = {
  type: 'object',
  required: ['code', 'hex', 'name'],
  properties: { code: int, hex: { type: 'string', pattern: '^-?0x[0-9A-Fa-f]+$' }, name: nullable(str), text: nullable(str) },
};
const alert = {
  type: 'object',
  required: ['direction', 'level', 'description', 'name'],
  properties: { direction: { enum: ['received', 'sent'] }, level: int, description: int, name: str },
};

/** An event line: `kind`, `t` (ms since session start), `line` (seq of the source line). */
function event(kind: string, properties: Record<string, unknown> = {}, required: string[] = []) {
  return {
    type: 'object',
    required: ['kind', 't', 'line', ...required],
    properties: { kind: { const: kind }, t: num, line: nullable(int), ctx: nullable(str), ...properties },
  };
}

const handshake = {
  type: 'object',
  required: ['index', 'connection', 'outcome', 'tlsVersion', 'ciphersuite', 'states', 'failedAt', 'failedIn', 'inferred', 'error', 'alert',
    'maxFragmentLength', 'records', 'fragmentedMessages', 'peerCertificates', 'stateDurationsMs', 'recordsByState', 'unknown', 'anomalies',
    'startLine', 'endLine'],
  properties: {
    index: int,
    connection: nullable(str),
    outcome: { enum: ['ok', 'failed', 'incomplete'] },
    tlsVersion: { enum: ['1.2', '1.3', null] },
    ciphersuite: nullable(str),
    states: { type: 'array', items: str },
    failedAt: nullable(str),
    failedIn: nullable(str),
    inferred: nullable(str),
    error: nullable(errorCode),
    alert: nullable(alert),
    maxFragmentLength: nullable(int),
    records: nullable({
      type: 'object',
      required: ['in', 'out'],
      properties: Object.fromEntries(['in', 'out'].map((d) => [d, { type: 'object', required: ['count', 'maxLength'], properties: { count: int, maxLength: int } }])),
    }),
    fragmentedMessages: { type: 'array', items: { type: 'object', required: ['type', 'length', 'fragments'], properties: { type: int, length: int, fragments: int } } },
    peerCertificates: { type: 'array', items: { type: 'object', required: ['subject', 'issuer'], properties: { subject: nullable(str), issuer: nullable(str) } } },
    stateDurationsMs: { type: 'object', additionalProperties: num },
    recordsByState: { type: 'object', additionalProperties: { type: 'object', required: ['in', 'out'], properties: { in: int, out: int } } },
    unknown: { type: 'array', items: { type: 'object', required: ['field', 'reason'], properties: { field: { enum: ['records', 'maxFragmentLength', 'fragmentedMessages', 'peerCertificates', 'ciphersuite'] }, reason: str } } },
    anomalies: { type: 'array', items: { type: 'object', required: ['message', 'line'], properties: { message: str, line: int, skipped: { type: 'array', items: str } } } },
    startLine: int,
    endLine: nullable(int),
  },
};

const finding = {
  type: 'object',
  required: ['code', 'severity', 'message', 'hint', 'line'],
  properties: { code: str, severity: { enum: ['error', 'warning', 'info'] }, message: str, hint: str, line: int, lines: { type: 'array', items: int }, handshake: int },
};

const summary = {
  type: 'object',
  required: ['kind', 'schema', 'source', 'lines', 'handshakes', 'certificates', 'keys', 'mqtt', 'findings'],
  properties: {
    kind: { const: 'summary' },
    schema: { const: SCHEMA_ID },
    source: str,
    lines: int,
    handshakes: { type: 'array', items: handshake },
    dropped: { type: 'object', additionalProperties: int },
    certificates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'subject', 'issuer', 'selfSigned', 'notBefore', 'notAfter', 'keyAlgorithm', 'signatureAlgorithm', 'sha256', 'line'],
        properties: { source: { enum: ['pem', 'handshake'] }, subject: str, issuer: str, selfSigned: { type: 'boolean' }, notBefore: str, notAfter: str, keyAlgorithm: str, signatureAlgorithm: str, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, line: int },
      },
    },
    keys: {
      type: 'array',
      items: { type: 'object', required: ['id', 'type', 'bits', 'alg', 'lifetime', 'lastStatus'], properties: { id: int, type: nullable(str), bits: nullable(int), alg: nullable(str), lifetime: { enum: ['persistent', 'volatile', null] }, lastStatus: nullable(str) } },
    },
    mqtt: {
      type: 'object',
      required: ['connected', 'subscriptions', 'messages'],
      properties: {
        connected: { type: 'boolean' },
        subscriptions: { type: 'array', items: { type: 'object', required: ['topic'], properties: { topic: str } } },
        messages: { type: 'array', items: { type: 'object', required: ['source', 'direction', 'topic', 'qos', 'payload', 'line'], properties: { source: { enum: ['device', 'broker'] }, direction: { enum: ['in', 'out', null] }, topic: str, qos: nullable(int), payload: str, line: nullable(int) } } },
      },
    },
    findings: { type: 'array', items: finding },
  },
};

const tlsEvents = [
  event('tls.handshake.begin'),
  event('tls.handshake.end'),
  event('tls.state', { state: str, number: nullable(int), from: nullable(str) }, ['state', 'number']),
  event('tls.transition', { from: str, to: str, number: int }, ['from', 'to', 'number']),
  // packet: with --pcapng / hsmon export --json, the record's frame number in the capture.
  event('tls.record', {
    direction: { enum: ['in', 'out'] }, contentType: int, version: str, length: int, state: nullable(str), messages: { type: 'array', items: str },
    moreMessages: { type: 'boolean' },
    packet: { type: 'integer', minimum: 1 },
  }, ['direction', 'contentType', 'version', 'length']),
  // record: the line of the earlier tls.record (moreMessages) this message was left in.
  event('tls.hsmsg', { msglen: int, type: int, hslen: int, fragment: { enum: ['sole', 'initial', 'subsequent'] }, record: int }, ['msglen', 'type', 'hslen', 'fragment']),
  event('tls.ciphersuite.offered', { id: int, name: str }, ['id', 'name']),
  event('tls.ciphersuite.chosen', { id: nullable(int), name: nullable(str) }, ['id', 'name']),
  event('tls.version', { version: { enum: ['1.2', '1.3'] } }, ['version']),
  event('tls.mfl', { stage: { enum: ['offered', 'negotiated'] }, bytes: nullable(int) }, ['stage', 'bytes']),
  event('tls.record_size_limit', { stage: { enum: ['offered', 'negotiated'] }, bytes: nullable(int) }, ['stage', 'bytes']),
  { ...event('tls.alert', alert.properties, alert.required) },
  event('tls.error', { fn: str, error: errorCode }, ['fn', 'error']),
  event('tls.platform.failed', { fn: str, error: errorCode }, ['fn', 'error']),
  event('tls.platform.ok'),
  event('tls.peer_certificate', {
    index: int, subject: nullable(str), issuer: nullable(str), serial: nullable(str), notBefore: nullable(str), notAfter: nullable(str),
    signedUsing: nullable(str), keySize: nullable(str), truncated: { type: 'boolean' },
  }, ['index', 'subject', 'issuer', 'serial', 'notBefore', 'notAfter', 'signedUsing', 'keySize', 'truncated']),
  event('tls.verify_flags', { flags: int, names: { type: 'array', items: str } }, ['flags', 'names']),
  event('tls.hexdump', { name: str, length: int, truncated: { type: 'boolean' } }, ['name', 'length', 'truncated']),
  event('tls.mbedtls_version', { version: { enum: ['2.28', '3.6'] }, evidence: str }, ['version', 'evidence']),
  event('tls.anomaly', { message: str, skipped: { type: 'array', items: str } }, ['message']),
  event('tls.handshake.result', { handshake }, ['handshake']),
];

const sessionEvents = [
  event('finding', { finding }, ['finding']),
  event('serial.disconnected', { detail: str }),
  event('serial.reconnected'),
  event('serial.status', { detail: str }),
  event('tx', { text: str }, ['text']),
  event('record.stopped', { path: str, detail: str }, ['path', 'detail']),
  event('secret.redacted', { secret: { enum: ['private-key', 'session-secret', 'credential'] } }, ['secret']),
];

const bool = { type: 'boolean' };
const arrayOf = (items: object) => ({ type: 'array', items });
/** A cy_rslt / library error as the MQTT and Wi-Fi lines print it. */
const moduleError = nullable({ type: 'object', required: ['code', 'hex', 'module', 'name'], properties: { code: num, hex: str, module: nullable(str), name: nullable(str) } });
const mqttStatus = nullable({ type: 'object', required: ['name', 'code'], properties: { name: str, code: nullable(num) } });
const scope = { enum: ['app', 'library'] };

const psaEvents = [
  event('psa.call', { fn: str, status: num, name: nullable(str), meaning: nullable(str), keyId: nullable(num) }, ['fn', 'status', 'name', 'meaning']),
  event('psa.key', { id: nullable(num), type: nullable(str), bits: nullable(num), alg: nullable(str), usage: nullable(arrayOf(str)), lifetime: { enum: [null, 'persistent', 'volatile'] }, status: nullable(num), statusName: nullable(str), source: { enum: ['hsmon', 'log'] } }, ['id', 'type', 'bits', 'alg', 'usage', 'lifetime', 'status', 'statusName', 'source']),
  event('psa.step', { name: str, fn: nullable(str), status: nullable(num), statusName: nullable(str), source: { enum: ['hsmon', 'mbedtls'] } }, ['name', 'fn', 'status', 'statusName', 'source']),
  event('psa.pubkey', { id: nullable(num), point: str, source: { enum: ['hsmon', 'log'] } }, ['id', 'point', 'source']),
];

const deviceEvents = [
  event('device.prefix_guessed', { prefix: str, lines: int, example: str }, ['prefix', 'lines', 'example']),
  event('device.clock', { iso: str, source: { enum: ['hsmon', 'mbedtls'] } }, ['iso', 'source']),
  event('device.diagnostic', { what: str, numbers: arrayOf(num), text: nullable(str) }, ['what', 'numbers', 'text']),
  event('cert.pem', { label: str, body: str, complete: bool, secret: bool, startLine: num, endLine: num, reason: { enum: ['truncated', 'corrupt', 'too-large', 'label-mismatch'] }, detail: str }, ['label', 'body', 'complete', 'secret', 'startLine', 'endLine']),
  event('app.boot', { banner: str }, ['banner']),
];

const mqttEvents = [
  event('mqtt.init', { ok: bool, text: str }, ['ok', 'text']),
  event('mqtt.connecting', { clientId: nullable(str), host: nullable(str) }, ['clientId', 'host']),
  event('mqtt.tls.connecting', { host: str, port: nullable(num) }, ['host', 'port']),
  event('mqtt.tls.connected'),
  event('mqtt.tls.failed', { error: moduleError }, ['error']),
  event('mqtt.connected', { scope, sessionResumed: nullable(bool) }, ['scope', 'sessionResumed']),
  event('mqtt.failed', { scope, stage: { enum: [null, 'network', 'tls', 'mqtt'] }, error: moduleError, status: mqttStatus, text: str }, ['scope', 'stage', 'error', 'status', 'text']),
  event('mqtt.retry', { scope, delayMs: nullable(num), retriesLeft: nullable(num) }, ['scope', 'delayMs', 'retriesLeft']),
  event('mqtt.exhausted', { minutes: nullable(num) }, ['minutes']),
  event('mqtt.subscribe.sent', { topic: str }, ['topic']),
  event('mqtt.subscribed', { topic: str }, ['topic']),
  event('mqtt.subscribe.failed', { error: moduleError, status: mqttStatus, retries: nullable(num) }, ['error', 'status', 'retries']),
  event('mqtt.publish.sent', { topic: str, packetId: nullable(num) }, ['topic', 'packetId']),
  event('mqtt.publish.failed', { error: moduleError, status: mqttStatus }, ['error', 'status']),
  event('mqtt.ack', { packet: { enum: ['PUBACK', 'PUBREC'] }, packetId: nullable(num), status: mqttStatus }, ['packet', 'packetId', 'status']),
  // Both sides: the device's log lines and what hsmon's own broker client received.
  event('mqtt.message', { source: { enum: ['device', 'broker'] }, direction: { enum: [null, 'in', 'out'] }, topic: str, qos: nullable(num), payload: str, retain: bool }, ['source', 'direction', 'topic', 'qos', 'payload']),
  event('mqtt.payload.invalid'),
  event('mqtt.disconnected', { reason: { enum: ['broker-lost', 'keepalive-timeout', 'network-down', 'closed'] }, text: str }, ['reason', 'text']),
  event('mqtt.reconnecting'),
  event('mqtt.error', { context: str, status: mqttStatus, error: moduleError }, ['context', 'status', 'error']),
  event('broker.status', { state: { enum: ['connecting', 'connected', 'reconnecting', 'offline', 'error'] }, detail: nullable(str) }, ['state', 'detail']),
];

const wifiEvents = [
  event('wifi.init', { ok: bool }, ['ok']),
  event('wifi.connecting', { ssid: str }, ['ssid']),
  event('wifi.connected', { ssid: str }, ['ssid']),
  event('wifi.ip', { version: { enum: [4, 6] }, address: str }, ['version', 'address']),
  event('wifi.failed', { error: moduleError, retryInMs: nullable(num), retriesLeft: nullable(num) }, ['error', 'retryInMs', 'retriesLeft']),
  event('wifi.exhausted'),
  event('wifi.disconnected', { expected: bool }, ['expected']),
  event('wifi.reconnecting'),
];

/**
 * One schema per `kind` of the NDJSON union (src/contracts/events.ts), the summary included.
 * test/output/schema-kinds.test.ts reads that union with the TypeScript compiler and fails
 * naming each kind (and required field) present on one side only.
 */
export const LINE_SCHEMAS: readonly { properties: { kind: { const: string } }; required: string[] }[] = [
  summary, ...tlsEvents, ...sessionEvents, ...psaEvents, ...deviceEvents, ...mqttEvents, ...wifiEvents,
];

/** `hsmon findings --json` and `hsmon explain CODE --json`: the finding catalog (src/diagnosis/catalog.ts). */
const catalogEntryProps = {
  code: { type: 'string', pattern: '^[a-z0-9-]+$' },
  severity: { enum: ['error', 'warning', 'info'] },
  family: str,
  title: str,
  meaning: str,
  evidence: str,
  fix: str,
};
const catalogEntryRequired = Object.keys(catalogEntryProps);
const catalog = [
  {
    type: 'object',
    required: ['kind', 'schema', 'findings', 'aliases'],
    properties: {
      kind: { const: 'catalog' },
      schema: { const: SCHEMA_ID },
      findings: { type: 'array', items: { type: 'object', required: catalogEntryRequired, properties: catalogEntryProps } },
      aliases: { type: 'object', additionalProperties: str },
    },
  },
  { type: 'object', required: ['kind', ...catalogEntryRequired], properties: { kind: { const: 'catalog.entry' }, ...catalogEntryProps } },
];

export function ndjsonSchema() {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://github.com/hsmon/hsmon/schema/${SCHEMA_ID}.json`,
    title: `hsmon NDJSON line (${SCHEMA_ID})`,
    description:
      'Every line of `hsmon … --json` output is one of these objects. `kind` names the event; `t` is ms since the session started; `line` is the 0-based seq of the source line the fact came from. The last line is the summary. `hsmon findings --json` and `hsmon explain CODE --json` print the finding catalog (kind `catalog`, `catalog.entry`).',
    // The catalog objects are not session events: they stay out of LINE_SCHEMAS (the NdjsonLine union).
    oneOf: [...LINE_SCHEMAS, ...catalog],
  };
}
