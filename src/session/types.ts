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

/** One state the handshake went through, with its timing (derived by machines/handshake). */
export interface StateVisit {
  state: string;
  enteredAt: number;
  /** null while the handshake is still in this state. */
  durationMs: number | null;
  line: number;
  recordsIn: number;
  recordsOut: number;
}

export interface RecordView {
  direction: 'in' | 'out';
  contentType: number;
  length: number;
  t: number;
  line: number;
  /** State the client was in when the record went through. */
  state: string | null;
}

export interface HandshakeMessageView {
  type: number;
  /** Full handshake message length (hslen). */
  length: number;
  /** Bytes of it seen per fragment (msglen of each). */
  fragments: number[];
  line: number;
}

/**
 * Everything the machine knows about one handshake attempt: the summary fields plus the
 * detail that the panes and the diagnosis rules read.
 */
export interface HandshakeView extends HandshakeSummary {
  /** The state the client is in now (null before the first state line). */
  current: string | null;
  visits: StateVisit[];
  /** Bounded: the most recent records of this handshake. */
  recordList: RecordView[];
  messages: HandshakeMessageView[];
  offeredCiphersuites: { id: number; name: string }[];
  /** max_fragment_length offered in the ClientHello (bytes), null when not offered. */
  mflOffered: number | null;
  verifyFlags: { flags: number; names: string[]; line: number } | null;
  errors: { fn: string; error: ErrorCode; line: number; state: string | null }[];
  /** Hex dumps cut at 4096 bytes by mbedTLS, and other things worth a note. */
  anomalies: { message: string; line: number }[];
  mbedtlsVersion: '2.28' | '3.6' | null;
  startT: number;
  endT: number | null;
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
  certificates: CertificateSummary[];
  keys: KeySummary[];
  psaCalls: PsaCallView[];
  mqtt: MqttSummary & { status?: string; lines?: string[] };
  findings: Finding[];
  /** Replay position: time of the last line delivered, and the total when known. */
  replay?: { t: number; total: number | null; speed: number | 'max'; paused: boolean };
}
