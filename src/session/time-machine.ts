/**
 * Replay as a time machine. A session is deterministic: fed the same events it ends in the same
 * state. So going anywhere in a recording means feeding a fresh session from the start up to
 * there (forward from where it is, when the target is ahead), and every pane — built from the
 * session's snapshot — shows exactly what it showed when the replay first passed that point.
 * Positions are counts of recording events fed (for a plain log: lines).
 *
 * Parsing (framer, redaction, profiles, parsers) is most of that cost, so a plain log is parsed
 * once: the session that first reads it (the reader) records what its parse stage made on a
 * tape (replay-tape.ts), and a seek back feeds a fresh session from the tape (Session.ingest),
 * its log pane framed again from the recording for the last lines only. The reader stays where
 * it got to; a session fed from the tape that catches up with it is replaced by it. A .cast
 * recording (or a log with lone CR line ends, where lines and events differ) is re-parsed from
 * the start instead: those are the monitor's own recordings, not the 64 MB logs.
 *
 * The reader parses here (parsing-reader.ts) or, with `readElsewhere` (the interactive replay:
 * src/cli/tape-in-worker.ts), is fed from a tape recorded on another thread from the moment the
 * replay opens (worker-tape-reader.ts): then this thread never parses, and a seek waits only for
 * the tape to reach its target. If that tape stops or breaks, a reader that parses here takes
 * over from the start.
 *
 * No timers: the pacing of play lives in src/cli/replay-player.ts. The clock only bounds a
 * forward search for the next finding.
 */
import type { Recording } from './recording.ts';
import { ReplayTape } from './replay-tape.ts';
import { ParsingReader } from './parsing-reader.ts';
import type { Session } from './session.ts';
import { feedFromTape, feedOne } from './tape-feed.ts';
import type { TapeReader } from './tape-reader.ts';
import type { Snapshot } from './types.ts';
import { WorkerTapeReader, type ReadElsewhere } from './worker-tape-reader.ts';

export type { ReadElsewhere, TapeEvents, TapeReading } from './worker-tape-reader.ts';

/** Where a seek goes: the start, the end, a line (seq), or the previous/next state, finding or parsed line. */
export type SeekTarget =
  | { to: 'start' }
  | { to: 'end' }
  | { to: 'line'; line: number }
  | { to: 'state' | 'finding' | 'parsed'; dir: 1 | -1 };

/**
 * Forward from `at()` toward `end` with `step`, until `ms` have passed since `started`, in steps
 * of `n` events that double while one takes well under a quarter of the slice.
 */
function inGrowingSteps(at: () => number, end: number, n: number, started: number, ms: number, step: (to: number) => void): void {
  while (at() < end) {
    const t0 = performance.now();
    step(Math.min(end, at() + n));
    const now = performance.now();
    if (now - started >= ms) break;
    if (now - t0 < ms / 4) n *= 2;
  }
}

/** The first bytes the session checks for a wrong baud rate (Session's GUARD_BYTES). */
const GUARD_BYTES = 64 * 1024;

export class TimeMachine {
  /** The session the panes show. */
  private current: Session;
  private position = 0;
  /** The session that has read the recording furthest, and its tape. */
  private reader: TapeReader;
  private off: () => void = () => {};
  private readonly listeners = new Set<() => void>();
  /** Positions right after the event that made a finding appear, known up to `findingsScanned`. */
  private readonly findingAt: number[] = [];
  private findingsScanned = 0;
  private loneCr: boolean | null = null;
  /** ms a forward search for the next finding may take before it stops and says where it got. */
  searchBudgetMs = 1500;
  private readonly readListeners = new Set<() => void>();
  private readonly restartListeners = new Set<(at: number) => void>();
  private readonly tapeItems: number | undefined;

  constructor(
    readonly recording: Recording,
    private readonly makeSession: () => Session,
    opts: { tapeItems?: number; readElsewhere?: ReadElsewhere } = {},
  ) {
    this.tapeItems = opts.tapeItems;
    const tape = recording.format === 'text' && recording.span && !this.hasLoneCr() ? new ReplayTape(opts.tapeItems) : null;
    if (tape && opts.readElsewhere) {
      const reader: WorkerTapeReader = new WorkerTapeReader(recording, this.fresh(), tape, opts.readElsewhere, {
        progress: () => this.told(),
        broke: () => this.fallBack(reader),
      });
      this.reader = reader;
    } else this.reader = new ParsingReader(recording, this.fresh(), tape);
    this.current = this.reader.session;
    this.off = this.current.onChange(() => this.notify());
  }

