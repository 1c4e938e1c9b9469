/**
 * What the handshake machine knows about one attempt: the summary fields of DESIGN.md plus
 * the detail the panes and the diagnosis read. Lives beside the machine (machines/ may not
 * import src/); src/session/types.ts re-exports it.
 */
import type { Alert, ErrorCode } from '../parsers/events.ts';

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
