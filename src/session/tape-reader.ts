/**
 * The time machine's reader (time-machine.ts): the session that has read the recording furthest,
 * and the tape that lets any other session be fed up to where it got. It reads either by parsing
 * the recording here (parsing-reader.ts) or from a tape another thread records
 * (worker-tape-reader.ts); the machine's seeks are the same for both.
 */
import type { ReplayTape } from './replay-tape.ts';
import type { Session } from './session.ts';

export interface TapeReader {
  readonly session: Session;
  /** Events the reader's session has taken. */
  readonly pos: number;
  /** The tape while it can be trusted; null without one, or once it broke. */
  readonly tape: ReplayTape | null;
  /** Events a session can be fed from the tape now, without parsing or waiting. */
  readonly ready: number;
  /** Nothing more will come: the whole recording is on the tape, or there is no tape to wait for. */
  readonly readAll: boolean;
  /** The tape is recorded on another thread: reading ahead is its work, not this thread's. */
  readonly elsewhere: boolean;
  /** Threads other than this one reading the recording now (the cores they keep busy). */
  readonly threads: number;
  /** The reader's session takes events up to `target`, as far as there are; false when the tape broke. */
  advanceTo(target: number): boolean;
  /** Stops reading (the replay closed, or the machine gave this reader up). */
  close(): void;
}
