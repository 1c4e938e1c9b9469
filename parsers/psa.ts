/**
 * PSA Crypto results and key descriptions in the ways firmware prints them:
 *   `psa_generate_key() = 0`, `psa_export_public_key returned -141`,
 *   `psa_sign_hash() returned -133 (-0x0085)` (the mbedTLS RET form),
 *   `status: PSA_ERROR_NOT_SUPPORTED` / a bare `PSA_ERROR_NOT_PERMITTED` (tied to the psa_*
 *   function named on one of the few lines before, else fn `unknown`),
 *   key attribute lines (`Key ID: 0x1`, `type=0x7112 bits=256 alg=0x06000609 …`, one line or
 *   several consecutive ones), the `hsmon:` key line (keyline.ts), mbedTLS
 *   `Perform PSA-based ECDH computation.` steps, and the device clock from
 *   `client hello, current time: N` / `hsmon: time …`.
 */
import type { Base, DeviceEvent, Line, Prefixed } from './events.ts';
import { NO_EVENTS, type FamilyParser } from './family.ts';
import { isHexRow } from './mbedtls/hex-row.ts';
import { textAfter, tighten } from './linear-text.ts';
import { boundedInt, quoteNumber } from './device-number.ts';
import {
  normalizePoint,
  parseAlg,
  parseIntToken,
  parseKeyline,
  parseKeyType,
  parseLifetime,
  parseStatusToken,
  parseUsage,
  statusName,
  type KeyAttrs,
} from './keyline.ts';
import { psaStatus } from './tables/psa-status.ts';

type E<K extends string, F> = Base & { kind: K } & F;

export type PsaEvent =
  /** A PSA function's result. `fn` is `unknown` when the line gave a status but no function. */
  | E<'psa.call', { fn: string; status: number; name: string | null; meaning: string | null; keyId?: number | null }>
  /** A key's attributes as printed (`hsmon: key …` or free-form attribute lines). */
  | E<'psa.key', KeyAttrs & { statusName: string | null; source: 'hsmon' | 'log' }>
  /** A step with no status of its own: mbedTLS `Perform PSA-based …` lines and `hsmon: step`. */
  | E<'psa.step', { name: string; fn: string | null; status: number | null; statusName: string | null; source: 'mbedtls' | 'hsmon' }>
  /** A public key the device printed as an EC point (lowercase hex). */
  | E<'psa.pubkey', { id: number | null; point: string; source: 'hsmon' | 'log' }>
  /** The device's own clock (for certificate validity), UTC ISO-8601. */
  | E<'device.clock', { iso: string; source: 'hsmon' | 'mbedtls' }>;

type Fields<K extends PsaEvent['kind']> = Omit<Extract<PsaEvent, { kind: K }>, 't' | 'line' | 'ctx'>;

/** PSA_MAX_KEY_BITS (0xfff8): a larger `bits` is no key size. */
const MAX_KEY_BITS = 0xfff8;
/** The last second a JavaScript Date can hold (8.64e15 ms). */
const MAX_CLOCK_S = 8.64e12;

/** Seconds since 1970 as ISO-8601; null for a number no Date can hold. */
function clockIso(digits: string): string | null {
  const s = boundedInt(digits, MAX_CLOCK_S);
  return s === null ? null : new Date(s * 1000).toISOString();
}

/** How many lines back a bare status may look for the psa_* function it belongs to. */
const CONTEXT_LINES = 5;

// No `==` beside `=` (a run of `=` is read one at a time: two ways to split it made a banner of
// `=` after a cut `psa_…` exponential) and an argument list of bounded length.
const FN_STATUS =
  /\b(psa_[a-z0-9_]+)\s*(?:(\([^)]{0,256}\))\s*)?(?:(?:=|->|:|,|\breturned\b|\breturns\b|\breturn\b|\bfailed\b|\bstatus\b|\berror\b|\berr\b|\bret\b|\bresult\b|\bcode\b|\bwith\b)\s*)+(PSA_[A-Z_]+|-?0x[0-9a-fA-F]+|-?\d+)\b/;
