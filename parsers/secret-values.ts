/**
 * Secret values the redactor has learned (a master secret, traffic secrets, an exported key, a
 * private key's DER, a Wi-Fi passphrase) and the search for them, in any form, in later text:
 * hex (continuous or separated, either case, `0x` C arrays), base64 (at every byte alignment,
 * also base64url), the bytes of a hex dump row (across row boundaries) and plain text.
 *
 * Matching is by windows: every run of WINDOW bytes of a secret is indexed, so a fragment is
 * found wherever the printout cuts it. A fragment shorter than a window at the very edge of a
 * line can stay visible (at most 4 bytes of a secret, never the secret).
 */
import type { SecretKind } from './secrets.ts';

/** Bytes per window: 5. 4 would match random rows of a long debug-4 log. */
const WINDOW = 5;
/** The same as hex digits and as base64 characters (a little over 5 bytes: 48 bits). */
const HEX_CHARS = 10;
const B64_CHARS = 8;
/** Learned values kept at most; the oldest are forgotten first. */
const MAX_SECRETS = 256;
/** Shortest byte secret worth learning: shorter ones would match by chance. */
export const MIN_SECRET_BYTES = 8;
/** Shortest credential text learned for plain-text search. */
export const MIN_LITERAL = 6;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['-'.charCodeAt(0)] = 62;
B64_INDEX['_'.charCodeAt(0)] = 63;

