/**
 * The summary contract of DESIGN.md (`summarize --json`, the last line of `--json`) and the
 * finding it carries. A leaf: session, certs, mqtt, diagnosis and output all import these
 * types from here, and this module imports nothing of theirs, so no folder imports its importer.
 */
import type { HandshakeSummary } from '../../machines/handshake-view.ts';

export type { HandshakeSummary } from '../../machines/handshake-view.ts';

export const SCHEMA_ID = 'hsmon/v1';

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
  /** Days until notAfter on the clock named by `clock` (the device's when it printed one). */
  daysLeft?: number;
  expired?: boolean;
  notYetValid?: boolean;
  clock?: 'device' | 'host';
  /** CSRs: the request's signature verifies with its own key. */
  signatureValid?: boolean;
  /** This certificate's public key against each CSR and each key the device exported. */
  keyMatch?: { with: 'csr' | 'device-key'; line: number; result: 'match' | 'mismatch'; reason: string }[];
  /** What cloud brokers make of it (key type, self-signed…). */
  hints?: { broker: string; severity: 'info' | 'warning' | 'error'; message: string }[];
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
  /**
   * Present when a bounded store left something out: how many of each (keys, psaCalls,
   * certificates, mqttMessages, mqttSubscriptions, handshakes, handshakeItems, findings, anomalies,
   * prefixes).
   * Only the non-zero counts are listed.
   */
  dropped?: Record<string, number>;
}
