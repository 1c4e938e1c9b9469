/**
 * Wraps a live source so that everything crossing it is recorded as it happens: rx bytes as
 * output events, tx bytes as input events, reconnects as markers. (Whoever sends puts the bytes
 * in the session's log: the device controls of the interactive monitor.)
 */
import type { Source, SourceHandlers } from '../io/source.ts';
import type { Session } from '../session/session.ts';

/**
 * Where a recording is written: a CastWriter, or the port reader's thread (tty-reader.ts),
 * which records rx bytes itself as it reads them (no `rx` then).
 */
export interface Recorder {
  rx?(bytes: Uint8Array, tMs?: number): void;
  tx(bytes: Uint8Array, tMs?: number): void;
  marker(label: string, tMs?: number): void;
}

export function recordedSource(source: Source, writer: Recorder | null, session: Session, now: () => number): Source {
  return {
    name: source.name,
    start(handlers: SourceHandlers) {
      return source.start({
        ...handlers,
        data(chunk, t) {
          writer?.rx?.(chunk, t ?? now());
          handlers.data(chunk, t);
        },
        status(s) {
          const wasReconnecting = session.getSnapshot().status.state === 'reconnecting';
          // The session first ends the partial line (written as a line of its own), then the mark.
          handlers.status(s);
          if (s.state === 'reconnecting' && !wasReconnecting) writer?.marker(`serial disconnected: ${s.detail}`, now());
          else if (s.state === 'open' && wasReconnecting) writer?.marker('serial reconnected', now());
        },
      });
    },
    async write(bytes) {
      await source.write(bytes);
      writer?.tx(bytes, now());
    },
    ...(source.setSignals ? { setSignals: (s: { dtr?: boolean; rts?: boolean }) => source.setSignals!(s) } : {}),
    close: () => source.close(),
  };
}