  /**
   * The tape recorded elsewhere stopped or broke: the file is parsed here, from the start up to
   * where the replay is; back there at once, unless a player takes it there in the background
   * (hundreds of MB in, parsing there takes tens of seconds).
   */
  private fallBack(reader: TapeReader): void {
    if (this.reader !== reader) return;
    const at = this.position;
    this.quiet(() => {
      this.parseHere();
      if (this.restartListeners.size === 0) this.feedTo(at);
    });
    for (const l of this.restartListeners) l(at);
    this.told();
  }

  /** The tape is recorded on another thread: reading ahead is its work, not this thread's. */
  get readsElsewhere(): boolean {
    return this.reader.elsewhere;
  }

  /** Threads reading the recording elsewhere right now (0: none, or done): the cores they keep busy. */
  get readingThreads(): number {
    return this.reader.threads;
  }

  /** Play has caught up with the tape recorded elsewhere: nothing to feed until more is read. */
  get starved(): boolean {
    return this.reader.elsewhere && !this.atEnd && this.position >= this.reader.ready;
  }

  /**
   * Called when the tape recorded elsewhere failed and the machine went back to the start to
   * parse here, with the position it was at: the listener takes it back there (a seek).
   */
  onRestart(listener: (at: number) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Called when more of the recording has been read (by the thread recording the tape). */
  onRead(listener: () => void): () => void {
    this.readListeners.add(listener);
    return () => this.readListeners.delete(listener);
  }

  /** Resolves once the whole recording has been read (at once when it is parsed here). */
  whenRead(): Promise<void> {
    if (this.readAll || !this.reader.elsewhere) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onRead(() => {
        if (!this.readAll && this.reader.elsewhere) return;
        off();
        resolve();
      });
    });
  }

  /** Stops the thread recording the tape (the replay closed). */
  close(): void {
    this.reader.close();
  }

  /** The tape recorded elsewhere broke or stopped: a reader that parses here, from the start. */
  private parseHere(): void {
    this.reader.close();
    this.reader = new ParsingReader(this.recording, this.fresh(), new ReplayTape(this.tapeItems));
    this.current = this.reader.session;
    this.position = 0;
  }

  private told(): void {
    for (const l of this.readListeners) l();
  }

  get session(): Session {
    return this.current;
  }

  /** Events fed so far. */
  get pos(): number {
    return this.position;
  }

  get atEnd(): boolean {
    return this.position >= this.recording.count;
  }

  getSnapshot(): Snapshot {
    return this.current.getSnapshot();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The whole recording has been parsed (every seek is then a replay of the tape). */
  get readAll(): boolean {
    return this.reader.readAll;
  }

  /**
   * Parses ahead of what is shown for about `ms` (the player calls it while the replay idles),
   * so that a seek forward later finds the tape ready instead of parsing. What is shown does
   * not change: when the reader itself is shown, a session fed from the tape to the same point
   * takes its place first. False when there is nothing left to read ahead.
   */
  readAhead(ms: number): boolean {
    const reader = this.reader;
    if (reader.elsewhere) return !this.readAll;
    const count = this.recording.count;
    if (!reader.tape || reader.pos >= count) return false;
    const started = performance.now();
    if (this.current === reader.session) {
      const s = this.fresh();
      if (this.position > 0 && !this.fromTape(s, 0, this.position, true)) return false;
      s.setReplay(reader.session.getSnapshot().replay);
      this.off();
      this.current = s;
      this.off = s.onChange(() => this.notify());
    }
    inGrowingSteps(() => reader.pos, count, 64, started, ms, (to) => reader.advanceTo(to));
    return reader.pos < count;
  }

  /**
   * Events the reader must still parse before `target` is a replay of the tape (0: none, or a
   * target found by stepping: states, findings, parsed lines, a .cast's lines).
   */
  toRead(target: SeekTarget): number {
    if (!this.reader.tape) return 0;
    return Math.max(0, this.eventsFor(target) - this.reader.ready);
  }

  /** Events fed at `target` when it is a place in the recording (the end, a line); else 0. */
  eventsFor(target: SeekTarget): number {
    const count = this.recording.count;
    return target.to === 'end' ? count : target.to === 'line' ? Math.min(count, Math.max(0, target.line) + 1) : 0;
  }

  /**
   * Toward a place (the end, a line) on the tape recorded elsewhere: forward as far as it has
   * been read, for about `ms`, in steps that grow while they are cheap (readAhead's). A seek
   * that waited for the read lands this way a slice at a time, so keys and frames are served
   * between: a `G` pressed as a 64 MB replay opened fed 0.4 s of tape in one go when it landed.
   * False when there was nothing to feed.
   */
  approach(target: SeekTarget, ms: number): boolean {
    if (!this.reader.elsewhere) return false;
    const to = Math.min(this.eventsFor(target), this.reader.ready);
    if (to <= this.position) return false;
    const started = performance.now();
    // Each step frames the Log pane's last lines again: not much smaller than the pane.
    this.quiet(() => inGrowingSteps(() => this.position, to, 16_384, started, ms, (at) => this.feedTo(at)));
    return true;
  }

  /** How far the reader has parsed, 0..1. */
  get readFraction(): number {
    const rec = this.recording;
    return rec.totalBytes > 0 ? rec.bytesBefore(this.reader.ready) / rec.totalBytes : 1;
  }

  /** Feed the next `n` events (play). */
  advance(n = 1): void {
    const target = Math.min(this.recording.count, this.position + n);
    this.quiet(() => this.feedTo(target));
  }

  /** Go to `target`; returns what happened, in words, for the status bar. */
  seek(target: SeekTarget): string {
    switch (target.to) {
      case 'start':
        // The first line, as a viewer opens a file: something to read, nothing parsed after it.
        this.toLine(0);
        return 'at line 1: space plays, → steps';
      case 'end':
        this.quiet(() => this.moveTo(this.recording.count));
        return `at the end: line ${this.current.lines}`;
      case 'line':
        return this.toLine(Math.max(0, target.line));
      case 'parsed':
      case 'state':
      case 'finding': {
        const what = target.to === 'parsed' ? 'parsed line' : target.to === 'state' ? 'handshake state' : 'finding';
        return target.dir === 1 ? this.searchForward(target.to, what) : this.searchBack(target.to, what);
      }
    }
  }

  private toLine(line: number): string {
    const rec = this.recording;
    this.quiet(() => {
      // Lines and events differ for a .cast recording (an event holds any bytes) or lone CR line
      // ends: there, feed event by event until the line is complete.
      if (rec.format === 'text' && !this.hasLoneCr()) this.moveTo(Math.min(rec.count, line + 1));
      else {
        if (this.current.lines > line) this.moveTo(0);
        while (!this.atEnd && this.current.lines <= line) this.feedTo(this.position + 1);
      }
    });
    return this.current.lines > line ? `at line ${line + 1}` : `the recording has ${this.current.lines} lines: at its end`;
  }

  private hasLoneCr(): boolean {
    if (this.loneCr === null) {
      const all = this.recording.span?.(0, this.recording.count) ?? new Uint8Array(0);
      this.loneCr = false;
      for (let at = all.indexOf(13); at !== -1; at = all.indexOf(13, at + 1)) {
        if (at + 1 < all.length && all[at + 1] !== 10) {
          this.loneCr = true;
          break;
        }
      }
    }
    return this.loneCr;
  }

  /**
   * The previous state or parsed line is in the snapshot (state visits and log lines carry their
   * line); the previous finding's appearance is found by counting findings event by event.
   */
  private searchBack(kind: 'parsed' | 'state' | 'finding', what: string): string {
    if (kind === 'finding') {
      if (this.findingsScanned < this.position) this.scanFindings(this.position);
      let p: number | null = null;
      for (const m of this.findingAt) if (m < this.position) p = m;
      if (p === null) return `no earlier ${what}`;
      const to = p;
      this.quiet(() => this.moveTo(to));
      return `back to the finding that appeared at line ${this.current.lines}`;
    }
    const cur = this.current.lines - 1;
    const s = this.getSnapshot();
    let target = -1;
    if (kind === 'state') {
      for (const h of s.handshakes) for (const v of h.visits) if (v.line < cur && v.line > target) target = v.line;
    } else {
      for (const l of s.log) if (l.dir === 'rx' && l.parsed && l.seq < cur && l.seq > target) target = l.seq;
    }
    if (target < 0) return `no earlier ${what}`;
    this.toLine(target);
    return `back to the ${what} at line ${target + 1}`;
  }

  private searchForward(kind: 'parsed' | 'state' | 'finding', what: string): string {
    if (this.atEnd) return `at the end: no later ${what}`;
    const started = performance.now();
    const count = (): number => (kind === 'state' ? this.visits() : kind === 'finding' ? this.current.getSnapshot().findings.length : 0);
    const before = count();
    let said: string | null = null;
    this.quiet(() => {
      while (!this.atEnd) {
        const lines = this.current.lines;
        const at = this.position;
        this.step(kind === 'finding');
        if (this.position === at) {
          // The tape recorded elsewhere has not got further yet.
          said = `no later ${what} up to line ${this.current.lines} yet: the file is still being read`;
          return;
        }
        const last = kind === 'parsed' && this.current.lines > lines ? this.current.lastLine() : null;
        if (kind === 'parsed' ? last !== null && last.dir === 'rx' && last.parsed : count() > before) {
          said = `${what} at line ${this.current.lines}`;
          return;
        }
        if (kind === 'finding' && performance.now() - started > this.searchBudgetMs) {
          said = `no new finding up to line ${this.current.lines} yet: } searches on`;
          return;
        }
      }
    });
    return said ?? `no later ${what}: at the end`;
  }

  /** States visited by every handshake so far (the ladder's rungs that have a line). */
  private visits(): number {
    let n = 0;
    for (const h of this.current.handshakeViews()) n += h.visits.length;
    return n;
  }

  /**
   * Where each finding appeared, up to `upTo`: a scratch session fed event by event from the
   * start (from the tape: only where the tape has items can a finding appear, and without the
   * log pane's lines, which no finding reads).
   */
  private scanFindings(upTo: number): void {
    const scratch = this.fresh();
    const rec = this.recording;
    const tape = this.reader.tape;
    const started = performance.now();
    let n = 0;
    let fed = 0;
    for (let i = 0; i < upTo; i++) {
      if (tape) {
        const quietLine = tape.itemsBefore(i + 1) === tape.itemsBefore(i) && rec.bytesBefore(i) > GUARD_BYTES && i + 1 < rec.count;
        if (!quietLine) {
          this.fromTape(scratch, fed, i + 1, false);
          fed = i + 1;
        }
      } else feedOne(scratch, rec, i);
      if (fed === i + 1 || !tape) {
        const now = scratch.getSnapshot().findings.length;
        if (now > n && !this.findingAt.includes(i + 1)) this.findingAt.push(i + 1);
        n = now;
      }
      this.findingsScanned = Math.max(this.findingsScanned, i + 1);
      if (performance.now() - started > this.searchBudgetMs * 2) break;
    }
    this.findingAt.sort((a, b) => a - b);
  }

  /** Forward from here when the target is ahead; else from the start (the tape, or parsing again). */
  private moveTo(target: number): void {
    if (target < this.position) {
      if (this.reader.tape) this.current = this.fresh();
      else this.restart();
      this.position = 0;
    }
    this.feedTo(target);
  }

  /** A fresh reader from the start, with no tape: what a recording without one does on every seek back. */
  private restart(): void {
    this.reader.close();
    this.reader = new ParsingReader(this.recording, this.fresh(), null);
    this.current = this.reader.session;
    this.position = 0;
  }

  /** Forward to `target` (no notification: callers run it in `quiet`). */
  private feedTo(target: number): void {
    if (this.current !== this.reader.session) {
      const mid = Math.min(target, this.reader.pos);
      // No tape (given up: too large) or one the recording does not frame to: parse again.
      if (!this.reader.tape || (mid > this.position && !this.fromTape(this.current, this.position, mid, true))) {
        this.restart();
      } else {
        if (mid > this.position) this.position = mid;
        // Caught up with the reader: both are the same session state, and the reader goes on.
        if (this.position === this.reader.pos) this.current = this.reader.session;
      }
      if (this.current !== this.reader.session) {
        if (this.position >= target) return;
        // Defensive: the reader is behind a tape session only if the tape broke.
        this.restart();
      }
    }
    // A tape recorded elsewhere that the recording does not frame to: parse here from the start.
    if (!this.reader.advanceTo(target)) {
      this.parseHere();
      this.reader.advanceTo(target);
    }
    this.position = this.reader.pos;
  }

  /** Feeds `s` (at `from`) the reader's tape up to `to` (tape-feed.ts); false when there is none to trust. */
  private fromTape(s: Session, from: number, to: number, log: boolean): boolean {
    const tape = this.reader.tape;
    return tape !== null && feedFromTape(s, tape, this.recording, from, to, log);
  }

  /** One event; with `track`, note whether a finding appeared with it. */
  private step(track: boolean): void {
    const before = track ? this.current.getSnapshot().findings.length : 0;
    this.feedTo(this.position + 1);
    if (!track) return;
    if (this.current.getSnapshot().findings.length > before && !this.findingAt.includes(this.position)) {
      this.findingAt.push(this.position);
      this.findingAt.sort((a, b) => a - b);
    }
    if (this.findingsScanned === this.position - 1) this.findingsScanned = this.position;
  }

  /** Runs `f` without a change notification per line, then notifies once. */
  private quiet(f: () => void): void {
    this.off();
    try {
      f();
    } finally {
      this.off = this.current.onChange(() => this.notify());
      this.notify();
    }
  }

  private fresh(): Session {
    const s = this.makeSession();
    s.setStatus({ state: 'open' });
    // Every session of the replay says so, before its first line: a seek builds a new one.
    if (this.recording.damage) s.recordingDamaged(this.recording.damage);
    return s;
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
