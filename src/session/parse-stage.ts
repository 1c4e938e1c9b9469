/**
 * The pure half of the session pipeline (DESIGN.md): LineFramer → secret redaction →
 * profiles → family parsers. It keeps no session state beyond what the stages keep and does
 * no I/O; what it finds goes to a ParseSink, in order. The Session feeds its sink in process;
 * a file replay may run the stage on a worker thread (parse-worker.ts) and send what the sink
 * got to the main thread in batches.
 */
import type { DeviceEvent, Line } from '../../parsers/events.ts';
import type { FamilyParser } from '../../parsers/family.ts';
import { LineFramer } from '../../parsers/frame.ts';
import { ProfileMatcher } from '../../parsers/profiles/index.ts';
import { SecretRedactor, type SecretKind } from '../../parsers/secrets.ts';
import { isHexRow } from '../../parsers/mbedtls/hex-row.ts';
import { createBuiltinParsers, strictMode, type BuiltinParsers } from './parsers.ts';
import type { LineRedactor } from './redaction-pass.ts';

export interface ParseStageOptions {
  mbedtls?: '2.28' | '3.6' | undefined;
  /** false only with --no-redact. */
  redact?: boolean | undefined;
  /** `redact.patterns` of the config file: regex sources whose matches are hidden too. */
  redactPatterns?: readonly string[] | undefined;
  /** Prefix profiles (the user's config, then the built-in ones). */
  profiles?: ConstructorParameters<typeof ProfileMatcher>[0];
  /** Extra family parsers (tests, plug-ins). */
  parsers?: FamilyParser[] | undefined;
  maxLineBytes?: number | undefined;
  /** LineFramerOptions.copyLines: false only where nothing keeps lines (the parse worker). */
  copyLines?: boolean | undefined;
  /**
   * Each line's redaction, made on another thread (redaction-pass.ts: the interactive replay's
   * tape), instead of a SecretRedactor here.
   */
  redactions?: LineRedactor | undefined;
}

/** Where the parse stage delivers, in input order. */
export interface ParseSink {
  /** A secret was found on `line` (and redacted when redaction is on); before the line's events. */
  secret(secret: SecretKind, line: Line): void;
  /** An event of a family parser. */
  event(e: DeviceEvent): void;
  /** After the line's events: the line as shown (redacted), and whether anything recognised it. */
  line(line: Line, text: string, parsed: boolean): void;
}

export class ParseStage {
  private readonly framer: LineFramer;
  private readonly profiles: ProfileMatcher;
  /** The one redaction state of the session: every view and the recording get their text through it. */
  readonly redactor: SecretRedactor | null;
  /** Where each line's redaction comes from: the redactor, or ParseStageOptions.redactions. */
  private readonly redaction: LineRedactor | null;
  private readonly builtin: BuiltinParsers;
  /** ParseStageOptions.parsers, fed after the built-in ones. */
  private readonly extra: FamilyParser[];
  /** Lines framed so far (the next line's seq). */
  lines = 0;
  private lineT = 0;
  private lineText = '';

  constructor(opts: ParseStageOptions, private readonly sink: ParseSink) {
    this.framer = new LineFramer({
      ...(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {}),
      ...(opts.copyLines === false ? { copyLines: false } : {}),
    });
    this.profiles = new ProfileMatcher(opts.profiles);
    this.profiles.onGuess = (prefix, first) => {
      if (first) this.sink.event({ kind: 'device.prefix_guessed', t: this.lineT, line: this.lines - 1, ctx: null, prefix, lines: 1, example: this.lineText });
    };
    this.redactor = opts.redact === false || opts.redactions ? null : new SecretRedactor({ patterns: opts.redactPatterns ?? [] });
    this.redaction = opts.redact === false ? null : opts.redactions ?? this.redactor;
    this.builtin = createBuiltinParsers({ mbedtls: opts.mbedtls });
    this.extra = opts.parsers ?? [];
    // Tests only (HSMON_STRICT=1): a line holding HSMON_TEST_THROW throws as a bug in a parser
    // would, so that both replay paths can be shown to report it alike. Wrapped here, not tested
    // per line, to leave the hot path as it is.
    const bug = strictMode() ? process.env['HSMON_TEST_THROW'] : undefined;
    if (bug) {
      const processLine = this.processLine.bind(this);
      this.processLine = (line) => {
        if (line.text.includes(bug)) throw new Error(`HSMON_TEST_THROW on line ${line.seq + 1}`);
        processLine(line);
      };
    }
  }

  push(chunk: Uint8Array, t: number): void {
    for (const line of this.framer.push(chunk, t)) this.processLine(line);
  }

