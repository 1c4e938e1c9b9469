/**
 * What the parse stage (framer, redaction, profiles, parsers: most of a replay's CPU) made of a
 * plain log, recorded once as the replay first reads it, so that seeking back re-runs only the
 * cheap part — handshakes, facts, diagnosis — on a fresh session (Session.ingest).
 *
 * It keeps the parser events (small: about 100 000 for the 64 MB bench log) and, per line, a
 * few bytes: where its events end, the unmatched count, whether it was parsed. Not the text:
 * that is in the recording already. A line's text is framed again from the recording when the
 * log pane needs it (only its last `logCapacity` lines), and the few lines the redactor changed
 * are kept as shown.
 */
import type { ParsedItem } from './parse-stage.ts';

/** TapeChunk.flags: the line was recognised by a profile or parser. */
export const PARSED = 1;

/**
 * A part of a tape (TapeRecorder.take), appended in order: the items and, per line, where its
 * items end, the unmatched count after it and its flags. Plain arrays and typed arrays: it crosses
 * threads by structured clone.
 */
export interface TapeChunk {
  /** Seq of its first line, and items made before it: where it follows on. */
  firstLine: number;
  firstItem: number;
  items: ParsedItem[];
  /** Per line: items made up to its end (counted from the tape's start), unmatched after it, flags. */
  itemEnd: Uint32Array;
  unmatchedAfter: Uint32Array;
  flags: Uint8Array;
  /** Lines shown otherwise than framed (redacted), by seq. */
  shown: [number, string][];
}

/**
 * Events kept at most (about 200 bytes each: some 200 MB, a 600 MB debug-4 log). Past it the
 * tape is given up and a seek back parses from the start again, as without a tape.
 */
export const MAX_TAPE_ITEMS = 1_000_000;

export class ReplayTape {
  items: ParsedItem[] = [];

  constructor(private readonly maxItems = MAX_TAPE_ITEMS) {}

  /** Lines recorded (the next line's seq). */
  lines = 0;
  /** A part arrived out of order, or the tape outgrew its limit: it cannot stand in for the parse stage. */
  broken = false;
  /** Recorded elsewhere: the whole input has been parsed, its last items included. */
  complete = false;
  private itemEnd = new Uint32Array(4096);
  private unmatchedAfter = new Uint32Array(4096);
  private flags = new Uint8Array(4096);
  /** Lines whose shown text is not the framed text (the redactor hid something). */
  private readonly shown = new Map<number, string>();

  /** The next part of the tape (TapeRecorder.take); out of order or past the size limit, it breaks the tape. */
  append(c: TapeChunk): void {
    if (this.broken) return;
    const n = c.itemEnd.length;
    if (c.firstLine !== this.lines || c.firstItem !== this.items.length || this.items.length + c.items.length > this.maxItems) {
      this.broken = true;
      this.items = [];
      return;
    }
    for (let i = 0; i < c.items.length; i++) this.items.push(c.items[i]!);
    while (this.lines + n > this.itemEnd.length) this.grow();
    this.itemEnd.set(c.itemEnd, this.lines);
    this.unmatchedAfter.set(c.unmatchedAfter, this.lines);
    this.flags.set(c.flags, this.lines);
    for (const [seq, text] of c.shown) this.shown.set(seq, text);
    this.lines += n;
  }

  /** Items made up to the end of line `lines - 1` (0: none). */
  itemsBefore(lines: number): number {
    return lines <= 0 ? 0 : this.itemEnd[Math.min(lines, this.lines) - 1]!;
  }

  unmatchedBefore(lines: number): number {
    return lines <= 0 ? 0 : this.unmatchedAfter[Math.min(lines, this.lines) - 1]!;
  }

  parsed(seq: number): boolean {
    return (this.flags[seq]! & PARSED) !== 0;
  }

  /** The line as the log pane shows it, given the framed text. */
  text(seq: number, framed: string): string {
    return this.shown.get(seq) ?? framed;
  }

  private grow(): void {
    const n = this.itemEnd.length * 2;
    const a = new Uint32Array(n);
    a.set(this.itemEnd);
    this.itemEnd = a;
    const b = new Uint32Array(n);
    b.set(this.unmatchedAfter);
    this.unmatchedAfter = b;
    const c = new Uint8Array(n);
    c.set(this.flags);
    this.flags = c;
  }
}
