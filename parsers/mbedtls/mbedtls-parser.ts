import { NO_EVENTS, type FamilyParser } from '../family.ts';
import type { DeviceEvent, Line, Prefixed } from '../events.ts';
import { decodeError, RETRY_CODES, type MbedtlsVersion } from '../tables/errors.ts';
import { isStateName, stateName, stateNumber } from '../tables/states.ts';
import { alertName } from '../tables/alerts.ts';
import { ciphersuiteId, ciphersuiteName } from '../tables/ciphersuites.ts';
import { verifyFlagNames } from '../tables/verify-flags.ts';
import { mflBytes } from '../tables/mfl.ts';
import { isHexDigit, isHexRow } from './hex-row.ts';

export interface MbedtlsParserOptions {
  /** The mbedTLS version the device runs; wins over what the file names suggest. */
  version?: MbedtlsVersion;
}

// Compiled once: this parser sees every line of multi-megabyte debug-4 logs.
const RE_OUT_RECORD = /^output record: msgtype = (\d+), version = \[(\d+):(\d+)\], msglen = (\d+)/;
const RE_IN_RECORD_36 = /^input record: msgtype = (\d+), version = \[0x([0-9a-fA-F]+)\], msglen = (\d+)/;
const RE_IN_RECORD_228 = /^input record: msgtype = (\d+), version = \[(\d+):(\d+)\], msglen = (\d+)/;
const RE_HSMSG = /^handshake message: msglen = (\d+), type = (\d+), hslen = (\d+)/;
const RE_HS_FRAGMENT = /^(sole|initial|subsequent) handshake fragment: (\d+), (\d+)\.\.(\d+) of (\d+)/;
const RE_HS_STATE = /^handshake state: (\d+) \(([^)]*)\) -> (\d+) \(([^)]*)\)/;
const RE_OFFERED = /^client hello, add ciphersuite: (?:0x)?([0-9a-fA-F]{1,4})(?:, | \()([^\s)]+)/;
const RE_CHOSEN_13 = /^\(\s*([0-9a-fA-F]{1,4})\s*\)\s*-\s*(\S+)/;
const RE_HEX_ID = /^[0-9a-fA-F]{1,4}$/;
const RE_GOT_ALERT = /^got an alert message, type: \[(\d+):(\d+)\]/;
const RE_FATAL_ALERT = /^is a fatal alert message \(msg (\d+)\)/;
const RE_SEND_ALERT = /^send alert level=(\d+) message=(\d+)/;
const RE_RETURNED = /^(.*?)\(\) returned (-?\d+) \(-?0x[0-9a-fA-F]+\)$/;
const RE_DUMP = /^dumping '(.*)' \((\d+) bytes\)$/;
const RE_FLAGS = /^! Certificate verification flags ([0-9a-fA-F]+)/;
const RE_PEER_CERT = /^peer certificate #(\d+):/;
const RE_CERT_INFO = /^([A-Za-z][A-Za-z0-9 .]*?)\s*: ?(.*)$/;
const RE_BUILD = /build version: Mbed TLS (\d+)\.(\d+)(?:\.(\d+))?/;
const RE_PLATFORM_FAILED = /mbedtls_ssl_handshake failed (?:0x)?([0-9a-fA-F]+)/;
const RE_PLATFORM_RETURNED = /mbedtls_ssl_handshake returned (-?)(0x[0-9a-fA-F]+|\d+)/;
const RE_NEGOTIATED = /Negotiated TLS version : ([0-9a-fA-F]+)/;
const RE_PROTOCOL_IS = /\[ Protocol is TLSv1\.([23]) \]/;
const RE_CIPHERSUITE_IS = /\[ Ciphersuite is (\S+) \]/;
const RE_MAX_IN_FRAG = /\[ Maximum input fragment length is (\d+) \]/;
const RE_RSL = /^RecordSizeLimit: (\d+) Bytes/;
const RE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** mbedTLS stops a hex dump after this many bytes (debug.c `if (i >= 4096) break;`). */
const DUMP_LIMIT = 4096;

