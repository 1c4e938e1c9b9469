/**
 * The store's view model and the summary contract of DESIGN.md. Views (TUI, NDJSON, text
 * summary) read these and compute no protocol facts of their own.
 */
import type { HandshakeSummary, HandshakeView } from '../../machines/handshake-view.ts';
import type { MqttEntry } from '../mqtt/history.ts';
import type { HandshakeDisplay } from './handshake-display.ts';

export type { HandshakeDisplay, Rung, RungMark, RecordDisplay } from './handshake-display.ts';

export type { HandshakeSummary, HandshakeView, Outcome, StateVisit, RecordView, HandshakeMessageView } from '../../machines/handshake-view.ts';

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
}


export type ConnectionStatus =
  | { state: 'connecting' | 'open' | 'reconnecting' | 'closed' | 'ended' | 'error'; detail?: string };

export interface SourceInfo {
  /** `serial` (with port and baud), `file` (a replay), `sim` (built-in simulator), `stdin`. */
  type: 'serial' | 'file' | 'sim' | 'stdin';
  name: string;
  baud?: number;
  recordingPath?: string | null;
}

export interface LogLineView {
  seq: number;
  t: number;
  text: string;
  /** rx: from the device; tx: what hsmon sent; note: hsmon's own marks (reconnects, user marks). */
  dir: 'rx' | 'tx' | 'note';
  /** A profile and a family parser recognised something on this line. */
  parsed: boolean;
  truncated?: boolean;
  /** tx and note lines are numbered on their own (1, 2, …): they are not device lines. */
  n?: number;
}

export interface PsaCallView {
  fn: string;
  status: number;
  name: string | null;
  line: number;
  t: number;
}

/** What the UI renders; the store emits a new one (immutable) on change. */
export interface Snapshot {
  source: SourceInfo;
  status: ConnectionStatus;
  lines: number;
  unmatchedLines: number;
  /** Bounded ring of the most recent raw lines. */
  log: LogLineView[];
  handshakes: HandshakeView[];
  /** What the panes show of each handshake (parallel to `handshakes`): ladder, limits, failure words. */
  handshakeDisplay?: HandshakeDisplay[];
  certificates: CertificateSummary[];
  keys: KeySummary[];
  psaCalls: PsaCallView[];
  mqtt: MqttSummary & {
    /** The broker connection (`--broker`) in words, null without one. */
    brokerStatus?: string | null;
    /** Bounded history of both sides with correlation links, oldest first. */
    entries?: MqttEntry[];
  };
  /** The device's life in one line (boot → Wi-Fi → TLS → MQTT, retries and backoff). */
  device?: string;
  findings: Finding[];
  /** Replay position: time of the last line delivered, and the total when known. */
  replay?: { t: number; total: number | null; speed: number | 'max'; paused: boolean };
}
