import type { Line } from './events.ts';
import { ownCopy } from './own-copy.ts';

export interface LineFramerOptions {
  /** Longest line kept, in bytes; the rest of a longer line is dropped. Default 64 KiB. */
  maxLineBytes?: number;
  /**
   * false: a line of plain text may share the memory of its whole chunk (see plainLine), which
   * is faster but keeps up to 64 KiB alive for every line, or piece of one, that is kept. Only
   * for a consumer that keeps no line for long (the parse worker, whose results are copied to
   * the main thread). Default true.
   */
  copyLines?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

// ignoreBOM: a BOM in the middle of a stream is a stray character, not a header to hide.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// One test on the decoded string tells whether the slow path is needed at all: ordinary
// device text has none of these characters.
const NEEDS_CLEANING = /[\x00-\x08\x0a-\x1f\x7f\ufffd]/;
// CSI (colours, cursor moves), OSC (titles; may run to the end of the line when the
// terminator is missing) and the two-byte ESC forms (charset selection, ESC c, ESC 7).
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])/g;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;

/**
 * Turns a byte stream into lines, incrementally: bytes can be split anywhere between `push`
 * calls and the lines come out the same. A line ends at LF, CRLF or a lone CR; its time is
 * the `t` of the chunk that held its first byte.
 */
export class LineFramer {
  private readonly maxLineBytes: number;
  private readonly copyLines: boolean;
  private seq = 0;
  /** Bytes of the line in progress (copied: callers may reuse their chunk buffers). */
  private parts: Uint8Array[] = [];
  private partLen = 0;
  private inLine = false;
  private lineT = 0;
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to it. */
  private skipLF = false;
  /** A truncated line was emitted; drop bytes until its terminator. */
  private discarding = false;
  /** The chunk being pushed is plain ASCII (isPlainAscii): its own lines need no cleaning. */
  private plain = false;
  /** The plain chunk being pushed, decoded once: its lines are cut from it. */
  private plainText = '';

