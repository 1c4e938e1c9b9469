/**
 * PEM blocks printed on the UART: CERTIFICATE, CERTIFICATE REQUEST, PUBLIC KEY, any PRIVATE KEY.
 * Blocks arrive spread over lines, with the Infineon callback's blank ` ` lines between, with
 * prefixes glued in front (`ssl_tls.c:123: -----BEGIN…`, cy_log stamps), sometimes interleaved
 * with other tasks' output. A truncated or corrupt block becomes a `cert.pem` event with
 * `complete: false` and a reason, never an exception; the parser then carries on.
 *
 * Memory is bounded: a block keeps at most MAX_BLOCK_BASE64 characters of base64.
 */
import type { Base, DeviceEvent, Line, Prefixed } from './events.ts';
import { NO_EVENTS, type FamilyParser } from './family.ts';
import { lastTokenStart } from './linear-text.ts';

export type PemIncompleteReason =
  /** No END line: another BEGIN, the end of the input, or too much unrelated output came first. */
  | 'truncated'
  /** Characters that are not base64, padding in the middle, or a length that is not a multiple of 4. */
  | 'corrupt'
  /** More than MAX_BLOCK_BASE64 characters of base64: not kept. */
  | 'too-large'
  /** END names another label than BEGIN. */
  | 'label-mismatch';

/** PEM blocks seen on the UART (owned by the keys/certificates work). */
export type PemEvent = Base & {
  kind: 'cert.pem';
  /** As printed between `BEGIN ` and `-----`: `CERTIFICATE`, `CERTIFICATE REQUEST`, `PUBLIC KEY`, `EC PRIVATE KEY`, … */
  label: string;
  /** The base64 body without whitespace; always '' for private keys (hsmon never carries them) and too-large blocks. */
  body: string;
  complete: boolean;
  /** The label names a private key: a leaked key (finding `private-key-exposed`). */
  secret: boolean;
  /** Seq of the BEGIN line (also in `line`) and of the END line (or the last line of the block). */
  startLine: number;
  endLine: number;
  reason?: PemIncompleteReason;
  /** Human detail for an incomplete block (which line, which character). */
  detail?: string;
};

export const MAX_BLOCK_BASE64 = 64 * 1024;
/** Lines of unrelated text inside a block after which it is given up as truncated. */
const MAX_FOREIGN_LINES = 8;

const MARKER = /-----(BEGIN|END) ([A-Z0-9][A-Z0-9 #._-]*?)-----/g;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const B64_CHARS_AND_SPACES = /^[A-Za-z0-9+/=\s]+$/;
/** What may stand in front of a base64 line: a source location, a cy_log stamp, a `|N|` level. */
const PREFIX_END = /(?::|\]|\|\d\||\d\d:\d\d:\d\d\.\d{3})\s*$/;
/** The line SecretRedactor puts in place of private key material. */
const REDACTED = /\[redacted by hsmon: [^\]]*\]/;

interface Open {
  label: string;
  secret: boolean;
  parts: string[];
  size: number;
  t: number;
  startLine: number;
  lastLine: number;
  ctx: string | null;
  corrupt: string | null;
  tooLarge: boolean;
  foreign: number;
}

export function isPrivateKeyLabel(label: string): boolean {
  return /PRIVATE KEY$/.test(label);
}

export class PemParser implements FamilyParser {
  private open: Open | null = null;

