/**
 * A Wireshark capture rebuilt from a device's debug-4 output: every TLS record the log dumped
 * (`output record sent to network`, `input record from network`) becomes one TCP segment, and
 * the secrets it dumped become a Decryption Secrets Block (NSS key log) placed before the
 * packets they decrypt, so `tshark -r FILE` decrypts with no options.
 *
 * Pure: bytes in (`push`), pcapng bytes out (`take`). It frames the device's bytes itself, like
 * the recorder does, rather than listening to the session: the key log needs the secrets the
 * session redacts, and the session never holds them. Line numbers match the session's (same
 * framer, same bytes), so `packetOf(line)` names the packet of a `tls.record` event.
 *
 * TCP (tcp-streams.ts): one stream per TLS context and handshake attempt, opened at its
 * `=> handshake` line (a new one at each `=> handshake` after records), to the server the log
 * names (`Connecting to tcp/HOST/PORT`; port 8883 when none is printed).
 *
 * Wireshark looks a TLS 1.3 secret up when it reaches the message that switches keys (the
 * ServerHello, the server's Finished), and does not look again; mbedTLS prints the secret just
 * after it has read that message. So while the keys of a stream are still to come, its
 * packets are held back (and every packet after them, to keep the numbering) and the secrets
 * are placed before them: until the key log of the context is complete (the TLS 1.2
 * CLIENT_RANDOM, or both TLS 1.3 application secrets), the handshake ends (`<= handshake`,
 * another `=> handshake`), 256 packets are waiting, or the input ends.
 *
 * A record longer than the 4096 bytes mbedTLS dumps is zero-filled to the length its header
 * gives, with a packet comment; its MAC cannot verify, so Wireshark needs
 * `-o tls.ignore_ssl_mac_failed:TRUE` to decrypt past it (see `truncated`).
 */
import type { Line } from '../../parsers/events.ts';
import { LineFramer } from '../../parsers/frame.ts';
import { ProfileMatcher } from '../../parsers/profiles/index.ts';
import { captureLine, type CaptureLine } from '../../parsers/mbedtls/capture-lines.ts';
import { HexDumpBytes, type DumpBytes } from '../../parsers/mbedtls/hex-dump-bytes.ts';
import { KeyLog, isKeyLogDump } from './keylog.ts';
import { LINKTYPE_ETHERNET, decryptionSecrets, enhancedPacket, interfaceDescription, sectionHeader } from './pcapng.ts';
import { MAX_TCP_PAYLOAD } from './tcp-frame.ts';
import { DEFAULT_PORT, TcpStreams } from './tcp-streams.ts';

const OUT_RECORD = 'output record sent to network';
const IN_RECORD = 'input record from network';

export interface CaptureOptions {
  /** ms since 1970 at the session's t = 0 (a recording's start; a plain log's file time). */
  startMs: number;
  /** Build packets (false: only the key log, e.g. from a debug-3 log). */
  packets: boolean;
  /** Collect secrets: the key log and the Decryption Secrets Blocks. */
  keys: boolean;
  profiles?: ConstructorParameters<typeof ProfileMatcher>[0];
  maxLineBytes?: number;
  /** The application named in the section header. */
  application?: string;
}

type RecordHeader = NonNullable<Extract<CaptureLine, { kind: 'record' }>['header']>;

function sameHeader(a: RecordHeader | null, b: RecordHeader | null): boolean {
  return a !== null && b !== null && a.type === b.type && a.length === b.length && a.major === b.major && a.minor === b.minor;
}

/** A record whose dump stopped at 4096 bytes. */
export interface TruncatedRecord {
  packet: number;
  line: number;
  length: number;
  dumped: number;
}

/** Packets held back at most while the keys of a stream are awaited. */
const HOLD_LIMIT = 256;
/** Record lines whose packet number is remembered (the most recent). */
const PACKETS_KEPT = 100_000;