const FILES_228 = new Set(['ssl_cli.c', 'ssl_srv.c']);
const FILES_36 = new Set(['ssl_tls12_client.c', 'ssl_tls12_server.c', 'ssl_client.c', 'ssl_misc.h', 'ssl_debug_helpers_generated.c']);

interface PeerBlock {
  t: number;
  line: number;
  ctx: string | null;
  file: string | undefined;
  srcLine: number | undefined;
  index: number;
  fields: Map<string, string>;
}

interface Pending {
  t: number;
  line: number;
  ctx: string | null;
}

function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

/** `2026-11-22 14:06:30` (x509 time, UTC) → ISO-8601; anything else is kept as printed. */
function isoDate(s: string | undefined): string | null {
  if (s === undefined) return null;
  const m = RE_DATE.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : s;
}

/** A 32-bit value printed with `%x` as a positive number: cy_tls prints `-ret`, sometimes `ret`. */
function platformCode(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return v > 0x7fffffff ? v - 0x100000000 : -v;
}

/**
 * Turns mbedTLS debug lines (and the platform lines around a handshake) into TlsEvents.
 *
 * Handshake fragments. In mbedTLS the `handshake message:` line is printed by
 * mbedtls_ssl_prepare_handshake_record for every record (or every further message in a record)
 * that carries handshake data: `msglen` is the payload of the current record left to read,
 * `hslen` is the length of the whole handshake message including its 4-byte header (that is
 * why a lone 426-byte Certificate prints `msglen = 426 … hslen = 426`). So a message is
 * `sole` when hslen <= msglen and `initial` when hslen > msglen. 3.6.3+ reassembles the rest:
 * for each continuation record it prints the line again with the same hslen (not recomputed)
 * and a `type` that is merely the first byte of the continuation payload, then
 * `subsequent handshake fragment: M, a..b of H` (mbedtls-3.6.6 ssl_msg.c:3242, 3379). The
 * parser therefore tracks the bytes still missing and reports continuations as `subsequent`
 * with the type of the initial fragment. 2.28 and 3.6.0-3.6.2 (and ifx 3.6.400) do not
 * reassemble: they print `TLS handshake fragmentation not supported` and fail.
 *
 * Records: `version` is given as `major:minor` (`3:3`) whether mbedTLS printed the two header
 * bytes (output, 2.28 input) or the parsed value (3.6 input `[0x303]`).
 */
export class MbedtlsParser implements FamilyParser {
  private version: MbedtlsVersion | null;
  private readonly fixedVersion: boolean;
  private lastFile: string | undefined = undefined;
  // The line being fed; the event base object is only built when an event is.
  private curT = 0;
  private curSeq = 0;
  private curCtx: string | null = null;

  private tlsVersionSent = false;
  private chosenSent = false;
  private mflNegotiated = false;
  private peer: PeerBlock | null = null;
  private chosenId: (Pending & { id: number }) | null = null;
  private receivedAlert: number | null = null;
  private reassembly: { type: number; hslen: number; have: number } | null = null;
  private mflOffer: (Pending & { bytes: number[] | null }) | null = null;
  private collectingExtensions = false;
  private readonly scratch: DeviceEvent[] = [];

  constructor(opts?: MbedtlsParserOptions) {
    this.version = opts?.version ?? null;
    this.fixedVersion = opts?.version !== undefined;
  }

  /** The version in use: the option, or what the lines revealed so far. */
  get mbedtlsVersion(): MbedtlsVersion | null {
    return this.version;
  }

