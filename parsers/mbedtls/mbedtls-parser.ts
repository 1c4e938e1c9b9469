import { NO_EVENTS, type FamilyParser } from '../family.ts';
import type { Base, DeviceEvent, Line, Prefixed } from '../events.ts';
import { boundedInt, U16, U8, wireFields } from '../device-number.ts';
import type { MbedtlsVersion } from '../tables/errors.ts';
import { isStateName } from '../tables/states.ts';
import { alertName } from '../tables/alerts.ts';
import { verifyFlagNames } from '../tables/verify-flags.ts';
import { isHexRow } from './hex-row.ts';
import { chosenCiphersuite, flushChosen } from './ciphersuite-lines.ts';
import { clientState, hsFragment, hsMessage } from './handshake-lines.ts';
import {
  DUMP_LIMIT, RE_DUMP, RE_FATAL_ALERT, RE_FLAGS, RE_GOT_ALERT, RE_HS_STATE, RE_IN_RECORD_228, RE_IN_RECORD_36,
  RE_OFFERED, RE_OUT_RECORD, RE_PEER_CERT, RE_RSL, RE_SEND_ALERT,
} from './line-patterns.ts';
import type { MbedtlsState, Pending } from './mbedtls-state.ts';
import { collectExtensionsRow, flushMflOffer } from './mfl-offer.ts';
import { flushPeer, isPeerInfoLine, type PeerBlock } from './peer-certificate.ts';
import { platformLine, returnedLine } from './platform-lines.ts';
import { attribute, newAttribution, noteWriteLine, releaseAll, releaseRead } from './record-attribution.ts';
import { setVersion, tlsVersion, versionFromFile } from './versions.ts';

type PerContext = Pick<MbedtlsState, 'tlsVersionSent' | 'chosenSent' | 'mflNegotiated' | 'receivedAlert' | 'reassembly'>;

export interface MbedtlsParserOptions {
  /** The mbedTLS version the device runs; wins over what the file names suggest. */
  version?: MbedtlsVersion;
  /** A handler that throws is a bug to see, not a line to skip (HSMON_STRICT=1: the tests). */
  strict?: boolean;
}

/**
 * Turns mbedTLS debug lines (and the platform lines around a handshake) into TlsEvents.
 *
 * This class owns the state and picks the handler for a line (dispatch); the handlers live in
 * the files of this folder as functions of MbedtlsState, which is this object. Handshake
 * fragments are explained in handshake-lines.ts.
 *
 * Records: `version` is given as `major:minor` (`3:3`) whether mbedTLS printed the two header
 * bytes (output, 2.28 input) or the parsed value (3.6 input `[0x303]`).
 */
export class MbedtlsParser implements FamilyParser, MbedtlsState {
  // State shared with the handlers through MbedtlsState (documented there), not API. The set
  // and order of the fields is the object's hidden class: keep them as they are.
  version: MbedtlsVersion | null;
  readonly fixedVersion: boolean;
  readonly strict: boolean;
  lastFile: string | undefined = undefined;
  curT = 0;
  curSeq = 0;
  curCtx: string | null = null;

  /** Where the current line's facts are (for an anomaly). */
  private at(): Base {
    return { t: this.curT, line: this.curSeq, ctx: this.curCtx };
  }

  tlsVersionSent = false;
  chosenSent = false;
  mflNegotiated = false;
  peer: PeerBlock | null = null;
  chosenId: (Pending & { id: number }) | null = null;
  receivedAlert: number | null = null;
  reassembly: { type: number; hslen: number; have: number } | null = null;
  mflOffer: (Pending & { bytes: number[] | null }) | null = null;
  collectingExtensions = false;
  readonly attribution = newAttribution();
  /** The context whose per-handshake fields are loaded; the others' wait in `parked`. */
  private loadedCtx: string | null = null;
  private readonly parked = new Map<string | null, PerContext>();
  private readonly scratch: DeviceEvent[] = [];

  constructor(opts?: MbedtlsParserOptions) {
    this.version = opts?.version ?? null;
    this.fixedVersion = opts?.version !== undefined;
    this.strict = opts?.strict === true;
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
      if (this.collectingExtensions) collectExtensionsRow(this, body);
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
    if (this.curCtx !== this.loadedCtx) this.switchContext(this.curCtx);
    // Most lines yield nothing: events collect in a scratch array that is copied only when
    // the line produced some.
    const out = this.scratch;
    this.drainPending(out, segment, body);
    if (!this.fixedVersion && this.version === null && segment.file !== undefined) versionFromFile(this, out, segment.file, line, segment.ctx);

    try {
      this.dispatch(out, body, segment, line);
    } catch (err) {
      // A parser must never take the pipeline down; the line is simply not understood. Under
      // test (strict) the exception surfaces, so a broken handler cannot pass for a quiet one.
      if (this.strict) throw err;
    }
    if (out.length === 0) return NO_EVENTS;
    attribute(this.attribution, this.curCtx, out);
    if (out.length === 0) return NO_EVENTS;
    const events = out.slice();
    // Emptied only when used: setting the length is not free, and most lines add nothing.
    out.length = 0;
    return events;
  }

