/**
 * Recognises the garbage a UART produces at the wrong baud rate: framing errors turn text
 * into control bytes, 0x00/0xFF and broken UTF-8. Pure, so the UI and tests share it.
 */

/** Bytes that never appear in a firmware's text log; tab, LF, CR and ESC (ANSI colours) do. */
function isBadSingle(b: number): boolean {
  if (b === 0x09 || b === 0x0a || b === 0x0d || b === 0x1b) return false;
  return b < 0x20 || b === 0x7f || b === 0xff || b === 0xfe || (b >= 0x80 && b < 0xc2) || b > 0xf4;
}

/**
 * Marks each byte good (0) or bad (1). UTF-8 multi-byte sequences that are complete and
 * well-formed count as good; a sequence cut off by the end of the window counts as good too,
 * since a chunk boundary may split a valid character.
 */
export function classifyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80 || isBadSingle(b)) {
      out[i] = isBadSingle(b) ? 1 : 0;
      i += 1;
      continue;
    }
    const need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
    let ok = true;
    let j = 1;
    for (; j <= need && i + j < bytes.length; j++) {
      const c = bytes[i + j]!;
      if ((c & 0xc0) !== 0x80) { ok = false; break; }
    }
    if (!ok) {
      out[i] = 1;
      i += 1;
      continue;
    }
    i += j;
  }
  return out;
}

/** Share of bad bytes in `bytes`, 0 (clean text) to 1 (pure noise). Empty input scores 0. */
export function garbageScore(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  const flags = classifyBytes(bytes);
  let bad = 0;
  for (const f of flags) bad += f;
  return bad / bytes.length;
}

export interface BaudGuardOptions {
  /** Bytes considered (the most recent ones). */
  window?: number;
  /** Score at or above which the stream looks like a wrong baud rate. */
  threshold?: number;
  /** Fewer bytes than this never raise suspicion: one stray byte after a reset is normal. */
  minBytes?: number;
}

/**
 * Sliding-window detector: feed it chunks, read `suspect`. A board reset prints a few bad
 * bytes on every UART; only a sustained share of them points at the baud rate.
 */
export class BaudGuard {
  readonly window: number;
  readonly threshold: number;
  readonly minBytes: number;
  private readonly flags: Uint8Array;
  private count = 0;
  private head = 0;
  private bad = 0;
  private tail: Uint8Array = new Uint8Array(0);

  constructor(options: BaudGuardOptions = {}) {
    this.window = options.window ?? 1024;
    this.threshold = options.threshold ?? 0.25;
    this.minBytes = options.minBytes ?? 64;
    this.flags = new Uint8Array(this.window);
  }

  /** Adds a chunk; returns whether the window now looks like garbage. */
  feed(chunk: Uint8Array): boolean {
    // Keep the last 3 bytes for the next call so a character split across chunks is judged whole.
    const joined = new Uint8Array(this.tail.length + chunk.length);
    joined.set(this.tail, 0);
    joined.set(chunk, this.tail.length);
    const flags = classifyBytes(joined);
    const keep = Math.min(3, joined.length);
    const start = this.tail.length;
    // Bytes of the previous tail were already counted; only the new ones enter the window.
    for (let i = start; i < joined.length; i++) this.push(flags[i]!);
    this.tail = joined.slice(joined.length - keep);
    return this.suspect;
  }

  get score(): number {
    return this.count === 0 ? 0 : this.bad / this.count;
  }

  get suspect(): boolean {
    return this.count >= this.minBytes && this.score >= this.threshold;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.bad = 0;
    this.flags.fill(0);
    this.tail = new Uint8Array(0);
  }

  private push(flag: number): void {
    if (this.count === this.window) {
      this.bad -= this.flags[this.head]!;
    } else {
      this.count += 1;
    }
    this.flags[this.head] = flag;
    this.bad += flag;
    this.head = (this.head + 1) % this.window;
  }
}
