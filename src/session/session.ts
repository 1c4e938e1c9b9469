/**
 * The one-way pipeline of DESIGN.md from bytes to snapshot: LineFramer → secret redaction →
 * profiles → family parsers → machines → store. It does no I/O: sources push bytes in,
 * views pull snapshots out, and NDJSON listeners get every event as it is made.
 */
import type { SecretKind } from '../../parsers/secrets.ts';
import type { DeviceEvent, Line } from '../../parsers/events.ts';
import type { FamilyParser } from '../../parsers/family.ts';
import { BaudGuard } from '../../parsers/baud-guard.ts';
import type { ProfileMatcher } from '../../parsers/profiles/index.ts';
import type { SessionDiagnosis } from '../contracts/diagnosis.ts';
import type { SessionEvent } from '../contracts/events.ts';
import type { BrokerStatus, ConnectionStatus, HandshakeView, LogLineView, Snapshot, SourceInfo } from '../contracts/snapshot.ts';
import { SCHEMA_ID, type Finding, type Summary } from '../contracts/summary.ts';
import { brokerMessageEvent, type BrokerMessage } from '../mqtt/summary.ts';
import { HandshakeTracker, toSummary } from './handshakes.ts';
import { ParseStage, secretItem, type ParsedBatch, type ParsedItem, type ParseSink } from './parse-stage.ts';
import { SessionFacts } from './facts.ts';
import { cachedDisplay } from './handshake-display.ts';

export type { SessionEvent } from '../contracts/events.ts';

