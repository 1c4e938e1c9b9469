/**
 * Redacts key material, session secrets and credentials from device lines before hsmon shows,
 * writes or records them. One redactor per source, fed every line in order: it is a state, not
 * a set of line patterns.
 *
 * - `-----BEGIN … PRIVATE KEY-----` (also split over two lines) opens a key block: every line
 *   that looks like key body is hidden until the END line, whatever other lines interrupt it.
 *   At the END the DER is decoded and learned.
 * - An mbedTLS dump of a session secret (`dumping 'master secret' (48 bytes)`, premaster, key
 *   block, TLS 1.3 traffic secrets, `private key`, `value of 'ECDH: z'`) opens a dump per
 *   prefix (file:line and `%p` context): its rows are hidden wherever they come, other lines
 *   between them or not, and the bytes are learned.
 * - Firmware's own printouts: `psa_export_key` / `Exported private key:` followed by hex,
 *   key-log lines (`CLIENT_RANDOM …`), OpenSSL's `Master-Key:`; the values are learned.
 * - Credentials (credentials.ts): the value is hidden and learned.
 * - Every learned value is hidden wherever it appears later, in any form (secret-values.ts):
 *   a hex dump row (hex and ASCII columns, across row boundaries), continuous or separated
 *   hex, base64, text; a label such as `Master-Key:` inside a dump of application data hides
 *   the rows its value spans.
 *
 * Leaving a state errs on the side of redaction.
 */
import { compileCredentialPatterns, findCredentials, type CredentialPattern } from './credentials.ts';
import { LearnedSecrets, fromBase64, fromHex, toHex, type Found } from './secret-values.ts';

export type SecretKind = 'private-key' | 'session-secret' | 'credential';

export const SECRET_KINDS: readonly SecretKind[] = ['private-key', 'session-secret', 'credential'];

export interface Redacted {
  text: string;
  /** What this line was part of; null for ordinary lines. */
  secret: SecretKind | null;
  /** True on the first line of each secret region (where a finding should point). */
  begins?: boolean;
}

export const PRIVATE_KEY_MARK = '[redacted by hsmon: private key]';
export const SESSION_SECRET_MARK = '[redacted by hsmon: session secret]';
export const CREDENTIAL_MARK = '[redacted by hsmon: credential]';

export function markOf(kind: SecretKind): string {
  return kind === 'private-key' ? PRIVATE_KEY_MARK : kind === 'session-secret' ? SESSION_SECRET_MARK : CREDENTIAL_MARK;
}

const PRIV_BEGIN = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----/;
const ANY_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const PRIV_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** The end of a line that may be the first half of a split BEGIN header. */
const HEADER_HEAD = /-{1,5}(?:B(?:E(?:G(?:I(?:N(?: [A-Z0-9 ]*-{0,4})?)?)?)?)?)?$/;
const B64_RUN = /[A-Za-z0-9+/=]{16,}/;
const B64_RUN_G = /[A-Za-z0-9+/=]{16,}/g;
const PEM_HEADER = /\b(?:Proc-Type|DEK-Info):/;
/** `file.c:1234: ` or `file.c:1234: |3| ` or `0x2000abcd: ` at the start, as printed before key lines too. */
const LINE_PREFIX = /^(?:\S*?:\d{1,5}:\s*)?(?:\|\d\|\s*)?(?:0x[0-9a-fA-F]{1,16}:\s*)?/;

const DUMP = /dumping '([^']+)' \((\d+) bytes\)/;
const MPI = /value of '([^']+)' \((\d+) bits\) is:/;
/** Dump names that are session secrets, keys derived from them, or private keys. */
const SECRET_NAME = /secret|key block|write[_ ]?key|traffic|exporter|resumption|\bpsk\b|ECDH: z|DHM: K|shared|private/i;
/** …but not these: transcript hashes and public key shares. */
const NOT_SECRET_NAME = /hash|key_share|public/i;
/** ` 03 99 77 …` (mbedTLS debug_print_mpi row). */
const MPI_ROW = /^(.*?\s)((?:[0-9a-f]{2} ?){1,32})\s*$/;
/**
 * OpenSSL's session printout (s_server -www, echoed on the UART): the TLS 1.2 `Master-Key:` or
 * the TLS 1.3 `Resumption PSK:`, at the start of a line or after the prefix of the firmware that
 * echoed it (`I (1234) app: Master-Key: …`). A session secret, learned like a dumped one (the
 * credential patterns would also hide the PSK, for its `PSK`, but name it a credential).
 */
