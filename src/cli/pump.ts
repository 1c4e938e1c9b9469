/**
 * Connects a Source to a Session: bytes in, statuses in, and a promise that settles when the
 * source ends. Time is the source's own (recordings) or the wall clock since start (live).
 */
import { replayMarker } from '../session/replay-marker.ts';
import type { Source, SourceStatus } from '../io/source.ts';
import type { Session } from '../session/session.ts';

export interface Pump {
  /** Resolves when the source has ended (end of file), was closed or failed (status `error`, in the session). */
  done: Promise<void>;
  /** ms since the session started, by the clock the session uses. */
  now(): number;
}

export function pump(source: Source, session: Session, opts: { liveClock: boolean }): Pump {
  const start = performance.now();
  let lastT = 0;
  const now = () => (opts.liveClock ? performance.now() - start : lastT);
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const onStatus = (s: SourceStatus) => {
    session.setStatus(s.state === 'reconnecting' || s.state === 'error' ? { state: s.state, detail: s.detail } : { state: s.state }, now());
    // A source that failed has ended too: the session closes and reports what it saw
    // (without this a damaged recording left the promise pending and node exited 13).
    if (s.state === 'ended' || s.state === 'closed' || s.state === 'error') finish();
  };
  source
    .start({
      data(chunk, t) {
        if (t !== undefined) lastT = t;
        session.feed(chunk, opts.liveClock ? now() : lastT);
      },
      status: onStatus,
      // A recording replays what hsmon sent and its marks too (log pane, never parsed).
      tx(chunk, t) {
        if (t !== undefined) lastT = t;
        session.tx(chunk, now());
      },
      marker(label, t) {
        if (t !== undefined) lastT = t;
        // A broker message to the MQTT pane, a disconnect ending the partial line, else a note.
        replayMarker(session, label, now());
      },
    })
    .catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
  return { done, now };
}
