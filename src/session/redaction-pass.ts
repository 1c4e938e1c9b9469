/**
 * Redaction on a thread of its own, for the interactive replay's tape (src/cli/tape-in-worker.ts):
 * redaction is about half of what the parse stage costs on a debug-4 log, and nothing after it
 * feeds back into it, so it can run one step ahead of the rest, as a pipeline.
 *
 * One thread frames the file and redacts every line (RedactionPass); with each block of bytes
 * it hands on what redaction changed: the lines that held a secret, their kind, and their new
 * text. The other thread frames the same block again (framing is cheap, and the lines come out
 * the same however the bytes are cut) and takes each line's redaction from what it was given
 * (RedactionFeed), in place of a SecretRedactor, so the parse stage makes exactly what it makes
 * with one.
 * Pure: no threads here; the messages are the caller's.
 */
import { LineFramer, type LineFramerOptions } from '../../parsers/frame.ts';
import { SecretRedactor, type RedactorOptions, type SecretKind } from '../../parsers/secrets.ts';

/** What redaction did to the lines framed from a block of the file. */
export interface Redactions {
  /** Lines framed so far (the next line's seq). */
  lines: number;
  /** The lines that held a secret, in order; their kinds; their text when redaction changed it. */
  seqs: number[];
  kinds: SecretKind[];
  texts: (string | null)[];
  /** The end of the file: the last line (one without a line end) is in. */
  end?: true;
}

/** The redaction of one line, as the parse stage reads it (SecretRedactor.redact's result). */
export interface LineRedaction {
  text: string;
  secret: SecretKind | null;
}

/** Where the parse stage gets each line's redaction: a SecretRedactor, or a RedactionFeed. */
export interface LineRedactor {
  redact(text: string, seq: number): LineRedaction;
}

/** The redacting half: the file's bytes in, Redactions out. */
export class RedactionPass {
  private readonly framer: LineFramer;
  private readonly redactor: SecretRedactor;
  private lines = 0;
  private out: Redactions = empty(0);

  constructor(opts: RedactorOptions & Pick<LineFramerOptions, 'maxLineBytes'> = {}) {
    // Nothing framed here is kept: lines may share their chunk's memory.
    this.framer = new LineFramer({ copyLines: false, ...(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {}) });
    this.redactor = new SecretRedactor(opts.patterns ? { patterns: opts.patterns } : {});
  }

  push(chunk: Uint8Array): void {
    for (const line of this.framer.push(chunk, 0)) this.line(line.seq, line.text);
  }

  /** End of file: the last line, if it had no line end. */
  flush(): void {
    for (const line of this.framer.flush(0)) this.line(line.seq, line.text);
    this.out.end = true;
  }

  /** What was redacted since the last take. */
  take(): Redactions {
    const r = this.out;
    r.lines = this.lines;
    this.out = empty(this.lines);
    return r;
  }

  private line(seq: number, text: string): void {
    this.lines = seq + 1;
    const r = this.redactor.redact(text);
    if (!r.secret) return;
    this.out.seqs.push(seq);
    this.out.kinds.push(r.secret);
    this.out.texts.push(r.text === text ? null : r.text);
  }
}

function empty(lines: number): Redactions {
  return { lines, seqs: [], kinds: [], texts: [] };
}

/** The parsing half: each line's redaction, from the Redactions it was given, in order. */
export class RedactionFeed implements LineRedactor {
  private readonly queue: Redactions[] = [];
  private at = 0;
  /** Lines the Redactions given so far cover, and whether they reached the end of the file. */
  lines = 0;
  ended = false;
  // One object for every line: the parse stage reads it at once.
  private readonly result: LineRedaction = { text: '', secret: null };

  add(r: Redactions): void {
    if (r.seqs.length > 0) this.queue.push(r);
    this.lines = r.lines;
    if (r.end) this.ended = true;
  }

  /** Line `seq`'s redaction. The lines come in order, each once, and only lines it was told of. */
  redact(text: string, seq: number): LineRedaction {
    if (seq >= this.lines && !this.ended) throw new Error(`line ${seq + 1} was parsed before it was redacted`);
    const out = this.result;
    out.text = text;
    out.secret = null;
    const head = this.queue[0];
    if (head === undefined || head.seqs[this.at] !== seq) return out;
    out.secret = head.kinds[this.at]!;
    out.text = head.texts[this.at] ?? text;
    if (++this.at === head.seqs.length) {
      this.queue.shift();
      this.at = 0;
    }
    return out;
  }
}