const MASTER_KEY = /(\b(?:Master-Key|Resumption PSK):\s*)([0-9A-Fa-f]+)/;
/** NSS key log lines (what SSLKEYLOGFILE holds), printed by firmware or echoed. */
const KEYLOG = /\b((?:CLIENT_RANDOM|CLIENT_EARLY_TRAFFIC_SECRET|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_\d+|SERVER_TRAFFIC_SECRET_\d+|EARLY_EXPORTER_SECRET|EXPORTER_SECRET)\s+[0-9a-fA-F]{16,}\s+)([0-9a-fA-F]{16,})/;
/** Firmware printing an exported private key (`psa_export_key() = 0`, `Exported private key:`). */
const EXPORT = /\bpsa_export_key\b|\bexport(?:ed)?[ _-](?:private[ _-])?key\b|\bprivate[ _-]key\b(?!.*-----)/i;
const NOT_EXPORT = /public/i;
/** A line that is only hex bytes (an exported key's rows), optionally after a prefix and an offset. */
const LOOSE_HEX = /^((?:\S*?:\d{1,5}:\s*)?(?:\|\d\|\s*)?(?:[0-9a-fA-F]{2,8}:\s+)?)((?:(?:0x)?[0-9a-fA-F]{2}[ ,:]?){4,})$/;
/** A label whose value is a secret, at the end of the text of a dump (the value follows in the next rows). */
const VALUE_LABEL = /(?:master[-_ ]?key|master[-_ ]?secret|private[-_ ]?key|pass(?:word|phrase)|psk|secret)\s*[:=]\s*"?([0-9A-Za-z+/=]*)$/i;
const VALUE_CHARS = /^[0-9A-Za-z+/=]*/;

/** The literals of the region openers (one regex scans faster than several includes). */
const MAY_START_SECRET = /-----BEGIN |dumping '|value of '|Master-Key|Resumption PSK|_SECRET|CLIENT_RANDOM|xport|rivate/;

/** Lines of other output after which a key block with no END is given up. */
const KEY_BLOCK_PATIENCE = 8;
/** Lines a loose hex block (exported key) waits for its next row. */
const EXPORT_PATIENCE = 4;
/** Bytes of a dump kept from one row to the next, to find what crosses rows. */
const CARRY = 24;
/** Open dumps kept at most (one per prefix). */
const MAX_DUMPS = 32;

export function isSecretDumpName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

interface OpenDump {
  kind: 'buf' | 'mpi';
  /** Byte offset of the next row (buf), or rows still expected (mpi). */
  next: number;
  length: number;
  bytes: string;
}

/** A hex dump of anything (application data): its tail, to find secrets that cross rows. */
interface RowCarry {
  /** The last bytes of the dump so far, buf[0, len), and room for one row after them. */
  buf: Uint8Array;
  len: number;
  /** Length of the run of base64 characters they end with. */
  run: number;
  /** A label's value (`Master-Key: 1AA9…`) continues in the next row. */
  inValue: boolean;
}

export interface RedactorOptions {
  /** `redact.patterns` of the config file: regex sources (see credentials.ts). */
  patterns?: readonly string[];
}