export function toHex(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The base64 characters fully determined by `bytes` (whole 3-byte groups only). */
export function base64Core(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  return s;
}

export function base64(bytes: Uint8Array): string {
  const whole = bytes.length - (bytes.length % 3);
  let s = base64Core(bytes.subarray(0, whole));
  const rest = bytes.length - whole;
  if (rest === 1) {
    const n = bytes[whole]! << 16;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return s;
}

/** Decodes base64 (or base64url); characters outside the alphabet are skipped. */
export function fromBase64(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Text as UTF-8 bytes, without TextEncoder (parsers/ has no lib.dom). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Separated hex of at least 5 bytes: `1a a9 aa`, `1A:A9:AA`, `0x1a, 0xa9` (continuous hex is found by the scanner). */
const SEPARATED_HEX = /(?:0[xX])?[0-9a-fA-F]{2}(?:(?:[ :,-]|, )(?:0[xX])?[0-9a-fA-F]{2}){4,}/g;
/** Cheap test for SEPARATED_HEX: three separated pairs. */
const MAY_BE_SEPARATED = /[0-9a-fA-F]{2}(?:[ :,-]|, )(?:0[xX])?[0-9a-fA-F]{2}(?:[ :,-]|, )(?:0[xX])?[0-9a-fA-F]{2}(?:[ :,-]|, )/;
const HEX_SEP = /0[xX]|[^0-9a-fA-F]/g;

const isHexCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** base64 and base64url alphabet: its value, or -1. */
const b64Value = (c: number): number => (c < 128 ? B64_INDEX[c]! : -1);

export interface Found {
  start: number;
  end: number;
  kind: SecretKind;
}

/** No finding (shared: most lines have none, and an empty array each would be garbage). */
const NONE: Found[] = [];

/** A window of WINDOW bytes as one number (40 bits: exact in a double), for a Map lookup without strings. */
function windowKey(b: ArrayLike<number>, i: number): number {
  return (((b[i]! * 256 + b[i + 1]!) * 256 + b[i + 2]!) * 256 + b[i + 3]!) * 256 + b[i + 4]!;
}

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

export class LearnedSecrets {
  private readonly windows = new Map<number, SecretKind>();
  /**
   * The first two bytes of every window, as a bitmap: a position whose pair is not in it cannot
   * start a window, and one array read rejects almost every position of every line.
   */
  private readonly starts = new Uint8Array(65536);
  /** Every 10 hex digits (40 bits) of a secret's hex, from each byte; `hexStarts`: their first 3 digits. */
  private readonly hexWindows = new Map<number, SecretKind>();
  private readonly hexStarts = new Uint8Array(4096);
  /** Every 8 base64 characters (48 bits) of a secret's base64 at each byte alignment; `b64Starts`: their first 2. */
  private readonly b64Windows = new Map<number, SecretKind>();
  private readonly b64Starts = new Uint8Array(4096);
  private readonly literals: { text: string; kind: SecretKind }[] = [];
  private readonly known: string[] = [];

  get size(): number {
    return this.known.length + this.literals.length;
  }

  /** Remember a byte secret; every later occurrence of 5 or more of its bytes is found. */
  learn(bytes: Uint8Array, kind: SecretKind): void {
    if (bytes.length < MIN_SECRET_BYTES) return;
    const hex = toHex(bytes);
    if (this.known.includes(hex)) return;
    if (this.known.length >= MAX_SECRETS) this.forget(this.known.shift()!);
    this.known.push(hex);
    // One index for every form: hex and base64 text are decoded to bytes before the lookup.
    for (let i = 0; i + WINDOW <= bytes.length; i++) {
      this.windows.set(windowKey(bytes, i), kind);
      this.starts[bytes[i]! * 256 + bytes[i + 1]!] = 1;
    }
    for (let i = 0; i + HEX_CHARS <= hex.length; i += 2) {
      let key = 0;
      for (let k = 0; k < HEX_CHARS; k++) key = key * 16 + hexDigit(hex.charCodeAt(i + k));
      this.hexWindows.set(key, kind);
      this.hexStarts[Math.floor(key / 2 ** 28)] = 1;
    }
    for (let off = 0; off < 3; off++) {
      const core = base64Core(bytes.subarray(off));
      for (let i = 0; i + B64_CHARS <= core.length; i++) {
        let key = 0;
        for (let k = 0; k < B64_CHARS; k++) key = key * 64 + b64Value(core.charCodeAt(i + k));
        this.b64Windows.set(key, kind);
        this.b64Starts[Math.floor(key / 2 ** 36)] = 1;
      }
    }
  }

  /** Remember a text secret (a passphrase): found as text, and as the hex and base64 of its bytes. */
  learnText(text: string, kind: SecretKind): void {
    if (text.length < MIN_LITERAL || this.literals.some((l) => l.text === text)) return;
    if (this.literals.length >= MAX_SECRETS) this.literals.shift();
    this.literals.push({ text, kind });
    this.learn(utf8(text), kind);
  }

  private forget(hex: string): void {
    const bytes = fromHex(hex);
    for (let i = 0; i + WINDOW <= bytes.length; i++) this.windows.delete(windowKey(bytes, i));
    // `starts` keeps the pair: a stale bit costs a Map lookup, never a wrong answer.
  }

  /** The kind of the learned secret 5 bytes of which `bytes` holds at or after `from`. */
  bytesHit(bytes: ArrayLike<number>, from = 0, end = bytes.length): SecretKind | null {
    if (this.windows.size === 0) return null;
    const starts = this.starts;
    for (let i = from; i + WINDOW <= end; i++) {
      if (starts[bytes[i]! * 256 + bytes[i + 1]!] === 0) continue;
      const k = this.windows.get(windowKey(bytes, i));
      if (k) return k;
    }
    return null;
  }

  /**
   * One pass over text[start, end), a run of base64 characters (hex digits are among them):
   * rolling keys of the last 10 hex digits and the last 8 base64 characters, looked up only
   * when their first characters start some window. No copies, no decoding per alignment.
   */
  scan(text: string, start: number, end: number): SecretKind | null {
    const b64Starts = this.b64Starts;
    const hexStarts = this.hexStarts;
    // Most positions are rejected by the bitmaps of a window's first characters; a full key is
    // computed only where a window may start.
    for (let i = start; i + B64_CHARS <= end; i++) {
      const v0 = b64Value(text.charCodeAt(i));
      if (b64Starts[v0 * 64 + b64Value(text.charCodeAt(i + 1))] === 1) {
        let key = 0;
        for (let k = 0; k < B64_CHARS; k++) key = key * 64 + b64Value(text.charCodeAt(i + k));
        const kind = this.b64Windows.get(key);
        if (kind) return kind;
      }
      const c0 = text.charCodeAt(i);
      if (i + HEX_CHARS <= end && isHexCode(c0)) {
        const c1 = text.charCodeAt(i + 1);
        const c2 = text.charCodeAt(i + 2);
        if (isHexCode(c1) && isHexCode(c2) && hexStarts[hexDigit(c0) * 256 + hexDigit(c1) * 16 + hexDigit(c2)] === 1) {
          let key = 0;
          let k = 0;
          for (; k < HEX_CHARS; k++) {
            const c = text.charCodeAt(i + k);
            if (!isHexCode(c)) break;
            key = key * 16 + hexDigit(c);
          }
          if (k === HEX_CHARS) {
            const kind = this.hexWindows.get(key);
            if (kind) return kind;
          }
        }
      }
    }
    return null;
  }

  hexHit(hex: string): SecretKind | null {
    return this.scan(hex, 0, hex.length);
  }

  /** Where learned secrets occur in a line of text, in any of the forms above. */
  find(text: string, from = 0): Found[] {
    if (this.size === 0) return NONE;
    let found: Found[] = NONE;
    for (const l of this.literals) {
      for (let i = text.indexOf(l.text, from); i !== -1; i = text.indexOf(l.text, i + l.text.length)) (found === NONE ? (found = []) : found).push({ start: i, end: i + l.text.length, kind: l.kind });
    }
    if (this.windows.size === 0) return found;
    // One pass over the characters: runs of the base64 alphabet (continuous hex is such a run too).
    const n = text.length;
    for (let i = from; i < n; ) {
      if (b64Value(text.charCodeAt(i)) < 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && b64Value(text.charCodeAt(j)) >= 0) j++;
      if (j - i >= B64_CHARS) {
        const kind = this.scan(text, i, j);
        if (kind) (found === NONE ? (found = []) : found).push({ start: i, end: j, kind });
      }
      i = j;
    }
    if (MAY_BE_SEPARATED.test(text)) {
      for (const m of text.matchAll(SEPARATED_HEX)) {
        if (m.index < from) continue;
        const kind = this.hexHit(m[0].replace(HEX_SEP, ''));
        if (kind) (found === NONE ? (found = []) : found).push({ start: m.index, end: m.index + m[0].length, kind });
      }
    }
    return found;
  }

  /** Hex or base64 text (an application's, inside a dump) that ends in the row: `carryText` came before it. */
  textHit(carryText: string, rowText: string): SecretKind | null {
    for (const f of this.find(carryText + rowText)) if (f.end > carryText.length) return f.kind;
    return null;
  }
}
