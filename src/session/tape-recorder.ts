/**
 * The parse worker's half of a replay tape (replay-tape.ts): a ParseSink that keeps what the
 * parse stage made since the last `take()` as a TapeChunk, so the main thread gets the tape
 * while the worker parses and never parses the file itself.
 */
import type { DeviceEvent, Line } from '../../parsers/events.ts';
import type { SecretKind } from '../../parsers/secrets.ts';
import type { ParsedItem, ParseSink } from './parse-stage.ts';
import { PARSED, type TapeChunk } from './replay-tape.ts';

export class TapeRecorder implements ParseSink {
  items: ParsedItem[] = [];
  private firstLine = 0;
  private firstItem = 0;
  private itemEnd: number[] = [];
  private unmatchedAfter: number[] = [];
  private flags: number[] = [];
  private shown: [number, string][] = [];

  /** The stage it records: its count of lines no profile recognised is read after each line. */
  private stage: { readonly unmatched: number } | null = null;

  countsOf(stage: { readonly unmatched: number }): void {
    this.stage = stage;
  }

  secret(secret: SecretKind, line: Line): void {
    this.items.push({ kind: 'secret.redacted', t: line.t, line: line.seq, secret });
  }

  event(e: DeviceEvent): void {
    this.items.push(e);
  }

  line(line: Line, text: string, parsed: boolean): void {
    this.itemEnd.push(this.firstItem + this.items.length);
    this.unmatchedAfter.push(this.stage?.unmatched ?? 0);
    this.flags.push(parsed ? PARSED : 0);
    if (text !== line.text) this.shown.push([line.seq, text]);
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
