/**
 * A reader that parses the recording here (the time machine without a worker: a .cast, tests,
 * HSMON_NO_WORKER, or a worker that failed). With a tape, its session's parse stage records it
 * as it goes (TapeRecorder), so that later seeks feed from the tape instead of parsing again.
 */
import type { Recording } from './recording.ts';
import type { ReplayTape } from './replay-tape.ts';
import type { Session } from './session.ts';
import { endSession, feedOne } from './tape-feed.ts';
import type { TapeReader } from './tape-reader.ts';
import { TapeRecorder } from './tape-recorder.ts';

/** Device output fed per call when jumping through a plain log (the framer does not care how it is cut). */
const BULK = 1 << 20;

export class ParsingReader implements TapeReader {
  readonly elsewhere = false;
  /** It parses on the caller's thread, when asked. */
  readonly threads = 0;
  private position = 0;
  private readonly recorder: TapeRecorder | null;

  /** `tape` null: a recording whose events are not its lines (re-parsed from the start instead). */
  constructor(private readonly rec: Recording, readonly session: Session, private readonly recordedTape: ReplayTape | null) {
    this.recorder = recordedTape ? new TapeRecorder() : null;
    if (this.recorder) session.tap(this.recorder);
  }

  get pos(): number {
    return this.position;
  }

  get tape(): ReplayTape | null {
    return this.recordedTape && !this.recordedTape.broken ? this.recordedTape : null;
  }

  get ready(): number {
    return this.position;
  }

  get readAll(): boolean {
    return this.position >= this.rec.count || this.tape === null;
  }

  advanceTo(target: number): boolean {
    const rec = this.rec;
    const s = this.session;
    if (rec.span && target - this.position > 1) {
      while (this.position < target) {
        let to = this.position + 1;
        const from = rec.bytesBefore(this.position);
        // Grow the span in steps of 1024 events while it stays under BULK bytes.
        while (to < target && rec.bytesBefore(Math.min(target, to + 1024)) - from < BULK) to = Math.min(target, to + 1024);
        s.feed(rec.span(this.position, to), 0);
        this.position = to;
        this.keep();
      }
      if (this.position >= rec.count) endSession(s);
    } else {
      while (this.position < target) feedOne(s, rec, this.position++);
    }
    this.keep();
    return true;
  }

  close(): void {}

  /** What the parse stage made since the last step goes on the tape. */
  private keep(): void {
    if (this.recorder && this.recordedTape) this.recordedTape.append(this.recorder.take());
  }
}