  feed(segment: Prefixed, line: Line): DeviceEvent[] {
    let body = segment.body;
    if (typeof body !== 'string' || body.length === 0) return NO_EVENTS;

    // Hex rows are most of a debug-4 log: skip them before anything else.
    if (isHexRow(body)) {
      if (this.collectingExtensions) this.collectRow(body);
      return NO_EVENTS;
    }
    const last = body.charCodeAt(body.length - 1);
    if (last === 32 || last === 13 || last === 9) {
      body = body.trimEnd();
      // cy_tls follows every mbedTLS line with a line holding one space: it must not end a
      // certificate block or split the two chosen-ciphersuite lines.
      if (body.length === 0) return NO_EVENTS;
    }

    this.curT = line.t;
    this.curSeq = line.seq;
    this.curCtx = segment.ctx ?? null;
    // Most lines yield nothing: events collect in a scratch array that is copied only when
    // the line produced some.
    const out = this.scratch;
    this.drainPending(out, segment, body);
    if (!this.fixedVersion && this.version === null && segment.file !== undefined) this.versionFromFile(out, segment.file, line, segment.ctx);

    try {
      this.dispatch(out, body, segment, line);
    } catch {
      // A parser must never take the pipeline down; the line is simply not understood.
    }
    if (out.length === 0) return NO_EVENTS;
    const events = out.slice();
    // Emptied only when used: setting the length is not free, and most lines add nothing.
    out.length = 0;
    return events;
  }

  /** Rows matter only while the ClientHello extensions dump is read (for max_fragment_length). */
  wantsHexRow(): boolean {
    return this.collectingExtensions;
  }

  flush(): DeviceEvent[] {
    const out: DeviceEvent[] = [];
    this.flushChosen(out);
    this.flushPeer(out);
    this.flushMflOffer(out);
    return out;
  }

  // ── pending multi-line facts ──────────────────────────────────────────────

  private drainPending(out: DeviceEvent[], segment: Prefixed, body: string): DeviceEvent[] {
    if (this.peer !== null && !this.isPeerInfoLine(segment, body)) this.flushPeer(out);
    if (this.chosenId !== null && !body.startsWith('server hello, ')) this.flushChosen(out);
    if (this.mflOffer !== null) {
      // The offer is complete when the extensions dump (3.6, level 3) has ended, or when the
      // ClientHello goes out without one (2.28 dumps no extensions).
      if (this.collectingExtensions || body.startsWith('=> write handshake message') || body.startsWith('output record:') || body === '<= handshake') {
        this.flushMflOffer(out);
      }
    }
    this.collectingExtensions = false;
    return out;
  }

  private isPeerInfoLine(segment: Prefixed, body: string): boolean {
    const p = this.peer;
    if (p === null || segment.file !== p.file || segment.srcLine !== p.srcLine) return false;
    if (body.startsWith('value of ') || body.startsWith('peer certificate #')) return false;
    if (body.startsWith('    ')) return true; // subject alt name / policies continuation
    const m = RE_CERT_INFO.exec(body);
    if (m === null) return false;
    const key = m[1]!.trim();
    if (!p.fields.has(key)) p.fields.set(key, m[2] ?? '');
    return true;
  }

  private flushPeer(out: DeviceEvent[]): void {
    const p = this.peer;
    if (p === null) return;
    this.peer = null;
    const f = p.fields;
    let keySize: string | null = null;
    for (const [k, v] of f) {
      if (k.endsWith(' key size')) keySize = `${k.slice(0, -' key size'.length)} ${v}`;
    }
    // x509_crt_info writes into a 1024-byte buffer and debug_print_line_by_line drops a last
    // partial line, so a cut block is one that lacks a field x509_crt_info always prints.
    const required = ['cert. version', 'serial number', 'issuer name', 'subject name', 'issued  on', 'expires on', 'signed using'];
    const truncated = required.some((k) => !f.has(k)) || keySize === null;
    out.push({
      kind: 'tls.peer_certificate', t: p.t, line: p.line, ctx: p.ctx, index: p.index,
      subject: f.get('subject name') ?? null, issuer: f.get('issuer name') ?? null,
      serial: f.get('serial number') ?? null, notBefore: isoDate(f.get('issued  on')),
      notAfter: isoDate(f.get('expires on')), signedUsing: f.get('signed using') ?? null,
      keySize, truncated,
    });
  }

  private flushChosen(out: DeviceEvent[]): void {
    const c = this.chosenId;
    if (c === null) return;
    this.chosenId = null;
    this.chosenSent = true;
    out.push({ kind: 'tls.ciphersuite.chosen', t: c.t, line: c.line, ctx: c.ctx, id: c.id, name: ciphersuiteName(c.id) });
  }