  feed(segment: Prefixed, line: Line): DeviceEvent[] {
    const text = segment.body;
    // Outside a block only a marker matters, and every marker holds five dashes.
    if (this.open === null && !text.includes('-----')) return NO_EVENTS;
    const out: PemEvent[] = [];
    let pos = 0;
    MARKER.lastIndex = 0;
    for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
      if (this.open) this.body(text.slice(pos, m.index), line, out, pos === 0 ? 'before' : 'between');
      pos = m.index + m[0].length;
      const label = m[2] ?? '';
      if (m[1] === 'BEGIN') {
        if (this.open) this.close(out, 'truncated', `no END line before the BEGIN ${label} on line ${line.seq}`);
        this.open = {
          label, secret: isPrivateKeyLabel(label), parts: [], size: 0, t: line.t, startLine: line.seq,
          lastLine: line.seq, ctx: segment.ctx ?? null, corrupt: null, tooLarge: false, foreign: 0,
        };
      } else if (this.open) {
        this.open.lastLine = line.seq;
        if (label !== this.open.label) this.close(out, 'label-mismatch', `BEGIN ${this.open.label} ended by END ${label} on line ${line.seq}`);
        else this.close(out);
      }
    }
    if (this.open && pos === 0) this.body(text, line, out, 'line');
    else if (this.open && pos < text.length) this.body(text.slice(pos), line, out, 'between');
    if (this.open && line.truncated && !this.open.corrupt) this.open.corrupt = `line ${line.seq} was cut by the line length cap`;
    return out.length === 0 ? NO_EVENTS : out;
  }

  /** Outside a block a row cannot start one (a BEGIN marker is longer than its text column). */
  wantsHexRow(): boolean {
    return this.open !== null;
  }

  flush(): DeviceEvent[] {
    const out: PemEvent[] = [];
    if (this.open) this.close(out, 'truncated', 'no END line before the end of the input');
    return out;
  }

  /**
   * One piece of body text: a whole line, the text in front of a marker (a prefix the profile
   * left, or base64 glued to END), or the text after/between markers on one line.
   */
  private body(raw: string, line: Line, out: PemEvent[], where: 'line' | 'before' | 'between'): void {
    const o = this.open;
    if (!o) return;
    const s = raw.trim();
    if (!s) return;
    if (where === 'before' && !B64.test(s)) return;
    o.lastLine = line.seq;
    if (o.secret && REDACTED.test(s)) return;
    let b64: string | null = null;
    if (B64.test(s) || (where === 'between' && B64_CHARS_AND_SPACES.test(s))) {
      b64 = s.replace(/\s+/g, '');
    } else {
      const lastSpace = lastTokenStart(s);
      const last = s.slice(lastSpace);
      const before = s.slice(0, lastSpace);
      if (lastSpace > 0 && B64.test(last) && PREFIX_END.test(before)) b64 = last;
      else if (!/\s/.test(s) || B64_CHARS_AND_SPACES.test(s)) {
        // One token with bad characters (UART noise, a dropped byte) or base64 split by spaces.
        if (!o.corrupt) o.corrupt = `line ${line.seq}: not base64: ${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)}`;
        return;
      } else {
        o.foreign += 1;
        if (o.foreign > MAX_FOREIGN_LINES) this.close(out, 'truncated', `no END line; other output from line ${line.seq} on`);
        return;
      }
    }
    if (o.tooLarge) return;
    if (o.size + b64.length > MAX_BLOCK_BASE64) {
      o.tooLarge = true;
      o.parts = [];
      return;
    }
    if (!o.secret) o.parts.push(b64);
    o.size += b64.length;
  }

  private close(out: PemEvent[], reason?: PemIncompleteReason, detail?: string): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    const body = o.parts.join('');
    let r = reason;
    let d = detail;
    if (!r && o.tooLarge) { r = 'too-large'; d = `more than ${MAX_BLOCK_BASE64} characters of base64`; }
    if (!r && o.corrupt) { r = 'corrupt'; d = o.corrupt; }
    if (!r && !o.secret) {
      const bad = base64Problem(body);
      if (bad) { r = 'corrupt'; d = bad; }
    }
    const ev: PemEvent = {
      kind: 'cert.pem', t: o.t, line: o.startLine, ctx: o.ctx, label: o.label,
      body: o.secret || o.tooLarge ? '' : body, complete: !r, secret: o.secret,
      startLine: o.startLine, endLine: o.lastLine,
    };
    if (r) ev.reason = r;
    if (d) ev.detail = d;
    out.push(ev);
  }
}

function base64Problem(body: string): string | null {
  if (body.length === 0) return 'empty body';
  if (!B64.test(body)) return 'padding (=) in the middle of the body: a line is missing or was cut';
  if (body.length % 4 !== 0) return `body length ${body.length} is not a multiple of 4: characters were lost`;
  return null;
}