/** hsmon's own broker client as the session sees it: connected with the session's handlers. */
export interface BrokerLink {
  readonly address: string;
  publish(topic: string, payload: string | Uint8Array, opts?: { qos?: 0 | 1 | 2; retain?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the parse stage made of the input, as it makes it: the replay time machine records it
 * once (replay-tape.ts) so that a seek re-runs only the cheap part of the pipeline.
 */
export interface ParseTap {
  item(e: ParsedItem): void;
  /** After the line's items: the framed line, its text as shown, and the unmatched count after it. */
  line(line: Line, text: string, parsed: boolean, unmatched: number): void;
}

export type BrokerConnector = (handlers: { message(m: BrokerMessage): void; status(s: BrokerStatus): void }) => BrokerLink;

/** Build one with createSession (create-session.ts): every command does. */
export interface SessionOptions {
  source: SourceInfo;
  mbedtls?: '2.28' | '3.6';
  /** Raw lines kept for the log pane. */
  logCapacity?: number;
  /** false only with --no-redact. */
  redact?: boolean;
  /** `redact.patterns` of the config file (regex sources), on top of the built-in credential patterns. */
  redactPatterns?: readonly string[];
  /** Extra prefix profiles from the user's config. */
  profiles?: ConstructorParameters<typeof ProfileMatcher>[0];
  /** Extra family parsers (tests, plug-ins). */
  parsers?: FamilyParser[];
  maxLineBytes?: number;
  mqttHistory?: number;
  /** The findings computed from the state; null: none but the session's own (garbled input, PEM). */
  diagnosis: SessionDiagnosis | null;
  /** Connects hsmon's own broker client, whose messages and state become session events. */
  broker?: BrokerConnector | null;
  /** The clock broker events are stamped with: ms since session start. */
  now?: () => number;
}

/** Findings in the summary (the diagnosis names each problem once; a damaged log can make many). */
const MAX_SUMMARY_FINDINGS = 200;

/** `dropped` with its non-zero counts, or nothing when every store kept everything. */
function droppedField(counts: Record<string, number>): { dropped?: Record<string, number> } {
  const nonZero = Object.entries(counts).filter(([, n]) => n > 0);
  return nonZero.length === 0 ? {} : { dropped: Object.fromEntries(nonZero) };
}

/** Port gaps kept for the snapshot. */
const MAX_GAPS = 100;

/** Bytes watched for garbage after start and after each reconnect. */
const GUARD_BYTES = 64 * 1024;

export type Listener = (e: SessionEvent) => void;

export class Session {
  readonly source: SourceInfo;
  /** Framer, redaction, profiles and parsers: fed by `feed`, in process. */
  private readonly stage: ParseStage;
  /** Set once `ingest` is used: the parse stage ran elsewhere (a worker) and these are its counts. */
  private remote: { lines: number; unmatched: number } | null = null;
  private readonly handshakes: HandshakeTracker;
  private readonly anomalies: DeviceEvent[] = [];
  readonly facts: SessionFacts;
  private readonly log: LogRing;
  private readonly listeners = new Set<Listener>();
  private readonly changeListeners = new Set<() => void>();
  private readonly lineListeners = new Set<(text: string, t: number) => void>();
  private status: ConnectionStatus = { state: 'connecting' };
  private lastT = 0;
  private noteSeq = 0;
  private txCount = 0;
  private version = 0;
  private cached: { version: number; snapshot: Snapshot } | null = null;
  private replay: Snapshot['replay'];
  private ended = false;
  /** Watches the first bytes after (re)connecting: the wrong baud rate shows there. */
  private readonly baudGuard = new BaudGuard();
  private guardBudget = GUARD_BYTES;
  private garbled: Finding | null = null;
  /** The capture being written (`--pcapng`), for the packet numbers of records. */
  private capture: Snapshot['capture'] = undefined;
  private readonly diagnosis: SessionDiagnosis | null;
  private brokerStatus: BrokerStatus | null = null;
  private readonly now: () => number;
  /** hsmon's own broker client (`--broker`, the demo); closed by `close()`. */
  readonly broker: BrokerLink | null;
  /** Lines the log pane keeps, and the longest line framed (undefined: the framer's default). */
  readonly logCapacity: number;
  readonly maxLineBytes: number | undefined;
  private parseTap: ParseTap | null = null;
  /** Snapshot.portGaps: when the port was gone, the newest MAX_GAPS. */
  private readonly gaps: { from: number; to: number | null }[] = [];
  /**
   * The snapshots' copy of `gaps`, made again only when they change: the ladders worked out
   * with it (handshake-display.ts caches them by the gaps they were given) stay valid until then.
   */
  private gapsCopy: { from: number; to: number | null }[] | null = null;

  constructor(opts: SessionOptions) {
    this.source = opts.source;
    const sink: ParseSink = {
      secret: (secret, line) => {
        const e = secretItem(secret, line);
        this.parseTap?.item(e);
        this.secret(e);
      },
      event: (e) => {
        this.parseTap?.item(e);
        this.dispatch(e);
      },
      line: (line, text, parsed) => {
        this.parseTap?.line(line, text, parsed, this.stage.unmatched);
        this.log.push(line.seq, line.t, text, 'rx', parsed, line.truncated === true, 0);
        if (this.lineListeners.size > 0) for (const l of this.lineListeners) l(text, this.lastT);
        this.changed();
      },
    };
    this.stage = new ParseStage(opts, sink);
    this.handshakes = new HandshakeTracker({ mbedtlsVersion: opts.mbedtls ?? null });
    this.handshakes.onAnomaly = (e) => this.anomalies.push(e);
    this.handshakes.onEnd = (v) => this.emit({ kind: 'tls.handshake.result', t: v.endT ?? this.lastT, line: v.endLine ?? v.startLine, handshake: toSummary(v) });
    this.facts = new SessionFacts({ mqttHistory: opts.mqttHistory, onChange: () => this.changed() });
    this.logCapacity = opts.logCapacity ?? 5000;
    this.maxLineBytes = opts.maxLineBytes;
    this.log = new LogRing(this.logCapacity);
    this.diagnosis = opts.diagnosis;
    this.now = opts.now ?? (() => this.lastT);
    // A state the client reports while connecting synchronously waits a microtask, for the
    // listeners its creator attaches next (NDJSON prints the first `connecting` too).
    let constructing = true;
    this.broker = opts.broker
      ? opts.broker({
          message: (m) => this.brokerMessage(m),
          status: (s) => (constructing ? queueMicrotask(() => this.setBrokerStatus(s)) : this.setBrokerStatus(s)),
        })
      : null;
    constructing = false;
  }

  /** A message the broker delivered to hsmon's own client: the MQTT history and one event. */
  brokerMessage(m: BrokerMessage): void {
    this.facts.brokerMessage(m);
    // It carries the seq of the latest device line, which keeps the NDJSON stream ordered.
    this.emit(brokerMessageEvent(m, this.lineCount - 1));
  }

  /** hsmon's broker client changed state (or could not start): the status bar shows it at once. */
  setBrokerStatus(status: BrokerStatus, t: number = this.now()): void {
    if (this.brokerStatus && this.brokerStatus.state === status.state && this.brokerStatus.detail === status.detail) return;
    this.brokerStatus = status;
    this.emit({ kind: 'broker.status', t, line: null, state: status.state, detail: status.detail ?? null });
    this.changed();
  }

  /** Closes what the session opened itself (the broker client). */
  async close(): Promise<void> {
    await this.broker?.close();
  }

  /** Every event, in order, as it is made (NDJSON). */
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after any change; the UI throttles its renders itself. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Every device line as the session shows it (redacted by the session's one redaction state),
   * when it is complete; `t` is when it completed. The recording is written from here.
   */
  onLine(listener: (text: string, t: number) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Of the device line still in progress, what may be shown now without leaking a secret. */
  safePartial(): string {
    return this.remote ? '' : this.stage.safePartial();
  }

  /**
   * A line break the device did not send: the port vanished (live, or a `serial disconnected`
   * mark in a raw recording being replayed). The partial line becomes a line of its own.
   */
  breakLine(t: number = this.lastT): void {
    if (!this.remote) this.stage.breakLine(t);
  }

  /** Lines hidden so far, by kind of secret; null with --no-redact. */
  redactions(): Record<SecretKind, number> | null {
    const r = this.stage.redactor;
    return r ? { ...r.counts } : null;
  }

  /** Bytes from the device. `t`: ms since session start. */
  feed(chunk: Uint8Array, t: number): void {
    this.lastT = t;
    this.checkInput(chunk);
    this.stage.push(chunk, t);
  }

  /**
   * The bytes `feed` would have been given, for the garbled-input check only: when the parse
   * stage runs elsewhere (`ingest`), the session still watches the first bytes itself.
   */
  checkInput(chunk: Uint8Array): void {
    if (this.guardBudget > 0) this.checkGarbage(chunk);
  }

  /**
   * What a parse stage run elsewhere (parse-worker.ts) made of the next part of the input,
   * instead of `feed`: its events in order, and its line and unmatched counts after them.
   */
  ingest(batch: ParsedBatch, t: number = this.lastT): void {
    this.lastT = t;
    this.remote ??= { lines: 0, unmatched: 0 };
    const items = batch.items;
    for (let i = 0; i < items.length; i++) {
      const e = items[i]!;
      if (e.kind === 'secret.redacted') this.secret(e);
      else this.dispatch(e);
    }
    this.remote.lines = batch.lines;
    this.remote.unmatched = batch.unmatched;
    this.changed();
  }

  /** Every item and line the parse stage makes from now on also goes to `tap` (null: none). */
  tap(tap: ParseTap | null): void {
    this.parseTap = tap;
  }

  /**
   * A device line for the log pane when the parse stage ran elsewhere (`ingest`): what the
   * stage's sink does with a line, without parsing it again.
   */
  ingestLine(seq: number, t: number, text: string, parsed: boolean, truncated: boolean): void {
    this.log.push(seq, t, text, 'rx', parsed, truncated, 0);
    if (this.lineListeners.size > 0) for (const l of this.lineListeners) l(text, t);
    this.changed();
  }

  private get lineCount(): number {
    return this.remote ? this.remote.lines : this.stage.lines;
  }

  /** Bytes hsmon sent to the device: shown in the log, never parsed as device output. */
  tx(bytes: Uint8Array, t: number): void {
    const text = new TextDecoder().decode(bytes).replace(/\r?\n$/, '');
    const seq = this.lineCount;
    this.txCount++;
    this.log.push(seq, t, text, 'tx', false, false, this.txCount);
    this.emit({ kind: 'tx', t, line: seq, text });
    this.changed();
  }

  /** A note of hsmon's own (reconnects, user marks) in the log pane. */
  note(text: string, t: number): void {
    this.noteSeq++;
    this.log.push(this.lineCount, t, `--- ${text}`, 'note', false, false, this.noteSeq);
    this.changed();
  }

  /** The recording failed (disk full, I/O error) and stopped; the session goes on without it. */
  recordingStopped(detail: string, t: number = this.lastT): void {
    const path = this.source.recordingPath ?? '';
    this.source.recordingStopped = detail;
    this.emit({ kind: 'record.stopped', t, line: null, path, detail });
    this.note(`recording stopped: ${detail} — ${path} holds everything before this line; monitoring goes on`, t);
    this.changed();
  }

  /** The recording replayed is damaged: what its reader skipped, for the status bar and the log. */
  recordingDamaged(detail: string): void {
    this.source.damage = detail;
    this.note(`damaged recording: ${detail}`, 0);
  }

  setStatus(status: ConnectionStatus, t: number = this.lastT): void {
    const prev = this.status.state;
    const goneSince = prev === 'reconnecting' ? this.status.since ?? t : t;
    // The time the port went away stays with every reconnecting status until it is back.
    this.status = status.state === 'reconnecting' ? { ...status, since: goneSince } : status;
    if (status.state === 'reconnecting' && prev !== 'reconnecting') {
      // What the device sent before it vanished is a line of its own, never the start of the next one.
      if (!this.remote) this.stage.breakLine(t);
      this.gaps.push({ from: t, to: null });
      if (this.gaps.length > MAX_GAPS) this.gaps.shift();
      this.gapsCopy = null;
      this.emit({ kind: 'serial.disconnected', t, line: null, detail: status.detail });
      this.note(`port disconnected${status.detail ? `: ${status.detail}` : ''} — waiting for it to come back`, t);
    } else if (status.state === 'open' && prev === 'reconnecting') {
      this.guardBudget = GUARD_BYTES;
      this.baudGuard.reset();
      const open = this.gaps.at(-1);
      if (open && open.to === null) open.to = t;
      this.gapsCopy = null;
      this.emit({ kind: 'serial.reconnected', t, line: null });
      // The gap is said where it is: device times across it include the time the port was gone.
      this.note(`port reconnected after ${gapText(t - goneSince)} away`, t);
    }
    this.changed();
  }

  /** A capture (`--pcapng`) is made of this session: views can name each record's packet. */
  setCapture(capture: NonNullable<Snapshot['capture']>): void {
    this.capture = capture;
    this.changed();
  }

  setReplay(replay: Snapshot['replay']): void {
    this.replay = replay;
    this.changed();
  }

  /** End of input: flush the partial line, close open handshakes, run the diagnosis. */
  end(t: number = this.lastT): void {
    if (this.ended) return;
    this.ended = true;
    // With `ingest`, the stage elsewhere flushed itself into its last batch.
    if (!this.remote) this.stage.flush(t);
    this.handshakes.endAll(t, Math.max(0, this.lineCount - 1));
    this.changed();
  }

  /** Resolves when asynchronous analysis (certificates) has caught up. */
  settled(): Promise<void> {
    return this.facts.settled();
  }

  get lines(): number {
    return this.lineCount;
  }

  getSnapshot(): Snapshot {
    if (this.cached && this.cached.version === this.version) return this.cached.snapshot;
    const handshakes = this.handshakes.views();
    const portGaps = this.gaps.length > 0 ? (this.gapsCopy ??= this.gaps.map((g) => ({ ...g }))) : undefined;
    const base: Snapshot = {
      source: this.source,
      status: this.status,
      lines: this.lineCount,
      unmatchedLines: this.remote ? this.remote.unmatched : this.stage.unmatched,
      log: this.log.toArray(),
      handshakes,
      // Worked out for the handshakes a pane shows, not for every attempt of a long replay.
      handshakeDisplay: (i: number) => cachedDisplay(handshakes[i]!, portGaps),
      certificates: this.facts.certificates(),
      keys: this.facts.keys(),
      psaCalls: this.facts.psaCalls(),
      mqtt: { ...this.facts.mqtt(), brokerStatus: this.brokerStatus, entries: this.facts.mqttEntries() },
      device: this.deviceLine(handshakes.length),
      findings: [],
      replay: this.replay,
      ...(this.capture ? { capture: this.capture } : {}),
      ...(portGaps ? { portGaps } : {}),
    };
    const snapshot = { ...base, findings: this.findings(base) };
    this.cached = { version: this.version, snapshot };
    return snapshot;
  }

  summary(): Summary {
    const s = this.getSnapshot();
    return {
      kind: 'summary',
      schema: SCHEMA_ID,
      source: this.source.name,
      lines: s.lines,
      handshakes: s.handshakes.map(toSummary),
      certificates: s.certificates,
      keys: s.keys,
      mqtt: { connected: s.mqtt.connected, subscriptions: s.mqtt.subscriptions, messages: s.mqtt.messages },
      findings: s.findings.slice(0, MAX_SUMMARY_FINDINGS),
      ...droppedField({ ...this.facts.dropped(), handshakes: this.handshakes.dropped, handshakeItems: this.handshakes.itemsDropped, findings: Math.max(0, s.findings.length - MAX_SUMMARY_FINDINGS) }),
    };
  }

  /** The newest line of the log ring (what a replay step landed on), without building a snapshot. */
  lastLine(): LogLineView | null {
    return this.log.last();
  }

  /** Handshake views (for tests and the UI) without building a whole snapshot. */
  handshakeViews(): HandshakeView[] {
    return this.handshakes.views();
  }

  /**
   * The device's story for the status bar, or what is wrong with the input instead: garbage
   * (wrong baud rate) before any handshake, and a file that ended without one.
   */
  private deviceLine(handshakes: number): string {
    const d = this.facts.deviceStatus();
    if (handshakes > 0) return d;
    if (this.garbled) return 'garbled input — check the baud rate';
    // A file is not a device to wait for: it has a handshake further on, or none.
    if (this.source.type === 'file' && d === 'waiting for the device') return this.ended ? 'no handshake in this file' : 'no handshake yet';
    return d;
  }

  private checkGarbage(chunk: Uint8Array): void {
    const part = chunk.length > this.guardBudget ? chunk.subarray(0, this.guardBudget) : chunk;
    this.guardBudget -= part.length;
    if (this.garbled || !this.baudGuard.feed(part)) return;
    const rate = this.source.baud ? ` at ${this.source.baud} baud` : '';
    this.garbled = {
      code: 'garbled-input',
      severity: 'warning',
      message: `The input${rate} is mostly bytes no firmware log contains (${Math.round(this.baudGuard.score * 100)}% of the last ${this.baudGuard.window}): the baud rate is probably wrong, or this is not a text log.`,
      hint: this.source.type === 'serial'
        ? 'Check the baud rate the firmware uses (often 115200 or 921600) and pass it with --baud; check data bits, parity and stop bits (8N1) too.'
        : 'Check that the file is the device\'s text output or an hsmon recording, captured at the right baud rate.',
      line: this.lineCount,
    };
    this.changed();
  }

  private findings(base: Snapshot): Finding[] {
    const own = this.garbled ? [this.garbled, ...this.facts.findings()] : this.facts.findings();
    const derived = this.diagnosis ? this.diagnosis.findings(base) : [];
    return [...own, ...derived];
  }

  /** A secret the redactor hid: one NDJSON line (the diagnosis reads it from there). */
  private secret(e: Extract<ParsedItem, { kind: 'secret.redacted' }>): void {
    this.emit(e);
  }

  private dispatch(e: DeviceEvent): void {
    this.handshakes.feed(e);
    this.facts.feed(e);
    this.emit(e);
    // A step the client graph does not allow: its anomaly follows the step's own event.
    if (this.anomalies.length > 0) for (const a of this.anomalies.splice(0)) this.emit(a);
  }

  private emit(e: SessionEvent): void {
    // The diagnosis first: a listener that asks for findings sees them up to this event.
    this.diagnosis?.feed(e);
    for (const l of this.listeners) l(e);
  }

  private changed(): void {
    this.version++;
    if (this.changeListeners.size > 0) for (const l of this.changeListeners) l();
  }
}

function gapText(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const DIRS: readonly LogLineView['dir'][] = ['rx', 'tx', 'note'];
const PARSED = 4;
const TRUNCATED = 8;

/**
 * The log pane's lines, the newest `capacity` of them. Kept as columns, and made into
 * LogLineView objects only when a snapshot asks for them (then kept, so a line's view is the
 * same object in every snapshot): a replay frames hundreds of thousands of lines that no view
 * ever shows, and an object per line is a large part of its garbage.
 */
class LogRing {
  private readonly seq: Float64Array;
  private readonly t: Float64Array;
  private readonly text: string[];
  /** dir index | PARSED | TRUNCATED */
  private readonly flags: Uint8Array;
  private readonly own: Float64Array;
  private readonly views: (LogLineView | undefined)[];
  private start = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`log capacity must be a positive integer, got ${capacity}`);
    this.seq = new Float64Array(capacity);
    this.t = new Float64Array(capacity);
    this.text = new Array<string>(capacity).fill('');
    this.flags = new Uint8Array(capacity);
    this.own = new Float64Array(capacity);
    this.views = new Array<LogLineView | undefined>(capacity).fill(undefined);
  }

  /** `own`: the tx or note's own number (1, 2, …), 0 for device lines. */
  push(seq: number, t: number, text: string, dir: LogLineView['dir'], parsed: boolean, truncated: boolean, own: number): void {
    let i: number;
    if (this.size < this.capacity) {
      i = (this.start + this.size++) % this.capacity;
    } else {
      i = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.seq[i] = seq;
    this.t[i] = t;
    this.text[i] = text;
    this.flags[i] = (dir === 'rx' ? 0 : dir === 'tx' ? 1 : 2) | (parsed ? PARSED : 0) | (truncated ? TRUNCATED : 0);
    this.own[i] = own;
    this.views[i] = undefined;
  }

  last(): LogLineView | null {
    if (this.size === 0) return null;
    const i = (this.start + this.size - 1) % this.capacity;
    const f = this.flags[i]!;
    const v: LogLineView = { seq: this.seq[i]!, t: this.t[i]!, text: this.text[i]!, dir: DIRS[f & 3]!, parsed: (f & PARSED) !== 0 };
    if (this.own[i]! > 0) v.n = this.own[i]!;
    return v;
  }

  /** Oldest first. */
  toArray(): LogLineView[] {
    const out = new Array<LogLineView>(this.size);
    for (let k = 0; k < this.size; k++) {
      const i = (this.start + k) % this.capacity;
      let v = this.views[i];
      if (v === undefined) {
        const f = this.flags[i]!;
        v = { seq: this.seq[i]!, t: this.t[i]!, text: this.text[i]!, dir: DIRS[f & 3]!, parsed: (f & PARSED) !== 0 };
        if ((f & TRUNCATED) !== 0) v.truncated = true;
        if (this.own[i]! > 0) v.n = this.own[i]!;
        this.views[i] = v;
      }
      out[k] = v;
    }
    return out;
  }
}
