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

const isHexCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** base64 and base64url alphabet: its value, or -1. */
const b64Value = (c: number): number => (c < 128 ? B64_INDEX[c]! : -1);
/** What may join the bytes of separated hex (`1a a9`, `1A:A9`, `0x1a, 0xa9`, `1a-a9`). */
const isHexSep = (c: number): boolean => c === 32 || c === 58 || c === 44 || c === 45;

export interface Found {
  start: number;
  end: number;
  kind: SecretKind;
}

/** No finding (shared: most lines have none, and an empty array each would be garbage). */
const NONE: Found[] = [];

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

/*
 * Rolling window keys, as two int32 halves so that appending a unit costs a few integer
 * operations (a double's `%` is a floating-point remainder, and this runs on every character
 * of every line). The key of a window is hi * 2^LO_BITS + lo: bytes 5 × 8 bits (hi 16, lo 24),
 * hex digits 10 × 4 bits (hi 20, lo 20), base64 characters 8 × 6 bits (hi 24, lo 24).
 */
interface Form {
  unit: number;
  loBits: number;
  hiMask: number;
}
const BYTES: Form = { unit: 8, loBits: 24, hiMask: 0xffff };
const HEX: Form = { unit: 4, loBits: 20, hiMask: 0xfffff };
const B64F: Form = { unit: 6, loBits: 24, hiMask: 0xffffff };

/**
 * Filter bits per form: 64 per window (about 1.5 % of lookups pass it by chance; at 16, the
 * Map lookups of the 6 % that passed cost more than the smaller filter saved), between 2^12
 * (512 bytes) and 2^20 (128 KiB, reached at 16 000 windows; at the cap of learned values,
 * ~50 000 windows, about 5 % pass, as before). A handful of secrets (a TLS session's) keeps
 * it small enough for the first-level cache: every character of a line and every byte of a
 * dump row reads it, and a 128 KiB filter read at random was a third of the time spent on a
 * dump row.
 */
const MIN_FILTER_BITS = 12;
const MAX_FILTER_BITS = 20;
const BITS_PER_WINDOW_LOG2 = 6;

/** A hash of a key's halves (multiply-xorshift), `32 - shift` bits. */
function bitOf(hi: number, lo: number, shift: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h >>> shift;
}

/** The filter size for `windows` windows, as a number of bits' log2. */
function filterBits(windows: number): number {
  let bits = MIN_FILTER_BITS;
  while (bits < MAX_FILTER_BITS && 2 ** bits < windows * 2 ** BITS_PER_WINDOW_LOG2) bits++;
  return bits;
}

/**
 * The windows of one form and a bit filter of their hashes in front of the Map: the search
 * reads one bit per text position and asks the Map only where a window may be. A filter over
 * the window's first characters (what this replaced) fills up once a few dozen secrets are
 * learned, and then every position pays a Map lookup. The filter grows with the windows (and
 * is built anew then): it only ever answers "maybe" or "no", so its size changes no answer.
 */
class WindowIndex {
  private readonly map = new Map<number, SecretKind>();
  private bits = MIN_FILTER_BITS;
  /** The filter and its hash shift: the hot loops read them once and test with `passes`. */
  shift = 32 - MIN_FILTER_BITS;
  filter = new Int32Array(1 << (MIN_FILTER_BITS - 5));
  constructor(readonly form: Form) {}

  get size(): number {
    return this.map.size;
  }

  add(hi: number, lo: number, kind: SecretKind): void {
    this.map.set(hi * 2 ** this.form.loBits + lo, kind);
    if (filterBits(this.map.size) > this.bits) this.rebuild();
    else this.mark(bitOf(hi, lo, this.shift));
  }

  private mark(h: number): void {
    this.filter[h >>> 5]! |= 1 << (h & 31);
  }

  delete(hi: number, lo: number): void {
    this.map.delete(hi * 2 ** this.form.loBits + lo);
  }

