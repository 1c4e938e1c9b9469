/**
 * A tape "recorded elsewhere" that the test hands over a chunk at a time: the parse stage and
 * the worker's recorder (TapeRecorder, recordingSink) run here, in process, over `parts` pieces of the input, and
 * `deliver()` does what tape-in-worker.ts does with the worker's next message. So the time
 * machine and the player can be shown at every point between "nothing read yet" and "all read".
 */
import { ParseStage } from '../../src/session/parse-stage.ts';
import type { ReplayTape, TapeChunk } from '../../src/session/replay-tape.ts';
import { TapeRecorder, recordingSink } from '../../src/session/tape-recorder.ts';
import type { ReadElsewhere, TapeEvents } from '../../src/session/time-machine.ts';

export interface ManualTape {
  readElsewhere: ReadElsewhere;
  /** Chunks not handed over yet (the last one completes the tape). */
  readonly left: number;
  /** Hands over the next chunk (or `chunk`, to break the order); the last one completes the tape. */
  deliver(chunk?: TapeChunk): void;
  /** The worker stopped. */
  fail(message: string): void;
  /** close() was called (the replay closed, or the machine gave the tape up). */
  readonly closed: boolean;
  chunks: TapeChunk[];
  /** Threads the reading says are busy until the tape is complete (tape-in-worker.ts: 2, then 1). */
  threads: number;
}

export function manualTape(bytes: Uint8Array, parts: number): ManualTape {
  const recorder = new TapeRecorder();
  const stage: ParseStage = new ParseStage({}, recordingSink(recorder, () => stage.unmatched));
  const chunks: TapeChunk[] = [];
  const size = Math.ceil(bytes.length / parts);
  for (let o = 0; o < bytes.length; o += size) {
    stage.push(bytes.subarray(o, Math.min(bytes.length, o + size)), 0);
    chunks.push(recorder.take());
  }
  stage.flush(0);
  chunks.push(recorder.take());
  let next = 0;
  let tape: ReplayTape | null = null;
  let on: TapeEvents | null = null;
  let closed = false;
  const self: ManualTape = {
    chunks,
    threads: 1,
    get left() {
      return chunks.length - next;
    },
    get closed() {
      return closed;
    },
    readElsewhere: (t, events) => {
      tape = t;
      on = events;
      return {
        threads: () => (closed || tape?.complete ? 0 : self.threads),
        close: () => { closed = true; },
      };
    },
    deliver(chunk) {
      if (!tape || !on) throw new Error('no time machine reads this tape');
      tape.append(chunk ?? chunks[next++]!);
      if (!chunk && next === chunks.length) tape.complete = true;
      on.progress();
    },
    fail(message) {
      on?.failed(message);
    },
  };
  return self;
}