  private flushMflOffer(out: DeviceEvent[]): void {
    const o = this.mflOffer;
    if (o === null) return;
    this.mflOffer = null;
    this.collectingExtensions = false;
    out.push({ kind: 'tls.mfl', t: o.t, line: o.line, ctx: o.ctx, stage: 'offered', bytes: o.bytes ? mflFromExtensions(o.bytes) : null });
  }

  private collectRow(body: string): void {
    const bytes = this.mflOffer?.bytes;
    if (!bytes) return;
    // `0000:  xx xx …` — up to 16 bytes at columns 7, 10, 13, …
    for (let i = 7; i + 1 < body.length && bytes.length < 8192; i += 3) {
      const hi = body.charCodeAt(i);
      const lo = body.charCodeAt(i + 1);
      if (!isHexDigit(hi) || !isHexDigit(lo)) break;
      bytes.push(parseInt(body.slice(i, i + 2), 16));
    }
    this.collectingExtensions = true;
  }

  private at(): Pending {
    return { t: this.curT, line: this.curSeq, ctx: this.curCtx };
  }

  // ── version inference ─────────────────────────────────────────────────────

  private versionFromFile(out: DeviceEvent[], file: string, line: Line, ctx: string | undefined): void {
    if (file === this.lastFile) return;
    this.lastFile = file;
    const base = basename(file);
    if (FILES_228.has(base)) this.setVersion(out, '2.28', base, line, ctx);
    else if (FILES_36.has(base) || base.startsWith('ssl_tls13_')) this.setVersion(out, '3.6', base, line, ctx);
  }

  private setVersion(out: DeviceEvent[], v: MbedtlsVersion, evidence: string, line: Line, ctx: string | undefined): void {
    if (this.fixedVersion || this.version !== null) return;
    this.version = v;
    out.push({ kind: 'tls.mbedtls_version', t: line.t, line: line.seq, ctx: ctx ?? null, version: v, evidence });
  }

  private tlsVersion(out: DeviceEvent[], v: '1.2' | '1.3', line: Line, ctx: string | null): void {
    if (this.tlsVersionSent) return;
    this.tlsVersionSent = true;
    out.push({ kind: 'tls.version', t: line.t, line: line.seq, ctx, version: v });
  }

  // ── one line ──────────────────────────────────────────────────────────────