  /** After deletions or growth: a filter bit can be cleared only by building the filter again. */
  rebuild(): void {
    const bits = filterBits(this.map.size);
    if (bits !== this.bits) {
      this.bits = bits;
      this.shift = 32 - bits;
      this.filter = new Int32Array(1 << (bits - 5));
    } else this.filter.fill(0);
    const base = 2 ** this.form.loBits;
    for (const key of this.map.keys()) this.mark(bitOf(Math.floor(key / base), key % base, this.shift));
  }

  get(hi: number, lo: number): SecretKind | null {
    return passes(this.filter, this.shift, hi, lo) ? this.lookup(hi, lo) : null;
  }

  /** The Map behind the filter, for a key that `passes` let through. */
  lookup(hi: number, lo: number): SecretKind | null {
    return this.map.get(hi * 2 ** this.form.loBits + lo) ?? null;
  }
}

/**
 * Whether a key may be in the index whose filter and shift these are. The loops below call it
 * with the two read before the loop (nothing is learned during a search): a method call per
 * character, with its property loads, was what the engine stopped inlining.
 */
function passes(filter: Int32Array, shift: number, hi: number, lo: number): boolean {
  const h = bitOf(hi, lo, shift);
  return (filter[h >>> 5]! & (1 << (h & 31))) !== 0;
}

/** Rolls `units` (each below 2^form.unit) through a window of `form` and calls `f` for every full window. */
function rollAll(form: Form, units: ArrayLike<number>, window: number, f: (hi: number, lo: number) => void): void {
  const loMask = 2 ** form.loBits - 1;
  const carry = form.loBits - form.unit;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < units.length; i++) {
    hi = ((hi << form.unit) | (lo >>> carry)) & form.hiMask;
    lo = ((lo << form.unit) | units[i]!) & loMask;
    if (i + 1 >= window) f(hi, lo);
  }
}

/** Every window of each form of `bytes`, as keys (for learning and forgetting alike). */
function forEachWindow(bytes: Uint8Array, hex: string, f: (index: 'bytes' | 'hex' | 'b64', hi: number, lo: number) => void): void {
  rollAll(BYTES, bytes, WINDOW, (hi, lo) => f('bytes', hi, lo));
  // Hex windows start at a byte boundary of the secret; the search tries every text position.
  const digits = Array.from(hex, (ch) => hexDigit(ch.charCodeAt(0)));
  for (let i = 0; i + HEX_CHARS <= digits.length; i += 2) rollAll(HEX, digits.slice(i, i + HEX_CHARS), HEX_CHARS, (hi, lo) => f('hex', hi, lo));
  for (let off = 0; off < 3; off++) {
    const core = base64Core(bytes.subarray(off));
    rollAll(B64F, Array.from(core, (ch) => b64Value(ch.charCodeAt(0))), B64_CHARS, (hi, lo) => f('b64', hi, lo));
  }
}

export class LearnedSecrets {
  private readonly windows = new WindowIndex(BYTES);
  private readonly hexWindows = new WindowIndex(HEX);
  private readonly b64Windows = new WindowIndex(B64F);
  private readonly literals: { text: string; kind: SecretKind }[] = [];
  private readonly known: string[] = [];

  get size(): number {
    return this.known.length + this.literals.length;
  }

  private index(form: 'bytes' | 'hex' | 'b64'): WindowIndex {
    return form === 'bytes' ? this.windows : form === 'hex' ? this.hexWindows : this.b64Windows;
  }

  /** Remember a byte secret; every later occurrence of 5 or more of its bytes is found. */
  learn(bytes: Uint8Array, kind: SecretKind): void {
    if (bytes.length < MIN_SECRET_BYTES) return;
    const hex = toHex(bytes);
    if (this.known.includes(hex)) return;
    if (this.known.length >= MAX_SECRETS) this.forget(this.known.shift()!);
    this.known.push(hex);
    // One index per form: hex and base64 text are matched as the characters they are printed in.
    forEachWindow(bytes, hex, (form, hi, lo) => this.index(form).add(hi, lo, kind));
  }

  /** Remember a text secret (a passphrase): found as text, and as the hex and base64 of its bytes. */
  learnText(text: string, kind: SecretKind): void {
    if (text.length < MIN_LITERAL || this.literals.some((l) => l.text === text)) return;
    if (this.literals.length >= MAX_SECRETS) this.literals.shift();
    this.literals.push({ text, kind });
    this.learn(utf8(text), kind);
  }

