/**
 * Replay as a time machine. A session is deterministic: fed the same events it ends in the same
 * state. So going anywhere in a recording means feeding a fresh session from the start up to
 * there (forward from where it is, when the target is ahead), and every pane — built from the
 * session's snapshot — shows exactly what it showed when the replay first passed that point.
 * Positions are counts of recording events fed (for a plain log: lines).
 *
 * No timers: the pacing of play lives in src/cli/replay-player.ts. The clock only bounds a
 * forward search for the next finding.
 */
import type { Recording } from './recording.ts';
import type { Session } from './session.ts';
import type { Snapshot } from './types.ts';

/** Where a seek goes: the start, the end, a line (seq), or the previous/next state, finding or parsed line. */
export type SeekTarget =
  | { to: 'start' }
  | { to: 'end' }
  | { to: 'line'; line: number }
  | { to: 'state' | 'finding' | 'parsed'; dir: 1 | -1 };

/** Device output fed per call when jumping through a plain log (the framer does not care how it is cut). */
const BULK = 1 << 20;

export class TimeMachine {
  private current: Session;
  private position = 0;
  private off: () => void = () => {};
  private readonly listeners = new Set<() => void>();
  /** Positions right after the event that made a finding appear, known up to `findingsScanned`. */
  private readonly findingAt: number[] = [];
  private findingsScanned = 0;
  private loneCr: boolean | null = null;
  /** ms a forward search for the next finding may take before it stops and says where it got. */
  searchBudgetMs = 1500;

  constructor(
    readonly recording: Recording,
    private readonly makeSession: () => Session,
  ) {
    this.current = this.fresh();
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

  /** Feed the next `n` events (play). */
  advance(n = 1): void {
    this.feedTo(Math.min(this.recording.count, this.position + n));
  }

  /** Go to `target`; returns what happened, in words, for the status bar. */
  seek(target: SeekTarget): string {
    switch (target.to) {
      case 'start':
        // The first line, as a viewer opens a file: something to read, nothing parsed after it.
        this.toLine(0);
        return 'at line 1: space plays, → steps';
      case 'end':
        this.moveTo(this.recording.count);
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
    // Lines and events differ for a .cast recording (an event holds any bytes) or lone CR line
    // ends: there, feed event by event until the line is complete.
    if (rec.format === 'text' && !this.hasLoneCr()) this.moveTo(Math.min(rec.count, line + 1));
    else {
      if (this.current.lines > line) this.moveTo(0);
      this.quiet(() => {
        while (!this.atEnd && this.current.lines <= line) this.step(false);
      });
    }
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
      this.moveTo(p);
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
        this.step(kind === 'finding');
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

  /** Where each finding appeared, up to `upTo`: a scratch session fed event by event from the start. */
  private scanFindings(upTo: number): void {
    const scratch = this.fresh(false);
    const rec = this.recording;
    const started = performance.now();
    let n = 0;
    for (let i = 0; i < upTo; i++) {
      feedOne(scratch, rec, i);
      const now = scratch.getSnapshot().findings.length;
      if (now > n && !this.findingAt.includes(i + 1)) this.findingAt.push(i + 1);
      n = now;
      this.findingsScanned = Math.max(this.findingsScanned, i + 1);
      if (performance.now() - started > this.searchBudgetMs * 2) break;
    }
    this.findingAt.sort((a, b) => a - b);
  }

  /** Forward from here when the target is ahead, else a fresh session fed from the start. */
  private moveTo(target: number): void {
    if (target < this.position) {
      this.current = this.fresh();
      this.position = 0;
    }
    this.feedTo(target);
  }

  private feedTo(target: number): void {
    const rec = this.recording;
    this.quiet(() => {
      if (rec.span && target - this.position > 1) {
        while (this.position < target) {
          let to = this.position + 1;
          const from = rec.bytesBefore(this.position);
          // Grow the span in steps of 1024 events while it stays under BULK bytes.
          while (to < target && rec.bytesBefore(Math.min(target, to + 1024)) - from < BULK) to = Math.min(target, to + 1024);
          this.current.feed(rec.span(this.position, to), 0);
          this.position = to;
        }
        if (this.atEnd) this.finish(this.current);
      } else {
        while (this.position < target) this.step(false);
      }
    });
  }

  /** One event; with `track`, note whether a finding appeared with it. */
  private step(track: boolean): void {
    const before = track ? this.current.getSnapshot().findings.length : 0;
    feedOne(this.current, this.recording, this.position);
    this.position++;
    if (this.atEnd) this.finish(this.current);
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

  private finish(s: Session): void {
    if (s.getSnapshot().status.state === 'ended') return;
    s.setStatus({ state: 'ended' });
    s.end();
  }

  private fresh(watch = true): Session {
    const s = this.makeSession();
    s.setStatus({ state: 'open' });
    // Every session of the replay says so, before its first line: a seek builds a new one.
    if (this.recording.damage) s.recordingDamaged(this.recording.damage);
    if (!watch) return s;
    this.off();
    this.off = s.onChange(() => this.notify());
    return s;
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

function feedOne(s: Session, rec: Recording, i: number): void {
  const e = rec.event(i);
  if (e.type === 'o') s.feed(e.bytes, e.t);
  else if (e.type === 'i') s.tx(e.bytes, e.t);
  else s.note(e.text, e.t);
  if (i + 1 === rec.count) {
    s.setStatus({ state: 'ended' });
    s.end();
  }
}