  /**
   * Two TLS contexts (the `%p` prefix of MBEDTLS_THREADING_C builds) can print line by line in
   * turn: what one handshake has said so far (version sent, message being reassembled, alert
   * just received) is kept per context and swapped in when the context changes.
   */
  private switchContext(ctx: string | null): void {
    this.parked.set(this.loadedCtx, {
      tlsVersionSent: this.tlsVersionSent, chosenSent: this.chosenSent, mflNegotiated: this.mflNegotiated,
      receivedAlert: this.receivedAlert, reassembly: this.reassembly,
    });
    const next = this.parked.get(ctx);
    this.tlsVersionSent = next?.tlsVersionSent ?? false;
    this.chosenSent = next?.chosenSent ?? false;
    this.mflNegotiated = next?.mflNegotiated ?? false;
    this.receivedAlert = next?.receivedAlert ?? null;
    this.reassembly = next?.reassembly ?? null;
    this.loadedCtx = ctx;
  }

  /** Rows matter only while the ClientHello extensions dump is read (for max_fragment_length). */
  wantsHexRow(): boolean {
    return this.collectingExtensions;
  }

  flush(): DeviceEvent[] {
    const out: DeviceEvent[] = [];
    flushChosen(this, out);
    flushPeer(this, out);
    flushMflOffer(this, out);
    releaseAll(this.attribution, out);
    return out;
  }

  // ── pending multi-line facts ──────────────────────────────────────────────