  private forget(hex: string): void {
    forEachWindow(fromHex(hex), hex, (form, hi, lo) => this.index(form).delete(hi, lo));
    this.windows.rebuild();
    this.hexWindows.rebuild();
    this.b64Windows.rebuild();
  }

  /** The kind of the learned secret 5 bytes of which `bytes` holds at or after `from`. */
  bytesHit(bytes: ArrayLike<number>, from = 0, end = bytes.length): SecretKind | null {
    if (this.windows.size === 0) return null;
    const { filter, shift } = this.windows;
    let hi = 0;
    let lo = 0;
    for (let i = from; i < end; i++) {
      hi = ((hi << 8) | (lo >>> 16)) & 0xffff;
      lo = ((lo << 8) | bytes[i]!) & 0xffffff;
      if (i - from + 1 >= WINDOW && passes(filter, shift, hi, lo)) {
        const k = this.windows.lookup(hi, lo);
        if (k) return k;
      }
    }
    return null;
  }

  /**
   * Where learned secrets occur in a line of text, in any of the forms above: one pass over the
   * characters with rolling keys for runs of base64 characters (continuous hex is such a run
   * too); separated hex is read in a second pass only on lines that hold some.
   */
  find(text: string, from = 0): Found[] {
    if (this.size === 0) return NONE;
    let found: Found[] = NONE;
    for (const l of this.literals) {
      for (let i = text.indexOf(l.text, from); i !== -1; i = text.indexOf(l.text, i + l.text.length)) (found === NONE ? (found = []) : found).push({ start: i, end: i + l.text.length, kind: l.kind });
    }
    if (this.windows.size === 0) return found;
    const n = text.length;
    let runStart = from;
    const { filter: bf, shift: bs } = this.b64Windows;
    const { filter: hf, shift: hs } = this.hexWindows;
    let b64N = 0;
    let b64Hi = 0;
    let b64Lo = 0;
    let hexN = 0;
    let hexHi = 0;
    let hexLo = 0;
    let hit: SecretKind | null = null;
    /** Hex pairs followed by a separator: separated hex is searched only when there are enough for a window. */
    let pairs = 0;
    for (let i = from; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : -1;
      const v = c >= 0 && c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) {
        if (hit) (found === NONE ? (found = []) : found).push({ start: runStart, end: i, kind: hit });
        if (hexN === 2 && isHexSep(c)) pairs++;
        b64N = 0;
        hexN = 0;
        hit = null;
        continue;
      }
      if (b64N === 0) runStart = i;
      b64N++;
      b64Hi = ((b64Hi << 6) | (b64Lo >>> 18)) & 0xffffff;
      b64Lo = ((b64Lo << 6) | v) & 0xffffff;
      if (b64N >= B64_CHARS && hit === null && passes(bf, bs, b64Hi, b64Lo)) hit = this.b64Windows.lookup(b64Hi, b64Lo);
      if (isHexCode(c)) {
        hexN++;
        hexHi = ((hexHi << 4) | (hexLo >>> 16)) & 0xfffff;
        hexLo = ((hexLo << 4) | hexDigit(c)) & 0xfffff;
        if (hexN >= HEX_CHARS && hit === null && passes(hf, hs, hexHi, hexLo)) hit = this.hexWindows.lookup(hexHi, hexLo);
      } else {
        if (hexN === 2 && c === 45) pairs++;
        hexN = 0;
      }
    }
    if (pairs >= WINDOW - 1) found = this.findSeparated(text, from, found);
    return found;
  }

  /**
   * Runs of separated hex bytes (`1a a9 aa`, `1A:A9:AA`, `0x1a, 0xa9`): a run is marked whole
   * when 5 consecutive bytes of it are a learned window. A run that fails at its first byte is
   * tried again one character later, so a stray hex digit before it cannot shift its alignment.
   */
  private findSeparated(text: string, from: number, found: Found[]): Found[] {
    const n = text.length;
    const { filter: wf, shift: ws } = this.windows;
    for (let i = from; i + 1 < n; ) {
      let j = i;
      let count = 0;
      let hi = 0;
      let lo = 0;
      let end = i;
      let hit: SecretKind | null = null;
      for (;;) {
        let k = j;
        if (text.charCodeAt(k) === 48 && (text.charCodeAt(k + 1) | 0x20) === 120) k += 2;
        const c0 = text.charCodeAt(k);
        const c1 = text.charCodeAt(k + 1);
        if (!isHexCode(c0) || !isHexCode(c1)) break;
        // Two digits then another digit: continuous hex, not a separated byte.
        if (count > 0 && isHexCode(text.charCodeAt(k + 2))) break;
        hi = ((hi << 8) | (lo >>> 16)) & 0xffff;
        lo = ((lo << 8) | (hexDigit(c0) * 16 + hexDigit(c1))) & 0xffffff;
        count++;
        end = k + 2;
        if (count >= WINDOW && hit === null && passes(wf, ws, hi, lo)) hit = this.windows.lookup(hi, lo);
        const s = text.charCodeAt(end);
        if (s === 44 && text.charCodeAt(end + 1) === 32) j = end + 2;
        else if (isHexSep(s)) j = end + 1;
        else break;
      }
      if (hit !== null) (found === NONE ? (found = []) : found).push({ start: i, end, kind: hit });
      // Two bytes and a separator fix the alignment: the rest of the run was read, go past it
      // (trying every byte of it again would be quadratic in the run's length).
      i = count >= 2 ? end : i + 1;
    }
    return found;
  }

  /**
   * textHit on the dump's bytes, one character a byte, without building the text: bytes[0,
   * carried) came before the row, bytes[carried, end) are the row. It reads the runs of base64
   * and hex characters as find() does (a hit in a run is reported where the run ends, first run
   * first, before anything findSeparated adds), so the answer is textHit's; undefined where only
   * the text can tell (a learned literal, or separated hex that no run hit came before).
   */
  bytesTextHit(bytes: Uint8Array, carried: number, end: number): SecretKind | null | undefined {
    if (this.size === 0) return null;
    if (this.literals.length > 0) return undefined;
    if (this.windows.size === 0) return null;
    const { filter: bf, shift: bs } = this.b64Windows;
    const { filter: hf, shift: hs } = this.hexWindows;
    let b64N = 0;
    let b64Hi = 0;
    let b64Lo = 0;
    let hexN = 0;
    let hexHi = 0;
    let hexLo = 0;
    let hit: SecretKind | null = null;
    let pairs = 0;
    for (let i = 0; i <= end; i++) {
      const c = i < end ? bytes[i]! : -1;
      const v = c >= 0 && c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) {
        if (hit && i > carried) return hit;
        if (hexN === 2 && isHexSep(c)) pairs++;
        b64N = 0;
        hexN = 0;
        hit = null;
        continue;
      }
      b64N++;
      b64Hi = ((b64Hi << 6) | (b64Lo >>> 18)) & 0xffffff;
      b64Lo = ((b64Lo << 6) | v) & 0xffffff;
      if (b64N >= B64_CHARS && hit === null && passes(bf, bs, b64Hi, b64Lo)) hit = this.b64Windows.lookup(b64Hi, b64Lo);
      if (isHexCode(c)) {
        hexN++;
        hexHi = ((hexHi << 4) | (hexLo >>> 16)) & 0xfffff;
        hexLo = ((hexLo << 4) | hexDigit(c)) & 0xfffff;
        if (hexN >= HEX_CHARS && hit === null && passes(hf, hs, hexHi, hexLo)) hit = this.hexWindows.lookup(hexHi, hexLo);
      } else {
        if (hexN === 2 && c === 45) pairs++;
        hexN = 0;
      }
    }
    return pairs >= WINDOW - 1 ? undefined : null;
  }

  /** Hex or base64 text (an application's, inside a dump) that ends in the row: `carryText` came before it. */
  textHit(carryText: string, rowText: string): SecretKind | null {
    for (const f of this.find(carryText + rowText)) if (f.end > carryText.length) return f.kind;
    return null;
  }
}