const FN_NAME = /\b(psa_[a-z0-9_]+)\b/g;
const BARE_STATUS_NAME = /\bPSA_(?:SUCCESS|OPERATION_INCOMPLETE|ERROR_[A-Z_]+)\b/;
const BARE_STATUS_NUM = /\bstatus\s*[:=]\s*(-?0x[0-9a-fA-F]+|-?\d+)\b/i;
const KEY_ID = /\bkey[ _]?id\s*(?:[:=]\s*)?(0x[0-9a-fA-F]+|\d+)\b|\bid\s*=\s*(0x[0-9a-fA-F]+|\d+)\b/i;
const MBEDTLS_TIME = /\bclient hello, current time: (\d+)\b/;
const PUBKEY_LINE = /public[ _]?key/i;
const HEX_RUN = /(?:[0-9a-fA-F]{2}[:\s]?){33,97}/;
// The value is a whole token that is not itself a label (`psa key: lifetime = persistent`:
// `lifetime` labels the next pair, it is not the value of `psa key`).
const ATTR_PAIR = /([A-Za-z][A-Za-z_. ]{0,24}?)\s*[:=]\s*([^\s,;]+)(?![^\s,;]|\s*[:=])/g;
/** `Session key attributes:`: a heading whose lines follow, in any order. */
const KEY_HEADING = /^\s*[A-Za-z][A-Za-z0-9_ .-]{0,40}:\s*$/;

type AttrName = keyof KeyAttrs;

function attrOf(label: string): AttrName | null {
  const words = label.trim().toLowerCase().split(/[\s_]+/);
  const last = words[words.length - 1] ?? '';
  const prev = words[words.length - 2] ?? '';
  if (prev === 'cert.' || prev === 'cert') return null;
  switch (last) {
    case 'id': case 'handle': return 'id';
    case 'type': return 'type';
    case 'bits': return 'bits';
    case 'alg': case 'algorithm': return 'alg';
    case 'usage': return 'usage';
    case 'flags': return prev === 'usage' ? 'usage' : null;
    case 'lifetime': return 'lifetime';
    case 'status': return 'status';
    default: return null;
  }
}

function parseAttr(name: AttrName, v: string): KeyAttrs[AttrName] {
  switch (name) {
    case 'id': { const n = parseIntToken(v); return n !== null && n >= 0 ? n : null; }
    case 'type': return parseKeyType(v);
    case 'bits': return boundedInt(v, MAX_KEY_BITS);
    case 'alg': return parseAlg(v);
    case 'usage': return parseUsage(v);
    case 'lifetime': return parseLifetime(v);
    case 'status': { const n = parseStatusToken(v); return n !== null && n <= 0 ? n : null; }
  }
}

/**
 * A necessary condition for keyAttrsOf to find an attribute (`keyStart`: one that can start a
 * key description, id or type), cheap enough for every line: some `:` or `=` has, before it
 * (blanks skipped), a run of letters that attrOf knows as a label's last word. (A label's last
 * word is exactly that run: a letter before it would have started the leftmost match earlier.)
 * Most device lines have a colon (`client state: …`) but no such word, and the pair regex is slow.
 */
export function mayHoldAttrs(text: string, keyStart: boolean): boolean {
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) if (labelBefore(text, i, keyStart)) return true;
  for (let i = text.indexOf('='); i !== -1; i = text.indexOf('=', i + 1)) if (labelBefore(text, i, keyStart)) return true;
  return false;
}