export class CaptureStage {
  readonly keylog = new KeyLog();
  /** Packets written so far (EPBs; the next packet's number is this + 1). */
  packets = 0;
  /** Records written (the rest of the packets are the TCP handshakes). */
  records = 0;
  /** Records cut at 4096 bytes: how many, and the first 100 of them. */
  truncatedCount = 0;
  readonly truncated: TruncatedRecord[] = [];
  /** Records with rows of their dump, or the whole dump, missing (zero-filled like truncated ones). */
  damaged = 0;
  private readonly framer: LineFramer;
  private readonly profiles: ProfileMatcher;
  private readonly dumps: HexDumpBytes;
  private readonly blocks: Uint8Array[] = [];
  private keylogTaken = 0;
  private readonly tcp = new TcpStreams();
  /** Contexts whose stream has carried records (the next `=> handshake` starts a new one). */
  private readonly used = new Set<string>();
  /** Contexts whose next record opens a new stream, with the time of their `=> handshake`. */
  private readonly opening = new Map<string, number>();
  /** The record line not yet matched with its dump, per context and direction. */
  private readonly recordLines = new Map<string, { seqs: number[]; t: number; header: RecordHeader | null }>();
  /** The same lines, for isPending. */
  private readonly pending = new Set<number>();
  private readonly packetByLine = new Map<number, number>();
  /** Index in `blocks` of the first packet held back, and the contexts whose keys it waits for. */
  private holdAt: number | null = null;
  private readonly awaiting = new Set<string>();
  private readonly labels = new Map<string, Set<string>>();
  private lastMicros = 0n;

  constructor(private readonly opts: CaptureOptions) {
    this.framer = new LineFramer(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {});
    this.profiles = new ProfileMatcher(opts.profiles);
    this.dumps = new HexDumpBytes((name) =>
      (opts.packets && (name === OUT_RECORD || name === IN_RECORD)) || (opts.keys && isKeyLogDump(name)));
    if (opts.packets) {
      this.blocks.push(sectionHeader(opts.application ?? 'hsmon'), interfaceDescription(LINKTYPE_ETHERNET));
    }
  }

  push(chunk: Uint8Array, t: number): void {
    for (const line of this.framer.push(chunk, t)) this.line(line);
  }

  /** End of input: the partial line, and dumps cut short by it. */
  flush(t: number): void {
    for (const line of this.framer.flush(t)) this.line(line);
    for (const d of this.dumps.flush()) this.dump(d);
    this.pending.clear();
    this.release();
  }

  /** The pcapng bytes made since the last call (the whole file, taken piece by piece). */
  take(): Uint8Array {
    const upTo = this.holdAt ?? this.blocks.length;
    const taken = this.blocks.splice(0, upTo);
    if (this.holdAt !== null) this.holdAt = 0;
    const out = new Uint8Array(taken.reduce((s, b) => s + b.length, 0));
    let o = 0;
    for (const b of taken) {
      out.set(b, o);
      o += b.length;
    }
    return out;
  }

  /** Key log lines made since the last call. */
  takeKeylog(): string[] {
    const lines = this.keylog.lines.slice(this.keylogTaken);
    this.keylogTaken = this.keylog.lines.length;
    return lines;
  }

  /** The packet number (1-based, as Wireshark counts) of the record announced on `line`. */
  packetOf(line: number): number | undefined {
    return this.packetByLine.get(line);
  }

  /** A record was announced on `line` and its dump may still come: its packet is not known yet. */
  isPending(line: number): boolean {
    return this.pending.has(line);
  }