  /** End of input: the partial line, then what the parsers held back. */
  flush(t: number): void {
    for (const line of this.framer.flush(t)) this.processLine(line);
    for (const p of [...Object.values(this.builtin), ...this.extra]) for (const e of p.flush?.() ?? []) this.sink.event(e);
    for (const g of this.profiles.guessed()) {
      this.sink.event({ kind: 'device.prefix_guessed', t, line: Math.max(0, this.lines - 1), ctx: null, prefix: g.prefix, lines: g.lines, example: '' });
    }
  }

  /**
   * A line break the device did not send (the port vanished): the partial line becomes a line
   * of its own, so it is never glued to what the device sends after it comes back.
   */
  breakLine(t: number): void {
    for (const line of this.framer.flush(t)) this.processLine(line);
  }

  /** Of the line in progress, what may be shown now (all of it without redaction). */
  safePartial(): string {
    const text = this.framer.partial();
    if (!this.redactor || text === '') return text;
    return text.slice(0, this.redactor.safePrefix(text));
  }

  get unmatched(): number {
    return this.profiles.unmatched;
  }

  // The hot path: once per device line, hundreds of thousands of times in a large replay.
  // Nothing is built here that is not kept (the log entry) or needed (the shown line).
  private processLine(line: Line): void {
    this.lines = line.seq + 1;
    const sink = this.sink;
    let text = line.text;
    let shown = line;
    const redaction = this.redaction;
    if (redaction) {
      const r = redaction.redact(text, line.seq);
      if (r.secret) {
        if (r.text !== text) {
          text = r.text;
          shown = { ...line, text };
        }
        sink.secret(r.secret, line);
      }
    }
    this.lineT = line.t;
    this.lineText = text;
    const segments = this.profiles.split(text);
    const b = this.builtin;
    const extra = this.extra;
    let parsed = false;
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s]!;
      if (seg.profile !== 'none') parsed = true;
      // Recognised once here rather than by every parser: rows go only to parsers that want them.
      const row = isHexRow(seg.body);
      // One call site per built-in parser, not a loop over all of them: a call site that sees
      // one class stays monomorphic, which V8 makes measurably faster in this loop.
      if (!row || b.mbedtls.wantsHexRow()) parsed = this.deliver(b.mbedtls.feed(seg, shown)) || parsed;
      if (!row || b.psa.wantsHexRow()) parsed = this.deliver(b.psa.feed(seg, shown)) || parsed;
      if (!row || b.pem.wantsHexRow()) parsed = this.deliver(b.pem.feed(seg, shown)) || parsed;
      if (!row || b.app.wantsHexRow()) parsed = this.deliver(b.app.feed(seg, shown)) || parsed;
      if (!row || b.mqtt.wantsHexRow()) parsed = this.deliver(b.mqtt.feed(seg, shown)) || parsed;
      if (!row || b.diagnostic.wantsHexRow()) parsed = this.deliver(b.diagnostic.feed(seg, shown)) || parsed;
      for (let k = 0; k < extra.length; k++) {
        const p = extra[k]!;
        if (row && p.wantsHexRow !== undefined && !p.wantsHexRow()) continue;
        parsed = this.deliver(p.feed(seg, shown)) || parsed;
      }
    }
    sink.line(line, text, parsed);
  }

  /** Hands a parser's events to the sink; true when there were any. */
  private deliver(events: DeviceEvent[]): boolean {
    const sink = this.sink;
    for (let i = 0; i < events.length; i++) sink.event(events[i]!);
    return events.length > 0;
  }
}

/** What a parse stage found, as a session ingests it: parser events and secrets, in order. */
export type ParsedItem = DeviceEvent | { kind: 'secret.redacted'; t: number; line: number; secret: SecretKind };

/** One part of the input, parsed elsewhere (Session.ingest). */
export interface ParsedBatch {
  items: ParsedItem[];
  /** Lines framed so far, and lines no profile recognised, after this batch. */
  lines: number;
  unmatched: number;
}

/** The item a secret found on `line` makes (the session's secret.redacted event). */
export function secretItem(secret: SecretKind, line: Line): Extract<ParsedItem, { kind: 'secret.redacted' }> {
  return { kind: 'secret.redacted', t: line.t, line: line.seq, secret };
}

/** A sink that keeps what it is given for a batch: the log lines are not kept, only counted. */
export class BatchSink implements ParseSink {
  items: ParsedItem[] = [];

  secret(secret: SecretKind, line: Line): void {
    this.items.push(secretItem(secret, line));
  }

  event(e: DeviceEvent): void {
    this.items.push(e);
  }

  line(): void {}

  /** The items since the last take. */
  take(): ParsedItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }
}