export class SecretRedactor {
  private inKey = false;
  private keyB64 = '';
  private keyMisses = 0;
  /** The end of the previous line, when it may be the first half of a BEGIN header. */
  private headerHead = '';
  /** Secret dumps whose rows are still expected, by prefix (file:line and %p context). */
  private readonly dumps = new Map<string, OpenDump>();
  /** Other hex dumps, by prefix: their last bytes and text. */
  private readonly carries = new Map<string, RowCarry>();
  /** An exported key's hex rows: bytes so far and the lines it may still wait. */
  private exported: { hex: string; patience: number } | null = null;
  readonly learned = new LearnedSecrets();
  private readonly patterns: CredentialPattern[];
  /** Lines redacted, by kind (for the recording's header and the summary). */
  readonly counts: Record<SecretKind, number> = { 'private-key': 0, 'session-secret': 0, credential: 0 };

  constructor(opts: RedactorOptions = {}) {
    this.patterns = compileCredentialPatterns(opts.patterns ?? []);
  }

  redact(text: string): Redacted {
    const r = this.step(text);
    if (r.secret) this.counts[r.secret]++;
    return r;
  }

  /**
   * How much of an unfinished line can be shown (written to a recording) now without ever
   * being changed by the redaction of the whole line: nothing while a secret region is open,
   * else up to the last blank before anything that could start a secret.
   */
  safePrefix(partial: string): number {
    if (this.inKey || this.dumps.size > 0 || this.exported || this.headerHead) return 0;
    for (const c of this.carries.values()) if (c.inValue) return 0;
    const risky = /-{2,}|dumping '|value of '|Master|_SECRET|CLIENT_RANDOM|xport|rivate|pass|pwd|psk|secret|key|token|credential|:\/\/|Bearer|Basic|eyJ|AKIA|ASIA|gh[pousr]_|xox|[0-9a-fA-F]{4}:/i;
    const m = risky.exec(partial);
    let cut = m ? m.index : partial.length;
    cut = partial.lastIndexOf(' ', cut - 1) + 1;
    // A run of separated hex may go on after the blank: step back over its bytes.
    cut = backOverSeparatedHex(partial, cut);
    // Learned values in what would be shown: not yet.
    if (cut > 0 && this.learned.find(partial.slice(0, cut)).length > 0) return 0;
    return cut;
  }

  /** Forget the regions (a device reset); learned values are kept: they may be echoed later. */
  reset(): void {
    this.inKey = false;
    this.keyB64 = '';
    this.headerHead = '';
    this.dumps.clear();
    this.carries.clear();
    this.exported = null;
  }

  private step(text: string): Redacted {
    const head = this.headerHead;
    this.headerHead = '';
    if (this.inKey) return this.inPrivateKey(text);
    if (head) {
      const end = splitHeaderEnd(head, text);
      if (end >= 0) return this.openKey(text, end, 0);
    }
    const quiet = this.dumps.size === 0 && this.carries.size === 0 && this.exported === null && this.learned.size === 0;
    if (quiet && !MAY_START_SECRET.test(text)) {
      return this.credentials(text) ?? this.watchHeader(text);
    }

    const row = parseRow(text);
    if (row) return this.hexRow(text, row) ?? { text, secret: null };
    if (this.dumps.size > 0) {
      const r = this.mpiRow(text);
      if (r) return r;
    }
    const mayStart = MAY_START_SECRET.test(text);
    if (mayStart) {
      const r = this.opener(text);
      if (r) return r;
    }
    if (mayStart || this.exported !== null) {
      const ex = this.exportedKey(text);
      if (ex) return ex;
    }
    return this.finish(text, null, false);
  }

