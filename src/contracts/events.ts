/**
 * Every NDJSON line hsmon prints (`--json`): the parsers' device events, what the session adds
 * (handshake results, findings, port and broker changes, bytes sent, secrets hidden), and the
 * summary as the last line. `hsmon schema` (src/output/schema.ts) must describe exactly these
 * kinds: test/output/schema-kinds.test.ts reads this union with the TypeScript compiler and
 * names any kind that is missing on either side.
 */
import type { DeviceEvent } from '../../parsers/events.ts';
import type { HandshakeSummary } from '../../machines/handshake-view.ts';
import type { BrokerState } from './snapshot.ts';
import type { Finding, Summary } from './summary.ts';

export type SessionEvent =
  | DeviceEvent
  | { kind: 'tls.handshake.result'; t: number; line: number; handshake: HandshakeSummary }
  | { kind: 'finding'; t: number; line: number; finding: Finding }
  | { kind: 'serial.disconnected' | 'serial.reconnected' | 'serial.status'; t: number; line: number | null; detail?: string }
  | { kind: 'tx'; t: number; line: number; text: string }
  /** The recording failed (disk full, I/O error) and stopped; the session went on without it. */
  | { kind: 'record.stopped'; t: number; line: number | null; path: string; detail: string }
  | { kind: 'secret.redacted'; t: number; line: number; secret: 'private-key' | 'session-secret' }
  /** hsmon's own broker client changed state (`--broker`, the demo). */
  | { kind: 'broker.status'; t: number; line: null; state: BrokerState; detail: string | null };

/** One line of `--json` output. With a capture (`--pcapng`, `hsmon export`) a record names its packet. */
export type NdjsonLine = SessionEvent | (Extract<SessionEvent, { kind: 'tls.record' }> & { packet?: number }) | Summary;
