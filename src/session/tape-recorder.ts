/**
 * Records a replay tape (replay-tape.ts) as the parse stage runs: the items and, per line, where
 * its items end, the unmatched count and whether it was parsed. `take()` hands over what came
 * since the last take as a TapeChunk, which ReplayTape.append adds in order. One recorder for
 * both places a tape is made: the session's tap while the time machine parses here, and the
 * parse worker (a chunk per block, posted to the main thread).
 */
import type { Line } from '../../parsers/events.ts';
import { secretItem, type ParsedItem, type ParseSink } from './parse-stage.ts';
import { PARSED, type TapeChunk } from './replay-tape.ts';
import type { ParseTap } from './session.ts';

export class TapeRecorder implements ParseTap {
  private items: ParsedItem[] = [];
  private firstLine = 0;
  private firstItem = 0;
  private itemEnd: number[] = [];
  private unmatchedAfter: number[] = [];
  private flags: number[] = [];
  private shown: [number, string][] = [];

  item(e: ParsedItem): void {
    this.items.push(e);
  }

  line(line: Line, text: string, parsed: boolean, unmatched: number): void {
    this.itemEnd.push(this.firstItem + this.items.length);
    this.unmatchedAfter.push(unmatched);
    this.flags.push(parsed ? PARSED : 0);
    if (text !== line.text) this.shown.push([line.seq, text]);
  }

  /** Items recorded and not taken yet. */
  get pendingItems(): number {
    return this.items.length;
  }

  /** What was recorded since the last take. */
  take(): TapeChunk {
    const c: TapeChunk = {
      firstLine: this.firstLine,
      firstItem: this.firstItem,
      items: this.items,
      itemEnd: Uint32Array.from(this.itemEnd),
      unmatchedAfter: Uint32Array.from(this.unmatchedAfter),
      flags: Uint8Array.from(this.flags),
      shown: this.shown,
    };
    this.firstLine += this.itemEnd.length;
    this.firstItem += this.items.length;
    this.items = [];
    this.itemEnd = [];
    this.unmatchedAfter = [];
    this.flags = [];
    this.shown = [];
    return c;
  }
}

/**
 * A parse stage's own sink that records into `recorder`, where no session taps it (the parse
 * worker): what the session's sink passes to its tap. `unmatched` reads the stage's count.
 */
export function recordingSink(recorder: TapeRecorder, unmatched: () => number): ParseSink {
  return {
    secret: (secret, line) => recorder.item(secretItem(secret, line)),
    event: (e) => recorder.item(e),
    line: (line, text, parsed) => recorder.line(line, text, parsed, unmatched()),
  };
}