  private dispatch(out: DeviceEvent[], body: string, seg: Prefixed, line: Line): void {
    const ctx = seg.ctx ?? null;
    const c0 = body.charCodeAt(0);
    // The first character picks the few messages a line can be; a case returns only when it
    // recognised the line, so `fn() returned -N` and platform lines are reached whatever
    // letter they start with (`ssl_get_next_record() returned -29184 (-0x7200)`).
    switch (c0) {
      case 61: // '='
        if (body === '=> handshake') {
          this.tlsVersionSent = false;
          this.chosenSent = false;
          this.mflNegotiated = false;
          this.reassembly = null;
          this.receivedAlert = null;
          out.push({ kind: 'tls.handshake.begin', t: this.curT, line: this.curSeq, ctx: this.curCtx });
          return;
        }
        if (body === '=> parse server hello') {
          // Only the TLS 1.2 code prints this; TLS 1.3 prints `=> ssl_tls13_process_server_hello`.
          this.tlsVersion(out, '1.2', line, ctx);
          return;
        }
        break;
      case 60: // '<'
        if (body === '<= handshake') {
          this.flushMflOffer(out);
          this.reassembly = null;
          out.push({ kind: 'tls.handshake.end', t: this.curT, line: this.curSeq, ctx: this.curCtx });
          return;
        }
        break;
      case 99: // 'c'
        if (body.startsWith('client state: ')) {
          this.clientState(out, body.slice(14), line);
          return;
        }
        if (body.startsWith('client hello, add ciphersuite: ')) {
          const m = RE_OFFERED.exec(body);
          if (m) out.push({ kind: 'tls.ciphersuite.offered', t: this.curT, line: this.curSeq, ctx: this.curCtx, id: parseInt(m[1]!, 16), name: m[2]! });
          return;
        }
        if (body === 'client hello, adding max_fragment_length extension') {
          this.flushMflOffer(out);
          this.mflOffer = { t: this.curT, line: this.curSeq, ctx: this.curCtx, bytes: null };
          return;
        }
        break;
      case 104: // 'h'
        if (body.startsWith('handshake message: ')) {
          this.hsMessage(out, body);
          return;
        }
        if (body.startsWith('handshake state: ')) {
          const m = RE_HS_STATE.exec(body);
          if (!m) return;
          const to = m[4]!;
          if (!isStateName(to)) {
            out.push({ kind: 'tls.anomaly', t: this.curT, line: this.curSeq, ctx: this.curCtx, message: `unknown handshake state ${m[3]} (${to})` });
            return;
          }
          if (!this.fixedVersion && this.version === null) this.setVersion(out, '3.6', 'handshake state: a -> b', line, seg.ctx);
          out.push({ kind: 'tls.state', t: this.curT, line: this.curSeq, ctx: this.curCtx, state: to, number: Number(m[3]), from: m[2]! });
          if (to === 'MBEDTLS_SSL_ENCRYPTED_EXTENSIONS') this.tlsVersion(out, '1.3', line, ctx);
          return;
        }
        break;
      case 111: // 'o'
        if (body.startsWith('output record: ')) {
          const m = RE_OUT_RECORD.exec(body);
          if (m) out.push({ kind: 'tls.record', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'out', contentType: Number(m[1]), version: `${m[2]}:${m[3]}`, length: Number(m[4]) });
          return;
        }
        break;
      case 105: // 'i'
        if (body.startsWith('input record: ')) {
          let m = RE_IN_RECORD_36.exec(body);
          if (m) {
            const v = parseInt(m[2]!, 16);
            out.push({ kind: 'tls.record', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'in', contentType: Number(m[1]), version: `${(v >> 8) & 0xff}:${v & 0xff}`, length: Number(m[3]) });
            if (Number(m[1]) !== 22) this.reassembly = null;
            return;
          }
          m = RE_IN_RECORD_228.exec(body);
          if (m) {
            out.push({ kind: 'tls.record', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'in', contentType: Number(m[1]), version: `${m[2]}:${m[3]}`, length: Number(m[4]) });
            if (Number(m[1]) !== 22) this.reassembly = null;
          }
          return;
        }
        if (body.startsWith('is a fatal alert message')) {
          const m = RE_FATAL_ALERT.exec(body);
          if (!m) return;
          const d = Number(m[1]);
          // Level 2 already printed `got an alert message` for it; at level 1 this is the only line.
          if (this.receivedAlert !== d) out.push({ kind: 'tls.alert', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'received', level: 2, description: d, name: alertName(d) });
          this.receivedAlert = null;
          return;
        }
        if (body.startsWith('initial handshake fragment')) {
          this.hsFragment(body);
          return;
        }
        break;
      case 115: // 's'
        if (body.startsWith('server hello, chosen ciphersuite: ')) {
          this.chosen(out, body.slice(34), line);
          return;
        }
        if (body.startsWith('send alert level=')) {
          const m = RE_SEND_ALERT.exec(body);
          if (m) {
            const d = Number(m[2]);
            out.push({ kind: 'tls.alert', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'sent', level: Number(m[1]), description: d, name: alertName(d) });
          }
          return;
        }
        if (body.startsWith('sole handshake fragment') || body.startsWith('subsequent handshake fragment')) {
          this.hsFragment(body);
          return;
        }
        break;
      case 103: // 'g'
        if (body.startsWith('got an alert message')) {
          const m = RE_GOT_ALERT.exec(body);
          if (m) {
            const d = Number(m[2]);
            this.receivedAlert = d;
            out.push({ kind: 'tls.alert', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'received', level: Number(m[1]), description: d, name: alertName(d) });
          }
          return;
        }
        break;
      case 102: // 'f'
        if (body === 'found max_fragment_length extension') {
          this.mflNegotiated = true;
          out.push({ kind: 'tls.mfl', t: this.curT, line: this.curSeq, ctx: this.curCtx, stage: 'negotiated', bytes: null });
          return;
        }
        break;
      case 100: // 'd'
        if (body.startsWith("dumping '")) {
          const m = RE_DUMP.exec(body);
          if (!m) return;
          const length = Number(m[2]);
          out.push({ kind: 'tls.hexdump', t: this.curT, line: this.curSeq, ctx: this.curCtx, name: m[1]!, length, truncated: length > DUMP_LIMIT });
          if (m[1] === 'client hello extensions' && this.mflOffer !== null) {
            this.mflOffer.bytes = [];
            this.collectingExtensions = true;
          }
          return;
        }
        break;
      case 33: // '!'
        if (body.startsWith('! Certificate verification flags ')) {
          const m = RE_FLAGS.exec(body);
          if (m) {
            const flags = parseInt(m[1]!.slice(-8), 16) >>> 0;
            out.push({ kind: 'tls.verify_flags', t: this.curT, line: this.curSeq, ctx: this.curCtx, flags, names: verifyFlagNames(flags) });
          }
          return;
        }
        break;
      case 67: // 'C'
        if (body === 'Certificate verification flags clear') {
          out.push({ kind: 'tls.verify_flags', t: this.curT, line: this.curSeq, ctx: this.curCtx, flags: 0, names: [] });
          return;
        }
        if (body.startsWith('ClientHello: record_size_limit(28) extension exists')) {
          // The sent-extension mask is kept for TLS 1.3 extensions only, so for this one
          // `exists` is real (for max_fragment_length(1) the same line means nothing).
          out.push({ kind: 'tls.record_size_limit', t: this.curT, line: this.curSeq, ctx: this.curCtx, stage: 'offered', bytes: null });
          return;
        }
        break;
      case 112: // 'p'
        if (body.startsWith('peer certificate #')) {
          const m = RE_PEER_CERT.exec(body);
          if (m) this.peer = { t: this.curT, line: this.curSeq, ctx: this.curCtx, file: seg.file, srcLine: seg.srcLine, index: Number(m[1]), fields: new Map() };
          return;
        }
        break;
      case 82: // 'R'
        if (body.startsWith('RecordSizeLimit: ')) {
          const m = RE_RSL.exec(body);
          if (m) out.push({ kind: 'tls.record_size_limit', t: this.curT, line: this.curSeq, ctx: this.curCtx, stage: 'negotiated', bytes: Number(m[1]) });
          return;
        }
        break;
      default:
        break;
    }
    if (last(body) === 41 /* ')' */ && body.includes('() returned ')) {
      this.returned(out, body, seg);
      return;
    }
    // Platform lines normally come without a debug prefix, but a profile (ESP-IDF, Zephyr) may
    // give them a file and line too: let the ones that start like one through.
    if (seg.srcLine === undefined || c0 === 109 /* m */ || c0 === 84 /* T */ || c0 === 78 /* N */) this.platform(out, body, line, seg);
  }