  private drainPending(out: DeviceEvent[], segment: Prefixed, body: string): DeviceEvent[] {
    // A peer certificate block ends at the next line of its own context that is not part of it.
    if (this.peer !== null && this.peer.ctx === (segment.ctx ?? null) && !isPeerInfoLine(this, segment, body)) flushPeer(this, out);
    if (this.chosenId !== null && !body.startsWith('server hello, ')) flushChosen(this, out);
    if (this.mflOffer !== null) {
      // The offer is complete when the extensions dump (3.6, level 3) has ended, or when the
      // ClientHello goes out without one (2.28 dumps no extensions).
      if (this.collectingExtensions || body.startsWith('=> write handshake message') || body.startsWith('output record:') || body === '<= handshake') {
        flushMflOffer(this, out);
      }
    }
    this.collectingExtensions = false;
    return out;
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
          tlsVersion(this, out, '1.2', line, ctx);
          return;
        }
        if (body.startsWith('=> write ') && noteWriteLine(this.attribution, ctx, body)) return;
        break;
      case 60: // '<'
        if (body === '<= handshake') {
          flushMflOffer(this, out);
          this.reassembly = null;
          out.push({ kind: 'tls.handshake.end', t: this.curT, line: this.curSeq, ctx: this.curCtx });
          return;
        }
        if (body.startsWith('<= skip write ') && noteWriteLine(this.attribution, ctx, body)) return;
        if (body === '<= read record') {
          releaseRead(this.attribution, ctx, out);
          return;
        }
        break;
      case 99: // 'c'
        if (body.startsWith('client state: ')) {
          clientState(this, out, body.slice(14), line);
          return;
        }
        if (body.startsWith('client hello, add ciphersuite: ')) {
          const m = RE_OFFERED.exec(body);
          if (m) out.push({ kind: 'tls.ciphersuite.offered', t: this.curT, line: this.curSeq, ctx: this.curCtx, id: parseInt(m[1]!, 16), name: m[2]! });
          return;
        }
        if (body === 'client hello, adding max_fragment_length extension') {
          flushMflOffer(this, out);
          this.mflOffer = { t: this.curT, line: this.curSeq, ctx: this.curCtx, bytes: null };
          return;
        }
        break;
      case 104: // 'h'
        if (body.startsWith('handshake message: ')) {
          hsMessage(this, out, body);
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
          if (!this.fixedVersion && this.version === null) setVersion(this, out, '3.6', 'handshake state: a -> b', line, seg.ctx);
          // A transition inside the open step, not a step (see record-attribution.ts).
          const n = wireFields(out, this.at(), 'handshake state', [['number', m[3], U8]]);
          if (n) out.push({ kind: 'tls.transition', t: this.curT, line: this.curSeq, ctx: this.curCtx, from: m[2]!, to, number: n[0]! });
          if (to === 'MBEDTLS_SSL_ENCRYPTED_EXTENSIONS') tlsVersion(this, out, '1.3', line, ctx);
          return;
        }
        break;
      case 111: // 'o'
        if (body.startsWith('output record: ')) {
          const m = RE_OUT_RECORD.exec(body);
          const n = m && wireFields(out, this.at(), 'output record', [['msgtype', m[1], U8], ['msglen', m[4], U16]]);
          if (m && n) out.push({ kind: 'tls.record', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'out', contentType: n[0]!, version: `${m[2]}:${m[3]}`, length: n[1]! });
          return;
        }
        break;
      case 105: // 'i'
        if (body.startsWith('input record: ')) {
          let m = RE_IN_RECORD_36.exec(body);
          if (m) {
            const v = parseInt(m[2]!, 16);
            const n = wireFields(out, this.at(), 'input record', [['msgtype', m[1], U8], ['msglen', m[3], U16]]);
            if (n) out.push({ kind: 'tls.record', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'in', contentType: n[0]!, version: `${(v >> 8) & 0xff}:${v & 0xff}`, length: n[1]! });
            if (Number(m[1]) !== 22) this.reassembly = null;
            return;
          }
          m = RE_IN_RECORD_228.exec(body);
          if (m) {
            const n = wireFields(out, this.at(), 'input record', [['msgtype', m[1], U8], ['msglen', m[4], U16]]);
            if (n) out.push({ kind: 'tls.record', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'in', contentType: n[0]!, version: `${m[2]}:${m[3]}`, length: n[1]! });
            if (Number(m[1]) !== 22) this.reassembly = null;
          }
          return;
        }
        if (body.startsWith('is a fatal alert message')) {
          const m = RE_FATAL_ALERT.exec(body);
          if (!m) return;
          const n = wireFields(out, this.at(), 'fatal alert', [['msg', m[1], U8]]);
          if (!n) return;
          const d = n[0]!;
          // Level 2 already printed `got an alert message` for it; at level 1 this is the only line.
          if (this.receivedAlert !== d) out.push({ kind: 'tls.alert', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'received', level: 2, description: d, name: alertName(d) });
          this.receivedAlert = null;
          return;
        }
        if (body.startsWith('initial handshake fragment')) {
          hsFragment(this, body);
          return;
        }
        break;
      case 115: // 's'
        if (body.startsWith('server hello, chosen ciphersuite: ')) {
          chosenCiphersuite(this, out, body.slice(34), line);
          return;
        }
        if (body.startsWith('send alert level=')) {
          const m = RE_SEND_ALERT.exec(body);
          const n = m && wireFields(out, this.at(), 'sent alert', [['level', m[1], U8], ['message', m[2], U8]]);
          if (n) {
            const d = n[1]!;
            out.push({ kind: 'tls.alert', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'sent', level: n[0]!, description: d, name: alertName(d) });
          }
          return;
        }
        if (body.startsWith('sole handshake fragment') || body.startsWith('subsequent handshake fragment')) {
          hsFragment(this, body);
          return;
        }
        break;
      case 103: // 'g'
        if (body.startsWith('got an alert message')) {
          const m = RE_GOT_ALERT.exec(body);
          const n = m && wireFields(out, this.at(), 'received alert', [['level', m[1], U8], ['type', m[2], U8]]);
          if (n) {
            const d = n[1]!;
            this.receivedAlert = d;
            out.push({ kind: 'tls.alert', t: this.curT, line: this.curSeq, ctx: this.curCtx, direction: 'received', level: n[0]!, description: d, name: alertName(d) });
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
          const n = m && wireFields(out, this.at(), 'hex dump', [['length', m[2], Number.MAX_SAFE_INTEGER]]);
          if (!m || !n) return;
          const length = n[0]!;
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
          if (m && this.peer !== null) flushPeer(this, out);
          if (m) this.peer = { t: this.curT, line: this.curSeq, ctx: this.curCtx, file: seg.file, srcLine: seg.srcLine, index: boundedInt(m[1]) ?? 0, fields: new Map() };
          return;
        }
        break;
      case 82: // 'R'
        if (body.startsWith('RecordSizeLimit: ')) {
          const m = RE_RSL.exec(body);
          if (m) out.push({ kind: 'tls.record_size_limit', t: this.curT, line: this.curSeq, ctx: this.curCtx, stage: 'negotiated', bytes: boundedInt(m[1], U16) });
          return;
        }
        break;
      default:
        break;
    }
    if (last(body) === 41 /* ')' */ && body.includes('() returned ')) {
      returnedLine(this, out, body, seg);
      return;
    }
    // Platform lines normally come without a debug prefix, but a profile (ESP-IDF, Zephyr) may
    // give them a file and line too: let the ones that start like one through.
    if (seg.srcLine === undefined || c0 === 109 /* m */ || c0 === 84 /* T */ || c0 === 78 /* N */) platformLine(this, out, body, line, seg);
  }
}

function last(s: string): number {
  return s.charCodeAt(s.length - 1);
}