function labelBefore(text: string, at: number, keyStart: boolean): boolean {
  let j = at - 1;
  let d = text.charCodeAt(j);
  while (j >= 0 && (d <= 32 || d >= 127)) {
    // Non-ASCII may be a blank to \s: let the regex decide.
    if (d >= 127) return true;
    d = text.charCodeAt(--j);
  }
  const end = j + 1;
  while (j >= 0 && isLetter(text.charCodeAt(j))) j--;
  return isAttrWord(text, j + 1, end, keyStart);
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The label words of attrOf, lower case, by length; the first three can start a key. */
const KEY_START_WORDS = ['id', 'type', 'handle'];
const OTHER_WORDS = ['bits', 'alg', 'algorithm', 'usage', 'flags', 'lifetime', 'status'];

/** text[from..to) (letters) equals one of the words, ignoring case; no string is built. */
function isAttrWord(text: string, from: number, to: number, keyStart: boolean): boolean {
  const len = to - from;
  if (len < 2 || len > 9) return false;
  return matchesAny(text, from, len, KEY_START_WORDS) || (!keyStart && matchesAny(text, from, len, OTHER_WORDS));
}

function matchesAny(text: string, from: number, len: number, words: readonly string[]): boolean {
  next: for (const w of words) {
    if (w.length !== len) continue;
    // Letters only: setting 0x20 lower-cases them.
    for (let k = 0; k < len; k++) if ((text.charCodeAt(from + k) | 0x20) !== w.charCodeAt(k)) continue next;
    return true;
  }
  return false;
}

/**
 * Every PSA line except a key attribute line holds one of these (the literals of HEAD in
 * keyline.ts, PSA_STEP, MBEDTLS_TIME, FN_NAME/FN_STATUS, BARE_STATUS_NAME, PUBKEY_LINE).
 */
const MAY_BE_PSA = /hsmon:|Perform PSA-based |client hello, current time: |psa_|PSA_|[Pp][Uu][Bb][Ll][Ii][Cc][ _]?[Kk][Ee][Yy]/;

/** A line that starts a key description names a key. */
const KEY_WORD = /\b(key|psa)\b|key_|_key/i;

/** Key attributes a free-form line holds (empty when none). */
export function keyAttrsOf(text: string): Partial<KeyAttrs> {
  return mayHoldAttrs(text, false) ? scanKeyAttrs(text) : {};
}

/** keyAttrsOf without the cheap pre-test (exported for the test that the pre-test never rejects a line it would accept). */
export function scanKeyAttrs(text: string): Partial<KeyAttrs> {
  const out: Partial<KeyAttrs> = {};
  for (const m of tighten(text, '|').matchAll(ATTR_PAIR)) {
    const name = attrOf(m[1] ?? '');
    if (!name || out[name] !== undefined) continue;
    const v = parseAttr(name, m[2] ?? '');
    if (v !== null) (out as Record<string, unknown>)[name] = v;
  }
  return out;
}

function keyIdOf(body: string): number | null {
  const keyIdM = KEY_ID.exec(body);
  const keyTok = keyIdM?.[1] ?? keyIdM?.[2];
  return keyTok ? parseIntToken(keyTok) : null;
}

function pushEvent<K extends PsaEvent['kind']>(out: DeviceEvent[], base: Base, f: Fields<K>): void {
  out.push({ ...base, ...f } as unknown as PsaEvent);
}

function emptyAttrs(): KeyAttrs {
  return { id: null, type: null, bits: null, alg: null, usage: null, lifetime: null, status: null };
}

export class PsaParser implements FamilyParser {
  private lastFn: { fn: string; seq: number } | null = null;
  private pending: { attrs: KeyAttrs; t: number; line: number; ctx: string | null } | null = null;

  feed(segment: Prefixed, line: Line): DeviceEvent[] {
    const body = segment.body;
    // A hex dump row is never a PSA line, but like any line without attributes it ends a
    // multi-line key description.
    if (isHexRow(body)) {
      if (this.pending === null) return NO_EVENTS;
      const out: DeviceEvent[] = [];
      this.flushPending(out);
      return out.length === 0 ? NO_EVENTS : out;
    }
    // Most lines are none of the forms below: decide that before building anything.
    if (
      this.pending === null &&
      !(this.lastFn !== null && line.seq - this.lastFn.seq <= CONTEXT_LINES) &&
      !MAY_BE_PSA.test(body) &&
      !mayHoldAttrs(body, true) &&
      !(body.charCodeAt(body.length - 1) === 58 /* : */ && KEY_HEADING.test(body) && KEY_WORD.test(body))
    ) {
      return NO_EVENTS;
    }
    const ctx = segment.ctx ?? null;
    const base = { t: line.t, line: line.seq, ctx };
    const out: DeviceEvent[] = [];
    const emit = <K extends PsaEvent['kind']>(f: Fields<K>): void => pushEvent(out, base, f);

    const kl = body.includes('hsmon:') ? parseKeyline(body) : null;
    if (kl) {
      this.flushPending(out);
      switch (kl.what) {
        case 'key': {
          const { what: _w, ...attrs } = kl;
          emit<'psa.key'>({ kind: 'psa.key', ...attrs, statusName: statusName(attrs.status), source: 'hsmon' });
          break;
        }
        case 'step':
          emit<'psa.step'>({ kind: 'psa.step', name: kl.name, fn: kl.fn, status: kl.status, statusName: statusName(kl.status), source: 'hsmon' });
          break;
        case 'pubkey':
          emit<'psa.pubkey'>({ kind: 'psa.pubkey', id: kl.id, point: kl.point, source: 'hsmon' });
          break;
        case 'time':
          emit<'device.clock'>({ kind: 'device.clock', iso: kl.iso, source: 'hsmon' });
          break;
      }
      return out;
    }

    const step = textAfter(body, 'Perform PSA-based ');
    if (step !== null) {
      this.flushPending(out);
      emit<'psa.step'>({ kind: 'psa.step', name: step, fn: null, status: null, statusName: null, source: 'mbedtls' });
      return out;
    }

    const clock = body.includes('client hello, current time: ') ? MBEDTLS_TIME.exec(body) : null;
    if (clock?.[1]) {
      const iso = clockIso(clock[1]);
      // A board without an RTC prints -1 as an unsigned 64-bit number: no date at all.
      if (iso === null) out.push({ kind: 'tls.anomaly', ...base, message: `device clock is no date: current time ${quoteNumber(clock[1])} s since 1970` });
      else emit<'device.clock'>({ kind: 'device.clock', iso, source: 'mbedtls' });
      return out;
    }

    const call = this.callOf(body, line.seq);
    if (call) {
      this.flushPending(out);
      const info = psaStatus(call.status);
      emit<'psa.call'>({ kind: 'psa.call', fn: call.fn, status: call.status, name: info?.name ?? null, meaning: info?.meaning ?? null, keyId: call.keyId });
      return out;
    }

    if (PUBKEY_LINE.test(body)) {
      const run = HEX_RUN.exec(body);
      const point = run ? normalizePoint(run[0]) : null;
      if (point) {
        this.flushPending(out);
        const id = KEY_ID.exec(body);
        const idTok = id?.[1] ?? id?.[2];
        emit<'psa.pubkey'>({ kind: 'psa.pubkey', id: idTok ? parseIntToken(idTok) : null, point, source: 'log' });
        return out;
      }
    }

    this.keyAttrLine(body, base, out);
    return out.length === 0 ? NO_EVENTS : out;
  }

  /** A row only ends a pending key description. */
  wantsHexRow(): boolean {
    return this.pending !== null;
  }

  flush(): DeviceEvent[] {
    const out: DeviceEvent[] = [];
    this.flushPending(out);
    return out;
  }

  private callOf(body: string, seq: number): { fn: string; status: number; keyId: number | null } | null {
    // FN_NAME and FN_STATUS need `psa_`, BARE_STATUS_NAME `PSA_`, BARE_STATUS_NUM a psa_
    // function named on a recent line: without those the line holds no call.
    const lower = body.includes('psa_');
    const recent = this.lastFn !== null && seq - this.lastFn.seq <= CONTEXT_LINES;
    if (!lower && !recent && !body.includes('PSA_')) return null;
    if (lower) for (const m of body.matchAll(FN_NAME)) if (m[1]) this.lastFn = { fn: m[1], seq };
    const keyId = (): number | null => keyIdOf(body);
    const m = lower ? FN_STATUS.exec(body) : null;
    if (m?.[1] && m[3]) {
      const status = parseStatusToken(m[3]);
      // PSA statuses are 0 or negative; a positive number after `psa_x:` is something else.
      if (status !== null && status <= 0) return { fn: m[1], status, keyId: keyId() };
    }
    const recentFn = this.lastFn && seq - this.lastFn.seq <= CONTEXT_LINES ? this.lastFn.fn : null;
    const named = BARE_STATUS_NAME.exec(body);
    if (named) {
      const status = parseStatusToken(named[0]);
      if (status !== null) return { fn: recentFn ?? 'unknown', status, keyId: keyId() };
    }
    const num = recentFn ? BARE_STATUS_NUM.exec(body) : null;
    if (num?.[1] && recentFn) {
      const status = parseStatusToken(num[1]);
      if (status !== null && status <= 0) return { fn: recentFn, status, keyId: keyId() };
    }
    return null;
  }

  private keyAttrLine(body: string, base: Base, out: DeviceEvent[]): void {
    if (!body.trim()) return;
    // With no key description open, only a line that names a key can start one: the test comes
    // before the attribute scan, which many mbedTLS lines would reach (`type = 1`).
    const namesKey = KEY_WORD.test(body);
    if (this.pending === null && !namesKey) return;
    if (namesKey && KEY_HEADING.test(body)) {
      // A heading opens a description whose attribute lines may come in any order (the id
      // need not be first); it is kept only if two attributes follow.
      this.flushPending(out);
      this.pending = { attrs: emptyAttrs(), t: base.t, line: base.line, ctx: base.ctx ?? null };
      return;
    }
    const attrs = keyAttrsOf(body);
    if (this.pending === null && attrs.id === undefined && attrs.type === undefined) return;
    const names = Object.keys(attrs) as AttrName[];
    const starts = (attrs.id !== undefined || attrs.type !== undefined) && namesKey;
    if (names.length === 0 || (!starts && !this.pending)) {
      this.flushPending(out);
      return;
    }
    if (this.pending && names.some((n) => this.pending!.attrs[n] !== null)) this.flushPending(out);
    if (!this.pending) {
      if (!starts) return;
      this.pending = { attrs: emptyAttrs(), t: base.t, line: base.line, ctx: base.ctx ?? null };
    }
    Object.assign(this.pending.attrs, attrs);
  }

  private flushPending(out: DeviceEvent[]): void {
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    const known = Object.values(p.attrs).filter((v) => v !== null).length;
    if (known < 2) return;
    out.push({ kind: 'psa.key', t: p.t, line: p.line, ctx: p.ctx, ...p.attrs, statusName: statusName(p.attrs.status), source: 'log' });
  }
}
