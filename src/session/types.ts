/**
 * The store's view model and the summary contract of DESIGN.md. Views (TUI, NDJSON, text
 * summary) read these and compute no protocol facts of their own.
 */
import type { Alert, ErrorCode } from '../../parsers/events.ts';

export const SCHEMA_ID = 'hsmon/v1';

export type Outcome = 'ok' | 'failed' | 'incomplete';

export interface HandshakeSummary {
  index: number;
  connection: string | null;
  outcome: Outcome;
  tlsVersion: '1.2' | '1.3' | null;
  ciphersuite: string | null;
  states: string[];
  failedAt: string | null;
  error: Pick<ErrorCode, 'code' | 'hex' | 'name'> | null;
  alert: Alert | null;
  maxFragmentLength: number | null;
  records: { in: { count: number; maxLength: number }; out: { count: number; maxLength: number } };
  fragmentedMessages: { type: number; length: number; fragments: number }[];
  peerCertificates: { subject: string | null; issuer: string | null }[];
  stateDurationsMs: Record<string, number>;
  startLine: number;
  endLine: number | null;
}

export interface CertificateSummary {
  source: 'pem' | 'handshake';
  kind?: 'certificate' | 'csr';
  subject: string;
  issuer: string;
  selfSigned: boolean;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  signatureAlgorithm: string;
  sha256: string;
  line: number;
  [extra: string]: unknown;
}

export interface KeySummary {
  id: number;
  type: string | null;
  bits: number | null;
  alg: string | null;
  lifetime: 'persistent' | 'volatile' | null;
  lastStatus: string | null;
}

export interface MqttMessageSummary {
  source: 'device' | 'broker';
  direction: 'in' | 'out' | null;
  topic: string;
  qos: number | null;
  payload: string;
  line: number | null;
}

export interface MqttSummary {
  connected: boolean;
  subscriptions: { topic: string }[];
  messages: MqttMessageSummary[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable code, e.g. `client-cert-rejected`. */
  code: string;
  severity: Severity;
  /** What happened, in the user's terms. */
  message: string;
  /** The concrete change to make (config macro, broker setting, key policy). */
  hint: string;
  /** The line that proves it (seq). */
  line: number;
  /** Further evidence lines. */
  lines?: number[];
  /** The handshake it concerns, when it concerns one. */
  handshake?: number;
}

export interface Summary {
  kind: 'summary';
  schema: typeof SCHEMA_ID;
  source: string;
  lines: number;
  handshakes: HandshakeSummary[];
  certificates: CertificateSummary[];
  keys: KeySummary[];
  mqtt: MqttSummary;
  findings: Finding[];
}
