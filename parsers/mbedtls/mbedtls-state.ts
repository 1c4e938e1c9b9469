import type { MbedtlsVersion } from '../tables/errors.ts';
import type { PeerBlock } from './peer-certificate.ts';

/** Where and when a fact that spans lines began: the event is emitted once it is complete. */
export interface Pending {
  t: number;
  line: number;
  ctx: string | null;
}

/**
 * The state of one MbedtlsParser, as the line handlers of this folder see it. The fields live on
 * the parser itself (one object, one hidden class on the hot path); this interface only lets
 * the handlers, which are plain functions, read and write them.
 */
export interface MbedtlsState {
  version: MbedtlsVersion | null;
  readonly fixedVersion: boolean;
  /** The source file of the last line looked at for version evidence. */
  lastFile: string | undefined;
  // The line being fed; the event base object is only built when an event is.
  curT: number;
  curSeq: number;
  curCtx: string | null;

  // The TLS version and the chosen suite are reported once per handshake.
  tlsVersionSent: boolean;
  chosenSent: boolean;
  /** A `found max_fragment_length extension` waits for the size the program prints. */
  mflNegotiated: boolean;
  peer: PeerBlock | null;
  /** A TLS 1.2 chosen-ciphersuite id waiting for the name on the next line. */
  chosenId: (Pending & { id: number }) | null;
  /** The description of the last `got an alert message`, so the fatal-alert line is not a second alert. */
  receivedAlert: number | null;
  /** The handshake message being reassembled from records (see handshake-lines.ts). */
  reassembly: { type: number; hslen: number; have: number } | null;
  mflOffer: (Pending & { bytes: number[] | null }) | null;
  /** True while the rows of the ClientHello extensions dump are read. */
  collectingExtensions: boolean;
}
