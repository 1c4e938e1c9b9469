/**
 * JSON Schema (draft 2020-12) of every NDJSON line hsmon prints, versioned `hsmon/v1`.
 * `hsmon schema` prints it; test/output/schema.test.ts validates real output against it.
 */
import { SCHEMA_ID } from '../session/types.ts';

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
  required: ['index', 'connection', 'outcome', 'tlsVersion', 'ciphersuite', 'states', 'failedAt', 'error', 'alert',
    'maxFragmentLength', 'records', 'fragmentedMessages', 'peerCertificates', 'stateDurationsMs', 'startLine', 'endLine'],
  properties: {
    index: int,
    connection: nullable(str),
    outcome: { enum: ['ok', 'failed', 'incomplete'] },
    tlsVersion: { enum: ['1.2', '1.3', null] },
    ciphersuite: nullable(str),
    states: { type: 'array', items: str },
    failedAt: nullable(str),
    error: nullable(errorCode),
    alert: nullable(alert),
    maxFragmentLength: nullable(int),
    records: {
      type: 'object',
      required: ['in', 'out'],
      properties: Object.fromEntries(['in', 'out'].map((d) => [d, { type: 'object', required: ['count', 'maxLength'], properties: { count: int, maxLength: int } }])),
    },
    fragmentedMessages: { type: 'array', items: { type: 'object', required: ['type', 'length', 'fragments'], properties: { type: int, length: int, fragments: int } } },
    peerCertificates: { type: 'array', items: { type: 'object', required: ['subject', 'issuer'], properties: { subject: nullable(str), issuer: nullable(str) } } },
    stateDurationsMs: { type: 'object', additionalProperties: num },
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
  event('tls.state', { state: str, number: nullable(int), from: nullable(str) }, ['state']),
  event('tls.record', { direction: { enum: ['in', 'out'] }, contentType: int, version: str, length: int }, ['direction', 'contentType', 'length']),
  event('tls.hsmsg', { msglen: int, type: int, hslen: int, fragment: { enum: ['sole', 'initial', 'subsequent'] } }, ['msglen', 'type', 'hslen', 'fragment']),
  event('tls.ciphersuite.offered', { id: int, name: str }, ['id', 'name']),
  event('tls.ciphersuite.chosen', { id: nullable(int), name: nullable(str) }),
  event('tls.version', { version: { enum: ['1.2', '1.3'] } }, ['version']),
  event('tls.mfl', { stage: { enum: ['offered', 'negotiated'] }, bytes: nullable(int) }, ['stage']),
  event('tls.record_size_limit', { stage: { enum: ['offered', 'negotiated'] }, bytes: nullable(int) }, ['stage']),
  { ...event('tls.alert', alert.properties, alert.required) },
  event('tls.error', { fn: str, error: errorCode }, ['fn', 'error']),
  event('tls.platform.failed', { fn: str, error: errorCode }, ['error']),
  event('tls.platform.ok'),
  event('tls.peer_certificate', { index: int, subject: nullable(str), issuer: nullable(str), truncated: { type: 'boolean' } }, ['subject', 'issuer']),
  event('tls.verify_flags', { flags: int, names: { type: 'array', items: str } }, ['flags', 'names']),
  event('tls.hexdump', { name: str, length: int, truncated: { type: 'boolean' } }, ['name', 'length', 'truncated']),
  event('tls.mbedtls_version', { version: { enum: ['2.28', '3.6'] }, evidence: str }, ['version']),
  event('tls.anomaly', { message: str }, ['message']),
  event('tls.handshake.result', { handshake }, ['handshake']),
];

const sessionEvents = [
  event('finding', { finding }, ['finding']),
  event('serial.disconnected', { detail: str }),
  event('serial.reconnected'),
  event('serial.status', { detail: str }),
  event('tx', { text: str }, ['text']),
  event('secret.redacted', { secret: { enum: ['private-key', 'session-secret', 'credential'] } }, ['secret']),
];

/** Families whose events carry their own fields; every line still has kind, t and line. */
const otherFamilies = {
  type: 'object',
  required: ['kind', 't', 'line'],
  properties: {
    kind: { type: 'string', pattern: '^(psa|cert|key|mqtt|wifi|app|broker|device)\\.' },
    t: num,
    line: nullable(int),
  },
};

export function ndjsonSchema() {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://github.com/hsmon/hsmon/schema/${SCHEMA_ID}.json`,
    title: `hsmon NDJSON line (${SCHEMA_ID})`,
    description:
      'Every line of `hsmon … --json` output is one of these objects. `kind` names the event; `t` is ms since the session started; `line` is the 0-based seq of the source line the fact came from. The last line is the summary.',
    oneOf: [summary, ...tlsEvents, ...sessionEvents, otherFamilies],
  };
}
