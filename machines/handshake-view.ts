/**
 * What the handshake machine knows about one attempt: the summary fields of DESIGN.md plus
 * the detail the panes and the diagnosis read. Lives beside the machine (machines/ may not
 * import src/); src/session/types.ts re-exports it.
 */
import type { Alert, ErrorCode } from '../parsers/events.ts';

export type Outcome = 'ok' | 'failed' | 'incomplete';

export interface RecordCounts {
  in: { count: number; maxLength: number };
  out: { count: number; maxLength: number };
}

/** The facts of one attempt, as the machine keeps them. */
export interface HandshakeFacts {
  index: number;
  connection: string | null;
  outcome: Outcome;
  tlsVersion: '1.2' | '1.3' | null;
  ciphersuite: string | null;
  states: string[];
  /** The step the client was in when it failed (`client state:`), or HANDSHAKE_OVER after it. */
  failedAt: string | null;
  /**
   * mbedTLS's own state at the failure when a `handshake state: a -> b` line inside the failing
   * step had already moved it (reading a NewSessionTicket inside SERVER_CHANGE_CIPHER_SPEC);
   * null when the log does not say or it is the step itself.
   */
  failedIn: string | null;
  /** Why an outcome was inferred from other evidence (closing lines lost); null when the log says it. */
  inferred: string | null;
  error: Pick<ErrorCode, 'code' | 'hex' | 'name'> | null;
  alert: Alert | null;
  maxFragmentLength: number | null;
  records: RecordCounts;
  fragmentedMessages: { type: number; length: number; fragments: number }[];
  peerCertificates: { subject: string | null; issuer: string | null }[];
  stateDurationsMs: Record<string, number>;
  /** Records in and out per step (summed over the step's runs). */
  recordsByState: Record<string, { in: number; out: number }>;
  /** Facts the log cannot show at its debug level, each with what would show them. */
  unknown: UnknownFact[];
  /** Steps the mbedTLS client graph does not allow, unknown states, cut hex dumps. */
  anomalies: Anomaly[];
  startLine: number;
  endLine: number | null;
}

/**
 * One attempt in the summary contract (hsmon/v1): the facts, with `records` null when the log's
 * debug level prints no record lines (`unknown` says why).
 */
export type HandshakeSummary = Omit<HandshakeFacts, 'records'> & { records: RecordCounts | null };

export interface UnknownFact {
  field: 'records' | 'maxFragmentLength' | 'fragmentedMessages' | 'peerCertificates' | 'ciphersuite';
  reason: string;
}

export interface Anomaly {
  message: string;
  line: number;
  /** For a step the graph does not allow: the steps between, on the shortest allowed path. */
  skipped?: string[];
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
  /** The step (last `client state:`) the record went through in. */
  state: string | null;
  /** Handshake messages in the record (`Certificate`), when the log names them. */
  messages?: string[];
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
export interface HandshakeView extends HandshakeFacts {
  /** The step the client is in now (null before the first `client state:` line). */
  current: string | null;
  /** mbedTLS's state as the last `handshake state:` line inside the current step set it. */
  inState: string | null;
  /** The chart region of the current step (which graph it is in); null before the first step. */
  region: 'hello' | 'tls12' | 'tls13' | null;
  visits: StateVisit[];
  /** Bounded: the most recent records of this handshake. */
  recordList: RecordView[];
  messages: HandshakeMessageView[];
  offeredCiphersuites: { id: number; name: string }[];
  /** max_fragment_length offered in the ClientHello (bytes), null when not offered. */
  mflOffered: number | null;
  verifyFlags: { flags: number; names: string[]; line: number } | null;
  errors: { fn: string; error: ErrorCode; line: number; state: string | null }[];
  mbedtlsVersion: '2.28' | '3.6' | null;
  startT: number;
  endT: number | null;
  /** Entries the capped lists above left out (summary `dropped.handshakeItems`). */
  dropped: number;
}