  /** The lines that open a region or are a secret themselves (they all hold a MAY_START_SECRET literal). */
  private opener(text: string): Redacted | null {
    const begin = PRIV_BEGIN.exec(text);
    if (begin) return this.openKey(text, begin.index, begin[0].length);
    const dump = DUMP.exec(text);
    if (dump?.[1]) {
      const key = keyOf(text.slice(0, dump.index));
      // A new dump at the same place ends the one before, secret or not.
      if (this.dumps.has(key)) this.closeDump(key);
      const c = this.carries.get(key);
      if (c) c.len = 0;
      if (isSecretDumpName(dump[1])) {
        this.openDump(key, { kind: 'buf', next: 0, length: Number(dump[2]), bytes: '' });
        return { text, secret: 'session-secret', begins: true };
      }
    }
    const mpi = MPI.exec(text);
    if (mpi?.[1] && isSecretDumpName(mpi[1])) {
      const rows = Math.ceil(Math.ceil(Number(mpi[2]) / 8) / 16) || 1;
      this.openDump(keyOf(text.slice(0, mpi.index)), { kind: 'mpi', next: rows, length: rows, bytes: '' });
      return { text, secret: 'session-secret', begins: true };
    }
    const mk = MASTER_KEY.exec(text);
    if (mk) {
      this.learned.learn(fromHex(mk[2]!.length % 2 ? mk[2]!.slice(0, -1) : mk[2]!), 'session-secret');
      return { text: text.replace(MASTER_KEY, `$1${SESSION_SECRET_MARK}`), secret: 'session-secret', begins: true };
    }
    const kl = KEYLOG.exec(text);
    if (kl) {
      this.learned.learn(fromHex(kl[2]!), 'session-secret');
      const start = kl.index + kl[1]!.length;
      return this.finish(text.slice(0, start) + SESSION_SECRET_MARK + text.slice(start + kl[2]!.length), 'session-secret', true);
    }
    return null;
  }

  /** Credentials, then learned values: the last checks of every line. */
  private finish(text: string, secret: SecretKind | null, begins: boolean): Redacted {
    const c = this.credentials(text);
    if (c) {
      text = c.text;
      secret ??= 'credential';
      begins = true;
    }
    // The file:line and level prefix of a debug line cannot hold a secret: search after it.
    const from = bodyStart(text);
    const found = this.learned.size === 0 ? null : this.learned.find(text, from);
    if (found !== null && found.length > 0) {
      text = replaceRanges(text, found);
      secret ??= found[0]!.kind;
    }
    if (!secret) return this.watchHeader(text);
    this.watchHeader(text);
    return begins ? { text, secret, begins } : { text, secret };
  }

  private credentials(text: string): Redacted | null {
    const hits = findCredentials(text, this.patterns);
    if (hits.length === 0) return null;
    for (const h of hits) this.learned.learnText(h.value, 'credential');
    return { text: replaceRanges(text, hits.map((h) => ({ start: h.start, end: h.end, kind: 'credential' as const }))), secret: 'credential', begins: true };
  }

  /** Remembers a line end that may be half a BEGIN header; returns the line as it is. */
  private watchHeader(text: string): Redacted {
    if (text.includes('-')) {
      const m = HEADER_HEAD.exec(text.trimEnd());
      if (m && m[0].trim().length >= 1 && !PRIV_BEGIN.test(text)) this.headerHead = m[0].trim();
    }
    return { text, secret: null };
  }

  /** A BEGIN line: the header is text[at, at + length) (length 0: it began on the previous line and ends at `at`). */
  private openKey(text: string, at: number, length: number): Redacted {
    this.inKey = true;
    this.keyB64 = '';
    this.keyMisses = 0;
    this.dumps.clear();
    const headerEnd = at + length;
    const after = text.slice(headerEnd);
    const end = PRIV_END.exec(after);
    const middle = end ? after.slice(0, end.index) : after;
    const tail = end ? after.slice(end.index) : '';
    if (middle.trim()) this.keyB64 += middle.replace(/[^A-Za-z0-9+/=]/g, '');
    if (end) this.closeKey();
    return { text: text.slice(0, headerEnd) + (middle.trim() ? PRIVATE_KEY_MARK : middle) + tail, secret: 'private-key', begins: true };
  }

  private closeKey(): void {
    this.inKey = false;
    const der = fromBase64(this.keyB64);
    this.keyB64 = '';
    if (der.length === 0) return;
    this.learned.learn(der, 'private-key');
    // The private scalar of an EC key (SEC1 inside PKCS#8 or alone): `02 01 01 04 LL <scalar>`.
    const hex = toHex(der);
    const at = hex.indexOf('02010104');
    if (at >= 0 && at % 2 === 0) {
      const len = Number.parseInt(hex.slice(at + 8, at + 10), 16);
      if (len >= 16 && len <= 66) this.learned.learn(fromHex(hex.slice(at + 10, at + 10 + len * 2)), 'private-key');
    }
  }

