/**
 * A reader fed from a tape recorded on another thread (the interactive replay's parse worker:
 * src/cli/tape-in-worker.ts) from the moment the replay opens: this thread never parses, and a
 * seek waits only for the tape to reach its target.
 */
import type { Recording } from './recording.ts';
import type { ReplayTape } from './replay-tape.ts';
import type { Session } from './session.ts';
import { feedFromTape } from './tape-feed.ts';
import type { TapeReader } from './tape-reader.ts';

/** What a tape recorded elsewhere tells the machine. */
export interface TapeEvents {
  /** More of the tape (or all of it: ReplayTape.complete). */
  progress(): void;
  /** The recording stopped: the machine parses in process instead. */
  failed(message: string): void;
}

export interface TapeReading {
  /** Threads reading the file right now (0 once they are done): the cores they keep busy. */
  threads(): number;
  close(): void;
}

/** Starts recording `tape` elsewhere (another thread) from the same recording and settings. */
export type ReadElsewhere = (tape: ReplayTape, on: TapeEvents) => TapeReading;

export class WorkerTapeReader implements TapeReader {
  readonly elsewhere = true;
  private position = 0;
  private reading: TapeReading | null;

  /** `on.broke`: the tape stopped, or broke (a chunk out of order, past its size limit). */
  constructor(
    private readonly rec: Recording,
    readonly session: Session,
    private readonly recordedTape: ReplayTape,
    read: ReadElsewhere,
    on: { progress(): void; broke(): void },
  ) {
    this.reading = read(recordedTape, {
      progress: () => {
        if (!this.reading) return;
        if (recordedTape.broken) on.broke();
        else on.progress();
      },
      failed: () => {
        if (this.reading) on.broke();
      },
    });
  }

  get pos(): number {
    return this.position;
  }

  get tape(): ReplayTape | null {
    return this.recordedTape.broken ? null : this.recordedTape;
  }

  /** Events of the recording the tape has so far, its last items included (all of them at the end). */
  get ready(): number {
    const count = this.rec.count;
    return this.recordedTape.complete ? count : Math.min(this.recordedTape.lines, count - 1);
  }

  get readAll(): boolean {
    return this.recordedTape.complete || this.recordedTape.broken;
  }

  get threads(): number {
    return this.reading && !this.readAll ? this.reading.threads() : 0;
  }

  advanceTo(target: number): boolean {
    const to = Math.min(target, this.ready);
    if (to <= this.position) return true;
    if (!feedFromTape(this.session, this.recordedTape, this.rec, this.position, to, true)) return false;
    this.position = to;
    return true;
  }

  close(): void {
    this.reading?.close();
    this.reading = null;
  }
}