  private clientState(out: DeviceEvent[], arg: string, line: Line): void {
    const c = arg.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      // Only 2.x prints the number; 3.x prints mbedtls_ssl_states_str().
      const n = Number(arg);
      if (!this.fixedVersion && this.version === null) this.setVersion(out, '2.28', 'client state: N', line, this.curCtx ?? undefined);
      const name = Number.isInteger(n) ? stateName(this.version ?? '2.28', n) : null;
      if (name === null) out.push({ kind: 'tls.anomaly', t: this.curT, line: this.curSeq, ctx: this.curCtx, message: `unknown client state ${arg}` });
      else out.push({ kind: 'tls.state', t: this.curT, line: this.curSeq, ctx: this.curCtx, state: name, number: n });
      return;
    }
    if (!isStateName(arg)) {
      out.push({ kind: 'tls.anomaly', t: this.curT, line: this.curSeq, ctx: this.curCtx, message: `unknown client state ${arg}` });
      return;
    }
    out.push({ kind: 'tls.state', t: this.curT, line: this.curSeq, ctx: this.curCtx, state: arg, number: stateNumber(this.version === '2.28' ? '2.28' : '3.6', arg) });
    if (arg === 'MBEDTLS_SSL_ENCRYPTED_EXTENSIONS') this.tlsVersion(out, '1.3', line, this.curCtx);
  }

  private hsMessage(out: DeviceEvent[], body: string): void {
    const m = RE_HSMSG.exec(body);
    if (!m) return;
    const msglen = Number(m[1]);
    let type = Number(m[2]);
    const hslen = Number(m[3]);
    let fragment: 'sole' | 'initial' | 'subsequent';
    const r = this.reassembly;
    if (r !== null && r.hslen === hslen && r.have < hslen) {
      fragment = 'subsequent';
      type = r.type;
      r.have += msglen;
      if (r.have >= hslen) this.reassembly = null;
    } else if (hslen <= msglen) {
      fragment = 'sole';
      this.reassembly = null;
    } else {
      fragment = 'initial';
      this.reassembly = { type, hslen, have: msglen };
    }
    out.push({ kind: 'tls.hsmsg', t: this.curT, line: this.curSeq, ctx: this.curCtx, msglen, type, hslen, fragment });
  }

  /** 3.6.3+ says itself how it classified the record; keep the reassembly state in step with it. */
  private hsFragment(body: string): void {
    const m = RE_HS_FRAGMENT.exec(body);
    if (!m) return;
    const end = Number(m[4]);
    const total = Number(m[5]);
    if (m[1] === 'sole' || end >= total) this.reassembly = null;
    else if (this.reassembly !== null) this.reassembly.have = end;
  }

  private chosen(out: DeviceEvent[], arg: string, line: Line): void {
    const ctx = this.curCtx;
    if (arg.charCodeAt(0) === 40 /* '(' */) {
      const m = RE_CHOSEN_13.exec(arg);
      if (!m) return;
      this.chosenId = null;
      this.chosenSent = true;
      out.push({ kind: 'tls.ciphersuite.chosen', t: this.curT, line: this.curSeq, ctx: this.curCtx, id: parseInt(m[1]!, 16), name: m[2]! });
      this.tlsVersion(out, '1.3', line, ctx);
      return;
    }
    if (RE_HEX_ID.test(arg)) {
      // TLS 1.2 prints the id, then (after validating it) the name: merge the two lines.
      this.flushChosen(out);
      this.chosenId = { t: this.curT, line: this.curSeq, ctx: this.curCtx, id: parseInt(arg, 16) };
      this.tlsVersion(out, '1.2', line, ctx);
      return;
    }
    const pending = this.chosenId;
    this.chosenId = null;
    const at = pending ?? this.at();
    this.chosenSent = true;
    out.push({ kind: 'tls.ciphersuite.chosen', t: at.t, line: at.line, ctx: at.ctx ?? null, id: pending?.id ?? ciphersuiteId(arg), name: arg });
    this.tlsVersion(out, arg.startsWith('TLS1-3-') ? '1.3' : '1.2', line, ctx);
  }

  private returned(out: DeviceEvent[], body: string, seg: Prefixed): void {
    const m = RE_RETURNED.exec(body);
    if (!m) {
      if (seg.srcLine === undefined) this.platform(out, body, null, seg);
      return;
    }
    const code = Number(m[2]);
    // f_send/f_recv print byte counts this way; WANT_READ & co. are retried, not failures.
    if (!Number.isFinite(code) || code >= 0 || RETRY_CODES.has(code)) return;
    const fn = m[1]!.trim();
    if (seg.srcLine === undefined && fn.endsWith('mbedtls_ssl_handshake')) {
      this.platform(out, body, null, seg);
      return;
    }
    out.push({ kind: 'tls.error', t: this.curT, line: this.curSeq, ctx: this.curCtx, fn, error: decodeError(code, this.version ?? '3.6') });
  }

  /** Lines from the application or the platform layer (no mbedTLS debug prefix). */
  private platform(out: DeviceEvent[], body: string, line: Line | null, seg: Prefixed): void {
    const ctx = this.curCtx;
    const v = this.version ?? '3.6';
    if (body.includes('mbedtls_ssl_handshake')) {
      let m = RE_PLATFORM_FAILED.exec(body);
      if (m) {
        const code = platformCode(parseInt(m[1]!, 16));
        if (code !== 0 && !RETRY_CODES.has(code)) out.push({ kind: 'tls.platform.failed', t: this.curT, line: this.curSeq, ctx: this.curCtx, fn: 'mbedtls_ssl_handshake', error: decodeError(code, v) });
        return;
      }
      m = RE_PLATFORM_RETURNED.exec(body);
      if (m) {
        const raw = m[2]!.startsWith('0x') ? parseInt(m[2]!.slice(2), 16) : Number(m[2]);
        const code = m[1] === '-' ? -raw : platformCode(raw);
        if (code < 0 && !RETRY_CODES.has(code)) out.push({ kind: 'tls.platform.failed', t: this.curT, line: this.curSeq, ctx: this.curCtx, fn: 'mbedtls_ssl_handshake', error: decodeError(code, v) });
      }
      return;
    }
    if (body.includes('TLS handshake successful')) {
      out.push({ kind: 'tls.platform.ok', t: this.curT, line: this.curSeq, ctx: this.curCtx });
      return;
    }
    if (line === null) return;
    const c0 = body.charCodeAt(0);
    if (c0 === 78 /* 'N' */ || body.includes('Negotiated TLS version')) {
      const m = RE_NEGOTIATED.exec(body);
      if (m) {
        const n = parseInt(m[1]!, 16);
        if (n === 0x303) this.tlsVersion(out, '1.2', line, ctx);
        else if (n === 0x304) this.tlsVersion(out, '1.3', line, ctx);
      }
      return;
    }
    if (c0 === 98 /* 'b' */ || body.includes('build version: Mbed TLS')) {
      const m = RE_BUILD.exec(body);
      if (m) {
        const major = Number(m[1]);
        const evidence = `build version: Mbed TLS ${m[1]}.${m[2]}${m[3] !== undefined ? '.' + m[3] : ''}`;
        if (major === 2) this.setVersion(out, '2.28', evidence, line, seg.ctx);
        else if (major === 3) this.setVersion(out, '3.6', evidence, line, seg.ctx);
      }
      return;
    }
    if (c0 === 32 /* ' ' */) {
      // ssl_client2 prints these after the handshake.
      let m = RE_PROTOCOL_IS.exec(body);
      if (m) {
        this.tlsVersion(out, m[1] === '3' ? '1.3' : '1.2', line, ctx);
        return;
      }
      m = RE_CIPHERSUITE_IS.exec(body);
      if (m) {
        // At debug level 2 this program line is the only place the suite is named.
        if (!this.chosenSent) {
          this.chosenSent = true;
          out.push({ kind: 'tls.ciphersuite.chosen', t: this.curT, line: this.curSeq, ctx: this.curCtx, id: ciphersuiteId(m[1]!), name: m[1]! });
        }
        if (m[1]!.startsWith('TLS1-3-')) this.tlsVersion(out, '1.3', line, ctx);
        return;
      }
      m = RE_MAX_IN_FRAG.exec(body);
      // Without a negotiated MFL this is just MBEDTLS_SSL_IN_CONTENT_LEN: say nothing then.
      if (m && this.mflNegotiated) {
        this.mflNegotiated = false;
        out.push({ kind: 'tls.mfl', t: this.curT, line: this.curSeq, ctx: this.curCtx, stage: 'negotiated', bytes: Number(m[1]) });
      }
    }
  }
}

function last(s: string): number {
  return s.charCodeAt(s.length - 1);
}

/**
 * The max_fragment_length code in a ClientHello extensions block as mbedTLS 3.6 dumps it
 * (`client hello extensions`: 2-byte total length, then type/length/data triples); MFL is
 * extension type 1 with a one-byte code.
 */
function mflFromExtensions(bytes: readonly number[]): number | null {
  let i = 2;
  while (i + 4 <= bytes.length) {
    const type = (bytes[i]! << 8) | bytes[i + 1]!;
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (type === 1 && len === 1 && i + 4 < bytes.length) return mflBytes(bytes[i + 4]!);
    i += 4 + len;
  }
  return null;
}