  private inPrivateKey(text: string): Redacted {
    const end = PRIV_END.exec(text);
    if (end) {
      const before = text.slice(0, end.index);
      const run = B64_RUN.test(before);
      if (run) this.keyB64 += longestRun(before);
      this.closeKey();
      return { text: (run ? PRIVATE_KEY_MARK : before) + text.slice(end.index), secret: 'private-key' };
    }
    if (ANY_BEGIN.test(text)) {
      this.closeKey();
      return this.step(text);
    }
    const s = text.trim();
    if (!s) return { text, secret: 'private-key' };
    const body = s.replace(LINE_PREFIX, '').trim();
    const keyish = B64_RUN.test(s) || (!/\s/.test(body) && /^[A-Za-z0-9+/=]+$/.test(body)) || PEM_HEADER.test(s);
    if (!keyish) {
      // Another line between key lines: shown, and the block goes on (up to a limit).
      if (++this.keyMisses > KEY_BLOCK_PATIENCE) {
        this.closeKey();
        return this.step(text);
      }
      this.inKey = false;
      const other = this.step(text);
      this.inKey = true;
      return other;
    }
    this.keyMisses = 0;
    if (!PEM_HEADER.test(s)) this.keyB64 += longestRun(body) || body;
    return { text: PRIVATE_KEY_MARK, secret: 'private-key' };
  }

  private openDump(key: string, d: OpenDump): void {
    if (this.dumps.size >= MAX_DUMPS && !this.dumps.has(key)) this.closeDump(this.dumps.keys().next().value!);
    if (this.dumps.has(key)) this.closeDump(key);
    this.dumps.set(key, d);
  }

  private closeDump(key: string): void {
    const d = this.dumps.get(key);
    this.dumps.delete(key);
    if (d && d.bytes) this.learned.learn(fromHex(d.bytes), 'session-secret');
  }

  /** A hex dump row: of an open secret dump (hidden, learned), or of any dump (searched). */
  private hexRow(text: string, row: Row): Redacted | null {
    const key = row.key;
    const d = this.dumps.get(key) ?? (key === '' ? this.dumpExpecting(row.offset) : undefined);
    if (d && d.kind === 'buf' && row.offset === d.next) {
      d.bytes += toHex(ROW_BYTES.subarray(0, row.length));
      d.next += row.length;
      if (d.next >= d.length) this.closeDump([...this.dumps].find(([, v]) => v === d)![0]);
      return { text: text.slice(0, row.dataStart) + SESSION_SECRET_MARK, secret: 'session-secret' };
    }
    // Any other dump (application data, certificates): learned secrets and labelled values.
    let carry = this.carries.get(key);
    if (!carry) {
      if (this.carries.size >= MAX_DUMPS) this.carries.delete(this.carries.keys().next().value!);
      carry = { buf: new Uint8Array(CARRY + 16), len: 0, run: 0, inValue: false };
      this.carries.set(key, carry);
    }
    if (row.offset === 0) {
      carry.len = 0;
      carry.run = 0;
      carry.inValue = false;
    }
    const buf = carry.buf;
    const carried = carry.len;
    for (let i = 0; i < row.length; i++) buf[carried + i] = ROW_BYTES[i]!;
    const end = carried + row.length;
    let kind = this.learned.bytesHit(buf, Math.max(0, carried - 4), end);
    // The text of the bytes matters only with a run of base64/hex characters long enough to
    // hold a window, or a label's colon: most rows (encrypted records) have neither.
    let run = carry.run;
    let longest = run;
    let label = false;
    for (let i = carried; i < end; i++) {
      const c = buf[i]!;
      run = isB64Char(c) ? run + 1 : 0;
      if (run > longest) longest = run;
      if (c === 58 || c === 61) label = true;
    }
    let inValue = false;
    // The bytes become text only where the answer needs it: a third of a debug-4 log's rows
    // have a long run or a colon, and building their text was most of the time spent on rows.
    if (!kind && longest >= 8) {
      const k = this.learned.bytesTextHit(buf, carried, end);
      kind = k !== undefined ? k : this.learned.textHit(latin1(buf, 0, carried), latin1(buf, carried, end));
    }
    // VALUE_LABEL holds one of the label words (key, secret, pass, psk) before its colon.
    if (carry.inValue || (label && hasLabelWord(buf, end))) {
      const carryText = latin1(buf, 0, carried);
      const rowText = latin1(buf, carried, end);
      if (carry.inValue) {
        const cont = VALUE_CHARS.exec(rowText)![0];
        if (cont.length > 0) kind ??= 'session-secret';
        inValue = cont.length === rowText.length;
      }
      const m = VALUE_LABEL.exec(carryText + rowText);
      if (m && m.index + m[0].length > carryText.length - 1) {
        if (m[1]!.length > 0) kind ??= 'session-secret';
        inValue = true;
      }
    }
    // Keep the last CARRY bytes for the next row.
    if (end > CARRY) buf.copyWithin(0, end - CARRY, end);
    carry.len = Math.min(end, CARRY);
    carry.run = run;
    carry.inValue = inValue;
    if (!kind) return null;
    return { text: text.slice(0, row.dataStart) + markOf(kind), secret: kind };
  }