  private line(line: Line): void {
    for (const seg of this.profiles.split(line.text)) {
      for (const d of this.dumps.feed(seg, line)) this.dump(d);
      const c = captureLine(seg.body);
      if (c === null) continue;
      const key = seg.ctx ?? '';
      if (c.kind === 'server') this.tcp.server = { host: c.host, port: c.port ?? DEFAULT_PORT };
      else if (c.kind === 'error') this.giveUp(key);
      else if (c.kind === 'handshake.end') {
        this.giveUp(key);
        this.release();
      } else if (c.kind === 'handshake') {
        this.giveUp(key);
        this.release();
        if (this.used.delete(key)) this.tcp.close(key);
        this.opening.set(key, line.t);
      } else if (c.kind === 'record.end') {
        this.undumped(key, c.direction);
      } else {
        const k = `${key}\n${c.direction}`;
        const waiting = this.recordLines.get(k);
        if (waiting !== undefined && sameHeader(waiting.header, c.header)) {
          // The same record announced again: mbedTLS parses the header anew each time a
          // non-blocking read returns WANT_READ before the whole record has arrived.
          waiting.seqs.push(line.seq);
        } else {
          // Another record while one was waiting without its end line: that one is given up.
          for (const seq of waiting?.seqs ?? []) this.pending.delete(seq);
          this.recordLines.set(k, { seqs: [line.seq], t: line.t, header: c.header });
        }
        if (this.opts.packets) this.pending.add(line.seq);
      }
    }
  }

  private dump(d: DumpBytes): void {
    if (this.opts.packets && (d.name === OUT_RECORD || d.name === IN_RECORD)) this.record(d);
    if (!this.opts.keys) return;
    const lines = this.keylog.dump(d);
    if (lines.length > 0) this.secrets(d.ctx ?? '', lines);
  }

  private secrets(key: string, lines: string[]): void {
    if (!this.opts.packets) return;
    const dsb = decryptionSecrets(lines.map((l) => `${l}\n`).join(''));
    if (this.holdAt === null) this.blocks.push(dsb);
    else this.blocks.splice(this.holdAt++, 0, dsb);
    const seen = this.labels.get(key) ?? new Set<string>();
    for (const l of lines) seen.add(l.slice(0, l.indexOf(' ')));
    this.labels.set(key, seen);
    if (seen.has('CLIENT_RANDOM') || (seen.has('CLIENT_TRAFFIC_SECRET_0') && seen.has('SERVER_TRAFFIC_SECRET_0'))) {
      this.awaiting.delete(key);
      if (this.awaiting.size === 0) this.release();
    }
  }

  /** Hold back this context's packets (and all after them) until its keys are known. */
  private hold(key: string): void {
    if (!this.opts.keys) return;
    this.labels.delete(key);
    this.awaiting.add(key);
    this.holdAt ??= this.blocks.length;
  }

  private release(): void {
    this.awaiting.clear();
    this.holdAt = null;
  }

  private record(d: DumpBytes): void {
    const out = d.name === OUT_RECORD;
    const key = d.ctx ?? '';
    let bytes = d.bytes;
    let comment: string | undefined;
    if (d.truncated || d.missing > 0) {
      // The header (when its rows came) gives the record's own length; else the dump's.
      const fromHeader = d.bytes.length >= 5 ? 5 + ((d.bytes[3]! << 8) | d.bytes[4]!) : 0;
      const length = Math.min(MAX_TCP_PAYLOAD, fromHeader > d.bytes.length ? fromHeader : d.length);
      bytes = new Uint8Array(length);
      bytes.set(d.bytes.subarray(0, Math.min(d.bytes.length, length)));
      const held = d.bytes.length - d.missing;
      comment = d.truncated
        ? `hsmon: the log's dump (line ${d.line}) held ${held} of this record's ${length} bytes (mbedTLS dumps at most 4096); the rest is zero-filled`
        : `hsmon: ${d.missing} bytes of this record's dump (line ${d.line}) were missing from the log; zero-filled`;
      if (!d.truncated) this.damaged++;
    }
    if (this.opts.keys && out) {
      const lines = this.keylog.clientHello(d.ctx, bytes);
      if (lines.length > 0) this.secrets(key, lines);
    }
    const recordLine = this.emit(key, out, bytes, d.t, comment);
    if (d.truncated) this.truncatedCount++;
    if (d.truncated && this.truncated.length < 100) this.truncated.push({ packet: this.packets, line: recordLine ?? d.line, length: bytes.length, dumped: d.bytes.length - d.missing });
  }

