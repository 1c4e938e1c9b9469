/**
 * Secret values the redactor has learned (a master secret, traffic secrets, an exported key, a
 * private key's DER, a Wi-Fi passphrase) and the search for them, in any form, in later text:
 * hex (continuous or separated, either case, `0x` C arrays), base64 (at every byte alignment,
 * also base64url), the bytes of a hex dump row (across row boundaries) and plain text.
 *
 * Matching is by windows: every run of WINDOW bytes of a secret is indexed, so a fragment is
 * found wherever the printout cuts it. A fragment shorter than a window at the very edge of a
 * line can stay visible (at most HEX_WINDOW/2 - 1 bytes of a secret, never the secret).
 */
import type { SecretKind } from './secrets.ts';

/** Hex characters per window: 5 bytes. 4 would match random rows of a long debug-4 log. */
const HEX_WINDOW = 10;
/** Base64 characters per window (72 bits). */
const B64_WINDOW = 12;
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

export function toHex(bytes: Uint8Array): string {
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

/** Separated or continuous hex of at least 5 bytes: `1a a9 aa`, `1A:A9:AA`, `0x1a, 0xa9`, `1aa9aa…`. */
const HEX_RUN = /(?:0[xX])?[0-9a-fA-F]{2}(?:(?:[ :,-]|, )?(?:0[xX])?[0-9a-fA-F]{2}){4,}/g;
const HEX_SEP = /0[xX]|[^0-9a-fA-F]/g;
const B64_RUN = /[A-Za-z0-9+/_-]{12,}/g;

export interface Found {
  start: number;
  end: number;
  kind: SecretKind;
}

export class LearnedSecrets {
  private readonly hex = new Map<string, SecretKind>();
  private readonly b64 = new Map<string, SecretKind>();
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
    for (let i = 0; i + HEX_WINDOW <= hex.length; i += 2) this.hex.set(hex.slice(i, i + HEX_WINDOW), kind);
    for (let off = 0; off < 3; off++) {
      const core = base64Core(bytes.subarray(off));
      for (let i = 0; i + B64_WINDOW <= core.length; i++) this.b64.set(core.slice(i, i + B64_WINDOW), kind);
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
    for (let i = 0; i + HEX_WINDOW <= hex.length; i += 2) this.hex.delete(hex.slice(i, i + HEX_WINDOW));
    const bytes = fromHex(hex);
    for (let off = 0; off < 3; off++) {
      const core = base64Core(bytes.subarray(off));
      for (let i = 0; i + B64_WINDOW <= core.length; i++) this.b64.delete(core.slice(i, i + B64_WINDOW));
    }
  }

  /** The kind of the learned secret a hex string (lower case) holds 5 bytes of, at any position. */
  hexHit(hexLower: string, from = 0): SecretKind | null {
    for (let i = from; i + HEX_WINDOW <= hexLower.length; i++) {
      const k = this.hex.get(hexLower.slice(i, i + HEX_WINDOW));
      if (k) return k;
    }
    return null;
  }

  /** The kind of the learned secret whose base64 a run of base64 characters holds 12 characters of. */
  b64Hit(run: string, from = 0): SecretKind | null {
    const std = run.includes('-') || run.includes('_') ? run.replace(/-/g, '+').replace(/_/g, '/') : run;
    for (let i = from; i + B64_WINDOW <= std.length; i++) {
      const k = this.b64.get(std.slice(i, i + B64_WINDOW));
      if (k) return k;
    }
    return null;
  }

  /** Where learned secrets occur in a line of text, in any of the forms above. */
  find(text: string): Found[] {
    if (this.size === 0) return [];
    const found: Found[] = [];
    for (const l of this.literals) {
      for (let i = text.indexOf(l.text); i !== -1; i = text.indexOf(l.text, i + l.text.length)) found.push({ start: i, end: i + l.text.length, kind: l.kind });
    }
    if (this.known.length > 0) {
      for (const m of text.matchAll(HEX_RUN)) {
        const kind = this.hexHit(m[0].replace(HEX_SEP, '').toLowerCase());
        if (kind) found.push({ start: m.index, end: m.index + m[0].length, kind });
      }
      for (const m of text.matchAll(B64_RUN)) {
        const kind = this.b64Hit(m[0]);
        if (kind) found.push({ start: m.index, end: m.index + m[0].length, kind });
      }
    }
    return found;
  }

  /** Hex of a dump row's bytes and their text (the ASCII column, unabridged), checked with what came before in the same dump. */
  rowHit(carryHex: string, rowHex: string, carryText: string, rowText: string): SecretKind | null {
    if (this.size === 0) return null;
    const hex = carryHex + rowHex;
    const k1 = this.hexHit(hex, Math.max(0, carryHex.length - HEX_WINDOW + 1));
    if (k1) return k1;
    const text = carryText + rowText;
    const tail = Math.max(0, carryText.length - B64_WINDOW + 1);
    for (const f of this.find(text)) if (f.end > carryText.length || f.start >= tail) return f.kind;
    return null;
  }
}