  /** A row with no prefix of its own (glued or re-wrapped lines): the one open dump at that offset. */
  private dumpExpecting(offset: number): OpenDump | undefined {
    for (const d of this.dumps.values()) if (d.kind === 'buf' && d.next === offset && offset > 0) return d;
    return undefined;
  }

  private mpiRow(text: string): Redacted | null {
    const m = MPI_ROW.exec(text);
    if (!m) return null;
    const key = keyOf(m[1]!);
    const d = this.dumps.get(key);
    if (!d || d.kind !== 'mpi') return null;
    d.bytes += m[2]!.replace(/ /g, '');
    if (--d.next <= 0) this.closeDump(key);
    return { text: m[1]! + SESSION_SECRET_MARK, secret: 'session-secret' };
  }

  /** `psa_export_key() = 0` / `Exported private key:` and the hex that follows (same line or next lines). */
  private exportedKey(text: string): Redacted | null {
    if (this.exported) {
      const row = NOT_EXPORT.test(text) ? null : LOOSE_HEX.exec(text.trimEnd());
      if (row) {
        const hex = row[2]!.replace(/0x|[^0-9a-fA-F]/g, '');
        this.exported.hex += hex;
        this.exported.patience = EXPORT_PATIENCE;
        // Learned at once, row by row: the key may be echoed before its block ends.
        this.learned.learn(fromHex(hex.length % 2 ? hex.slice(0, -1) : hex), 'private-key');
        return { text: row[1]! + PRIVATE_KEY_MARK, secret: 'private-key' };
      }
      // A public key export (or another export) ends the block; so do a few other lines.
      if (--this.exported.patience <= 0 || EXPORT.test(text) || /export_public_key|public key/i.test(text)) this.endExport();
    }
    if (!EXPORT.test(text) || NOT_EXPORT.test(text)) return null;
    this.exported = { hex: '', patience: EXPORT_PATIENCE };
    const tail = hexTail(text);
    if (tail) {
      this.exported.hex += tail.hex;
      this.learned.learn(fromHex(this.exported.hex.length % 2 ? this.exported.hex.slice(0, -1) : this.exported.hex), 'private-key');
      return this.finish(text.slice(0, tail.index) + PRIVATE_KEY_MARK, 'private-key', true);
    }
    return null;
  }

  private endExport(): void {
    const e = this.exported;
    this.exported = null;
    if (e && e.hex.length >= 2) this.learned.learn(fromHex(e.hex.length % 2 ? e.hex.slice(0, -1) : e.hex), 'private-key');
  }
}

