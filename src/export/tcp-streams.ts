/**
 * The TCP connections of a capture rebuilt from a log: one per TLS context and handshake
 * attempt, each opened with SYN, SYN-ACK, ACK, its sequence and acknowledgement numbers
 * counting the record bytes each way. Pure: it makes frames (tcp-frame.ts), the caller places
 * them. Addresses: the server the log names; `localhost` and IPv4 literals as they are, any
 * other name by 192.0.2.1 (TEST-NET-1, RFC 5737) with a comment naming it; the device is
 * 192.0.2.2 (127.0.0.1 beside a local server), its ports 50000 and up.
 */
import { TCP_ACK, TCP_PSH, TCP_SYN, tcpFrame } from './tcp-frame.ts';

/** MQTT over TLS: the port a broker listens on when the log names none. */
export const DEFAULT_PORT = 8883;

interface Stream {
  client: Uint8Array;
  server: Uint8Array;
  clientPort: number;
  serverPort: number;
  /** Next sequence number of each side. */
  cseq: number;
  sseq: number;
}

const CLIENT_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x02);
const SERVER_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x01);
const DEVICE = Uint8Array.of(192, 0, 2, 2);
const STAND_IN = Uint8Array.of(192, 0, 2, 1);
const LOOPBACK = Uint8Array.of(127, 0, 0, 1);

export class TcpStreams {
  /** The server for streams opened from now on (`Connecting to tcp/HOST/PORT`). */
  server: { host: string; port: number } = { host: '', port: DEFAULT_PORT };
  private readonly streams = new Map<string, Stream>();
  private count = 0;
  private ipId = 1;

  has(key: string): boolean {
    return this.streams.has(key);
  }

  /** The context's next record goes into a new stream (a new handshake attempt). */
  close(key: string): void {
    this.streams.delete(key);
  }

  /** Opens the context's stream: SYN, SYN-ACK, ACK, and a comment for the SYN when the server's address is made up. */
  open(key: string): { frames: Uint8Array[]; comment: string | undefined } {
    const index = this.count++;
    const host = this.server.host;
    const local = host === 'localhost' || host === '127.0.0.1';
    const literal = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
    const server = local ? LOOPBACK : literal && literal.slice(1).every((n) => Number(n) < 256) ? Uint8Array.from(literal.slice(1).map(Number)) : STAND_IN;
    const s: Stream = {
      client: local ? LOOPBACK : DEVICE, server, clientPort: 50000 + (index % 15000), serverPort: this.server.port,
      // Initial sequence numbers: fixed, distinct per stream, so two exports of a log are equal.
      cseq: (0x10000000 + index * 0x01000000) >>> 0, sseq: (0x80000000 + index * 0x01000000) >>> 0,
    };
    this.streams.set(key, s);
    const empty = new Uint8Array(0);
    const frames = [
      this.frame(s, true, s.cseq - 1, 0, TCP_SYN, empty),
      this.frame(s, false, s.sseq - 1, s.cseq, TCP_SYN | TCP_ACK, empty),
      this.frame(s, true, s.cseq, s.sseq, TCP_ACK, empty),
    ];
    const comment = server === STAND_IN ? `hsmon: the log names the server ${host || '(not printed)'}, not its address; 192.0.2.1 stands in` : undefined;
    return { frames, comment };
  }

  /** One record as one segment of the context's stream (open it first). */
  segment(key: string, fromClient: boolean, payload: Uint8Array): Uint8Array {
    const s = this.streams.get(key)!;
    const frame = fromClient ? this.frame(s, true, s.cseq, s.sseq, TCP_PSH | TCP_ACK, payload) : this.frame(s, false, s.sseq, s.cseq, TCP_PSH | TCP_ACK, payload);
    if (fromClient) s.cseq = (s.cseq + payload.length) >>> 0;
    else s.sseq = (s.sseq + payload.length) >>> 0;
    return frame;
  }

  private frame(s: Stream, fromClient: boolean, seq: number, ack: number, flags: number, payload: Uint8Array): Uint8Array {
    return fromClient
      ? tcpFrame({ srcMac: CLIENT_MAC, dstMac: SERVER_MAC, src: s.client, dst: s.server, srcPort: s.clientPort, dstPort: s.serverPort, seq, ack, flags, ipId: this.ipId++, payload })
      : tcpFrame({ srcMac: SERVER_MAC, dstMac: CLIENT_MAC, src: s.server, dst: s.client, srcPort: s.serverPort, dstPort: s.clientPort, seq, ack, flags, ipId: this.ipId++, payload });
  }
}
