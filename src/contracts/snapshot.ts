/**
 * The store's view model: what the session hands the views (TUI, NDJSON, text summary) and the
 * diagnosis. Views read these and compute no protocol facts of their own. A leaf like
 * summary.ts: it imports only the machines' view types.
 */
import type { HandshakeView } from '../../machines/handshake-view.ts';
import type { CertificateSummary, Finding, KeySummary, MqttSummary } from './summary.ts';

export type { HandshakeView, Outcome, StateVisit, RecordView, HandshakeMessageView } from '../../machines/handshake-view.ts';

export type BrokerState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'error';

/** hsmon's own MQTT client (src/io/broker.ts): its state and, when there is one, a sentence about it. */
export interface BrokerStatus {
  state: BrokerState;
  /** A whole sentence ("connected to broker at host:1883"), never holding credentials. */
  detail?: string;
}

export interface MqttLink {
  id: number;
  relation: 'published' | 'delivered';
  latencyMs: number;
}

export interface MqttEntry {
  /** Increasing from 1 across the session (survives eviction, so it identifies an entry). */
  id: number;
  t: number;
  /** seq of the device line; null for broker messages. */
  line: number | null;
  source: 'device' | 'broker';
  direction: 'in' | 'out' | null;
  topic: string;
  qos: number | null;
  retain: boolean;
  /** Text, or `hex:…` for a binary payload (see payloadString). */
  payload: string;
  binary: boolean;
  links: MqttLink[];
}

export type ConnectionStatus =
  | {
      state: 'connecting' | 'open' | 'reconnecting' | 'closed' | 'ended' | 'error';
      detail?: string;
      /** While reconnecting: when the port went away (ms since the session started). */
      since?: number;
    };

export interface SourceInfo {
  /** `serial` (with port and baud), `file` (a replay), `sim` (built-in simulator), `stdin`. */
  type: 'serial' | 'file' | 'sim' | 'stdin';
  name: string;
  baud?: number;
  recordingPath?: string | null;
  /** Why the recording stopped while the session went on (disk full, I/O error); absent while it runs. */
  recordingStopped?: string;
  /** A damaged .cast being replayed: the lines skipped or retimed, and where (as on stderr). */
  damage?: string;
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
  /**
   * What the panes show of handshake `index`: ladder, limits, failure words. A function: a long
   * replay holds hundreds of attempts and a frame shows one.
   */
  handshakeDisplay?: (index: number) => HandshakeDisplay;
  certificates: CertificateSummary[];
  keys: KeySummary[];
  psaCalls: PsaCallView[];
  mqtt: MqttSummary & {
    /** hsmon's own broker connection (`--broker`, the demo), null without one. */
    brokerStatus?: BrokerStatus | null;
    /** Bounded history of both sides with correlation links, oldest first. */
    entries?: MqttEntry[];
  };
  /** The device's life in one line (boot → Wi-Fi → TLS → MQTT, retries and backoff). */
  device?: string;
  findings: Finding[];
  /**
   * When the port was gone (ms since the session started; `to` null while it still is), the
   * newest 100: a state that spans one is not the device's time alone.
   */
  portGaps?: { from: number; to: number | null }[];
  /** Replay position: time of the last line delivered, and the total when known. */
  replay?: { t: number; total: number | null; speed: number | 'max'; paused: boolean };
  /**
   * With `--pcapng OUT`: the packet number (1-based, as Wireshark counts) of the record a
   * `tls.record` line announced (RecordView.line), once the capture has it.
   */
  capture?: { packetOf(line: number): number | undefined };
}

export type RungMark = 'done' | 'current' | 'failed' | 'not-reached';

/** One state of the Handshake pane's ladder. */
export interface Rung {
  state: string;
  mark: RungMark;
  /** Time in the state, without the time the port was gone (`portGoneMs`); null while in it or not reached. */
  durationMs: number | null;
  /** ms of this state during which the serial port was gone (Snapshot.portGaps): the device said nothing then. */
  portGoneMs: number;
  line: number | null;
  /** Index in the handshake's visits; null for a state it did not reach. */
  visit: number | null;
}

export interface RecordDisplay {
  /** `handshake`, `alert`, `application_data`, … */
  contentName: string;
  /** Longer than the fragment limit of its handshake. */
  overLimit: boolean;
}

/**
 * The protocol facts the panes show about one handshake, worked out by the session
 * (src/session/handshake-display.ts) so that views import no parsers/ or machines/ tables.
 */
export interface HandshakeDisplay {
  ladder: Rung[];
  /** Error name and code, the alert decoded, verify flags: one sentence each. */
  failure: string[];
  /** Bytes a record may carry: the negotiated max_fragment_length, else 2^14. */
  recordLimit: number;
  /** The limit in words (negotiated, offered and ignored, unknown, or none). */
  limitText: string;
  /** Parallel to recordList. */
  records: RecordDisplay[];
  /** `Certificate 2200 B in 2 fragments` per fragmented handshake message. */
  fragmented: string[];
}