/** Where a BEGIN header that started at the end of the previous line (`head`) ends in `text`, or -1. */
function splitHeaderEnd(head: string, text: string): number {
  const prefix = LINE_PREFIX.exec(text)![0].length;
  for (const from of [0, prefix, text.length - text.trimStart().length]) {
    const t = text.slice(from);
    const m = PRIV_BEGIN.exec(head + t);
    if (m && m.index < head.length) return from + m.index + m[0].length - head.length;
  }
  return -1;
}

/** The row just read (one object, reused: a debug-4 log is mostly rows). */
interface Row {
  /** The dump it belongs to (keyOf of the text before the offset). */
  key: string;
  offset: number;
  /** Its bytes are ROW_BYTES[0, length). */
  length: number;
  /** Where the bytes start (what stays of a hidden row ends here). */
  dataStart: number;
}

const isB64Char = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 45 || c === 95;
const hexVal = (c: number): number => (c <= 57 ? c - 48 : (c | 0x20) - 87);
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isWord = (c: number): boolean => isHex(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** `…0010:  1a a9 …  ascii` (mbedtls_debug_print_buf), read by character codes: most lines of a debug-4 log are rows. */
const CHAR = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/**
 * bytes[0, end) hold `key`, `secret`, `pass` or `psk` in any case: every alternative of
 * VALUE_LABEL does (its `i` flag folds no byte outside ASCII into ASCII).
 */
function hasLabelWord(bytes: Uint8Array, end: number): boolean {
  for (let i = 0; i + 2 < end; i++) {
    const c = bytes[i]! | 0x20;
    const d = bytes[i + 1]! | 0x20;
    const e = bytes[i + 2]! | 0x20;
    if (c === 107 /* k */ ? d === 101 && e === 121 /* ey */ : c === 112 /* p */ ? (d === 97 && e === 115 && (bytes[i + 3]! | 0x20) === 115) /* ass */ || (d === 115 && e === 107) /* sk */ : c === 115 /* s */ && d === 101 && e === 99 && (bytes[i + 3]! | 0x20) === 114 && (bytes[i + 4]! | 0x20) === 101 && (bytes[i + 5]! | 0x20) === 116) /* ecret */ return true;
  }
  return false;
}

/** bytes[from, end) as text, one character a byte (String.fromCharCode(...spread) is many times slower). */
function latin1(bytes: Uint8Array, from: number, end: number): string {
  let s = '';
  for (let i = from; i < end; i++) s += CHAR[bytes[i]!]!;
  return s;
}

/** Hex digit values by character code, -1 for the rest: one lookup per digit of a row. */
const HEX_OF = new Int8Array(128).fill(-1);
for (let c = 0; c < 128; c++) if (isHex(c)) HEX_OF[c] = hexVal(c);
/** A character's hex value, or -1 (also for NaN: charCodeAt past the end). */
const hexOf = (c: number): number => (c < 128 ? HEX_OF[c]! : -1);

let lastPrefix = '';
let lastKey = '';
/** Bytes of the row being read (parseRow fills it; hexRow copies what it keeps). */
const ROW_BYTES = new Uint8Array(16);
const ROW: Row = { key: '', offset: 0, length: 0, dataStart: 0 };

function parseRow(text: string): Row | null {
  const at = text.indexOf(':  ');
  if (at < 4) return null;
  let offset = 0;
  for (let i = at - 4; i < at; i++) {
    const c = text.charCodeAt(i);
    if (!isHex(c)) return null;
    offset = offset * 16 + hexVal(c);
  }
  if (at > 4 && isWord(text.charCodeAt(at - 5))) return null;
  let i = at + 1;
  while (text.charCodeAt(i) === 32) i++;
  const dataStart = i;
  let n = 0;
  while (n < 16) {
    const a = hexOf(text.charCodeAt(i));
    const b = hexOf(text.charCodeAt(i + 1));
    if ((a | b) < 0 || !(i + 2 === text.length || text.charCodeAt(i + 2) === 32)) break;
    ROW_BYTES[n++] = a * 16 + b;
    i += 3;
  }
  if (n === 0) return null;
  // Consecutive rows share their prefix: its key is worked out once. Compared as a slice: the
  // engine's string comparison beats startsWith, or a charCodeAt loop, several times over on a
  // line cut from its chunk (startsWith was a tenth of the redactor's time).
  const prefix = text.slice(0, at - 4);
  if (prefix !== lastPrefix) {
    lastPrefix = prefix;
    lastKey = keyOf(prefix);
  }
  ROW.key = lastKey;
  ROW.offset = offset;
  ROW.length = n;
  ROW.dataStart = dataStart;
  return ROW;
}

/** Where the message starts after an mbedTLS `file:line: |N| ` prefix (0 when there is none). */
function bodyStart(text: string): number {
  const bar = text.indexOf('| ');
  return bar >= 2 && bar < 300 && text.charCodeAt(bar - 2) === 124 /* | */ ? bar + 2 : 0;
}

const keys = new Map<string, string>();

/** Which dump a row belongs to: its `file:line:` and `%p` context (the level and glued text aside). */
function keyOf(prefix: string): string {
  let k = keys.get(prefix);
  if (k === undefined) {
    if (keys.size > 512) keys.clear();
    k = computeKey(prefix);
    keys.set(prefix, k);
  }
  return k;
}

function computeKey(prefix: string): string {
  // From the end: an optional `0x…:` context, an optional `|N|` level, then `file:line:`.
  const words = prefix.trim().split(/\s+/);
  let ctx = '';
  let last = words.pop() ?? '';
  if (/^0x[0-9a-fA-F]{1,16}:$/.test(last)) {
    ctx = last.slice(0, -1);
    last = words.pop() ?? '';
  }
  if (/^\|\d\|$/.test(last)) last = words.pop() ?? '';
  const file = /^\S*?:\d{1,5}:$/.test(last) ? last.slice(Math.max(0, last.lastIndexOf(' ') + 1)) : '';
  return file ? `${file}${ctx}` : ctx;
}

/** The run of hex bytes a line ends with (8 bytes or more: an exported key after its label), or null. */
function hexTail(text: string): { index: number; hex: string } | null {
  const t = text.trimEnd();
  let i = t.length;
  while (i > 0 && /[0-9a-fA-Fx ,:]/.test(t[i - 1]!)) i--;
  while (i < t.length && /[ ,:]/.test(t[i]!)) i++;
  const hex = t.slice(i).replace(/0x|[^0-9a-fA-F]/g, '');
  if (hex.length < 16 || hex.length % 2 !== 0) return null;
  return { index: i, hex };
}

/** Where a run of separated hex bytes (`1a a9 `) that ends at `cut` begins: it may go on after the blank. */
function backOverSeparatedHex(text: string, cut: number): number {
  let i = cut;
  for (;;) {
    let j = i;
    while (j > 0 && /[ ,:-]/.test(text[j - 1]!)) j--;
    if (j === i || j < 2 || !isHex(text.charCodeAt(j - 1)) || !isHex(text.charCodeAt(j - 2))) return i;
    let k = j - 2;
    if (k >= 2 && text[k - 1] === 'x' && text[k - 2] === '0') k -= 2;
    i = k;
  }
}

function longestRun(text: string): string {
  let best = '';
  for (const m of text.matchAll(B64_RUN_G)) if (m[0].length > best.length) best = m[0];
  return best;
}

/** Replaces the (possibly overlapping) ranges with the marks of their kinds. */
function replaceRanges(text: string, found: readonly Found[]): string {
  const sorted = [...found].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let i = 0;
  while (i < sorted.length) {
    const f = sorted[i]!;
    let end = f.end;
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.start < end) end = Math.max(end, sorted[j++]!.end);
    if (f.start >= at) {
      out += text.slice(at, f.start) + markOf(f.kind);
      at = end;
    } else at = Math.max(at, end);
    i = j;
  }
  return out + text.slice(at);
}