  /** Records announced on this context that will not be dumped now (an error, the handshake's end): no packet. */
  private giveUp(key: string): void {
    for (const dir of ['in', 'out']) {
      const k = `${key}\n${dir}`;
      for (const seq of this.recordLines.get(k)?.seqs ?? []) this.pending.delete(seq);
      this.recordLines.delete(k);
    }
  }

  /**
   * A record line whose dump never came (a row lost on the UART, or debug level 3). Once the
   * log has shown that it dumps records, the record still goes into the capture, zero-filled
   * behind the header the line gave, so TCP and TLS keep counting (`-o
   * tls.ignore_ssl_mac_failed:TRUE` decrypts past it like past a truncated one).
   */
  private undumped(key: string, direction: 'in' | 'out'): void {
    const r = this.recordLines.get(`${key}\n${direction}`);
    if (r === undefined) return;
    if (!this.opts.packets || this.records === 0 || r.header === null) {
      this.recordLines.delete(`${key}\n${direction}`);
      for (const seq of r.seqs) this.pending.delete(seq);
      return;
    }
    const h = r.header;
    const bytes = new Uint8Array(Math.min(MAX_TCP_PAYLOAD, 5 + h.length));
    bytes.set([h.type, h.major, h.minor, h.length >> 8, h.length & 0xff]);
    this.emit(key, direction === 'out', bytes, r.t, `hsmon: line ${r.seqs[0]} announced this record, but the log holds no dump of it; zero-filled behind its header`);
    this.damaged++;
  }

  /** One record as one TCP segment; returns the (first) record line it answers, now numbered. */
  private emit(key: string, out: boolean, bytes: Uint8Array, t: number, comment: string | undefined): number | undefined {
    if (!this.tcp.has(key)) this.openStream(key, t);
    this.used.add(key);
    const micros = this.micros(t);
    const frame = this.tcp.segment(key, out, bytes);
    this.packet(micros, frame, comment);
    this.records++;
    const k = `${key}\n${out ? 'out' : 'in'}`;
    const seqs = this.recordLines.get(k)?.seqs ?? [];
    this.recordLines.delete(k);
    for (const seq of seqs) {
      this.pending.delete(seq);
      this.packetByLine.set(seq, this.packets);
    }
    // Views look up recent records only; a monitor left running for days must not grow without bound.
    if (this.packetByLine.size > PACKETS_KEPT) this.packetByLine.delete(this.packetByLine.keys().next().value!);
    return seqs[0];
  }

  /** SYN, SYN-ACK, ACK at the context's `=> handshake` (or its first record); its packets wait for its keys. */
  private openStream(key: string, t: number): void {
    const at = this.opening.get(key) ?? t;
    this.opening.delete(key);
    this.hold(key);
    const { frames, comment } = this.tcp.open(key);
    frames.forEach((f, i) => this.packet(this.micros(at), f, i === 0 ? comment : undefined));
  }

  private packet(micros: bigint, frame: Uint8Array, comment?: string): void {
    this.blocks.push(enhancedPacket(micros, frame, comment));
    this.packets++;
    if (this.holdAt !== null && this.blocks.length - this.holdAt > HOLD_LIMIT) this.release();
  }

  /**
   * The packet time: the start plus the line's t. Kept strictly increasing by a microsecond
   * where lines share a time (a plain log has none: every line is at t = 0).
   */
  private micros(t: number): bigint {
    let us = BigInt(Math.round((this.opts.startMs + t) * 1000));
    if (us <= this.lastMicros) us = this.lastMicros + 1n;
    this.lastMicros = us;
    return us;
  }
}