  constructor(opts: LineFramerOptions = {}) {
    const max = opts.maxLineBytes ?? 64 * 1024;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${max}`);
    this.maxLineBytes = max;
    this.copyLines = opts.copyLines ?? true;
  }

  push(chunk: Uint8Array, t: number): Line[] {
    const out: Line[] = [];
    const n = chunk.length;
    let i = 0;
    if (n === 0) return out;
    this.plain = isPlainAscii(chunk);
    this.plainText = this.plain ? decoder.decode(chunk) : '';
    if (this.skipLF) {
      this.skipLF = false;
      if (chunk[0] === LF) i = 1;
    }
    const plain = this.plain;
    const text = this.plainText;
    // Positions of the next LF / CR, cached so that a chunk without CR is scanned for CR once.
    let nextLF = -2;
    let nextCR = -2;
    while (i < n) {
      // In a plain chunk a byte is a character: the string search is the cheaper call.
      if (nextLF !== -1 && nextLF < i) nextLF = plain ? text.indexOf('\n', i) : chunk.indexOf(LF, i);
      if (nextCR !== -1 && nextCR < i) nextCR = plain ? text.indexOf('\r', i) : chunk.indexOf(CR, i);
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
      if (!this.inLine) {
        this.inLine = true;
        this.lineT = t;
      }
      if (end === -1) {
        this.append(chunk, i, n, out);
        break;
      }
      this.endLine(chunk, i, end, out);
      if (chunk[end] === CR) {
        if (end + 1 === n) this.skipLF = true;
        else if (chunk[end + 1] === LF) {
          i = end + 2;
          continue;
        }
      }
      i = end + 1;
    }
    this.plainText = '';
    return out;
  }

  /**
   * End of input: the line in progress, if any. The line keeps the time of its first byte;
   * `t` is accepted so that callers can treat push and flush alike.
   */
  flush(_t: number): Line[] {
    const out: Line[] = [];
    if (this.inLine && !this.discarding && this.partLen > 0) {
      out.push(this.makeLine(this.takeParts(), false, false));
    }
    this.reset();
    return out;
  }

  /**
   * The text of the line in progress (cleaned like a whole line), without taking it: what a
   * recording may show of a line whose end has not arrived yet.
   */
  partial(): string {
    if (!this.inLine || this.discarding || this.partLen === 0) return '';
    let text = decoder.decode(this.parts.length === 1 ? this.parts[0]! : concatParts(this.parts, this.partLen));
    // An incomplete UTF-8 sequence at the end is not a character yet.
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 0xfffd) end--;
    text = text.slice(0, end);
    if (NEEDS_CLEANING.test(text)) text = text.replace(ANSI, '').replace(CONTROL, '');
    return text;
  }

  private reset(): void {
    this.parts = [];
    this.partLen = 0;
    this.inLine = false;
    this.discarding = false;
    this.skipLF = false;
  }

  private append(chunk: Uint8Array, from: number, to: number, out: Line[]): void {
    if (this.discarding || to === from) return;
    const room = this.maxLineBytes - this.partLen;
    if (to - from <= room) {
      this.parts.push(chunk.slice(from, to));
      this.partLen += to - from;
      return;
    }
    if (room > 0) this.parts.push(chunk.subarray(from, from + room));
    this.partLen += room;
    this.emitTruncated(out);
  }

  /** The line's terminator is at `end`; `chunk[from..end)` is its last part. */
  private endLine(chunk: Uint8Array, from: number, end: number, out: Line[]): void {
    if (this.discarding) {
      this.discarding = false;
    } else if (this.partLen === 0) {
      if (end - from > this.maxLineBytes) {
        this.parts.push(chunk.subarray(from, from + this.maxLineBytes));
        this.partLen = this.maxLineBytes;
        this.emitTruncated(out);
        this.discarding = false;
      } else {
        out.push(this.plain ? this.plainLine(from, end) : this.makeLine(chunk.subarray(from, end), false, false));
      }
    } else {
      this.append(chunk, from, end, out);
      if (this.discarding) this.discarding = false;
      else out.push(this.makeLine(this.takeParts(), false, false));
    }
    this.parts = [];
    this.partLen = 0;
    this.inLine = false;
  }

  private emitTruncated(out: Line[]): void {
    const bytes = this.takeParts();
    out.push(this.makeLine(bytes.subarray(0, utf8BoundaryBefore(bytes, bytes.length)), true, false));
    this.discarding = true;
  }

  private takeParts(): Uint8Array {
    const parts = this.parts;
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0]!;
    else {
      bytes = new Uint8Array(this.partLen);
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
    }
    this.parts = [];
    this.partLen = 0;
    return bytes;
  }

  /**
   * A whole line of the plain chunk, as a string of its own (ownCopy): a slice of the chunk's
   * text would keep all 64 KiB alive for as long as anything holds a piece of the line
   * (handshake views keep state names and certificate subjects), so memory would grow with the
   * input. Unless copyLines is off.
   */
  private plainLine(from: number, end: number): Line {
    const slice = this.plainText.slice(from, end);
    const text = this.copyLines ? ownCopy(slice) : slice;
    return { seq: this.seq++, t: this.lineT, text };
  }

  /** `plain`: the bytes are known to be printable ASCII, TAB and CR/LF only (no cleaning to do). */
  private makeLine(bytes: Uint8Array, truncated: boolean, plain: boolean): Line {
    let text = decoder.decode(bytes);
    let invalid = false;
    if (!plain && NEEDS_CLEANING.test(text)) {
      if (text.includes('\ufffd')) invalid = !isValidUtf8(bytes);
      if (text.includes('\x1b')) text = text.replace(ANSI, '');
      text = text.replace(CONTROL, '');
    }
    const line: Line = { seq: this.seq++, t: this.lineT, text };
    if (truncated) line.truncated = true;
    if (invalid) line.invalidUtf8 = true;
    return line;
  }
}

function concatParts(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Whether a chunk holds only printable ASCII, TAB, LF and CR, so that none of its lines needs
 * the cleaning pass (escapes, control characters, UTF-8 validity). Device logs almost always
 * are, and one pass over the chunk, four bytes at a time, is cheaper than a regex per line.
 */
function isPlainAscii(chunk: Uint8Array): boolean {
  const n = chunk.length;
  let i = 0;
  const off = chunk.byteOffset;
  while (i < n && ((off + i) & 3) !== 0) if (!isPlainByte(chunk[i++]!)) return false;
  const words = (n - i) >> 2;
  if (words > 0) {
    const w = new Uint32Array(chunk.buffer, off + i, words);
    for (let k = 0; k < words; k++) {
      const x = w[k]!;
      // Some byte < 0x20 or > 0x7e ("Bit Twiddling Hacks": hasless, hasmore). Line ends set
      // it too: then the four bytes are looked at one by one.
      if ((((x - 0x20202020) & ~x) | (x + 0x01010101) | x) & 0x80808080) {
        const b = i + k * 4;
        if (!isPlainByte(chunk[b]!) || !isPlainByte(chunk[b + 1]!) || !isPlainByte(chunk[b + 2]!) || !isPlainByte(chunk[b + 3]!)) return false;
      }
    }
    i += words * 4;
  }
  while (i < n) if (!isPlainByte(chunk[i++]!)) return false;
  return true;
}

function isPlainByte(b: number): boolean {
  return (b >= 0x20 && b < 0x7f) || b === LF || b === CR || b === 0x09;
}

// U+FFFD can also arrive as the valid bytes EF BF BD; only a strict decode tells them apart.
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Where to cut `bytes` at or before `len` without splitting a UTF-8 sequence. */
function utf8BoundaryBefore(bytes: Uint8Array, len: number): number {
  let k = len - 1;
  while (k >= 0 && k > len - 4 && (bytes[k]! & 0xc0) === 0x80) k--;
  if (k < 0) return len;
  const lead = bytes[k]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return len - k < need ? k : len;
}
