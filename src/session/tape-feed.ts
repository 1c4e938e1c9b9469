/**
 * Feeding a session from a replay tape (replay-tape.ts) instead of parsing: the parser events in
 * one batch, then the lines the log pane keeps, framed again from the recording. What both of
 * the time machine's readers (parsing-reader.ts, worker-tape-reader.ts) and its seeks share.
 */
import { LineFramer } from '../../parsers/frame.ts';
import type { Recording } from './recording.ts';
import type { ReplayTape } from './replay-tape.ts';
import { replayMarker } from './replay-marker.ts';
import type { Session } from './session.ts';

/**
 * Feeds `s` (at event `from`) the tape up to event `to`; with `log`, the log pane's last lines
 * too. False when the recording does not frame to the lines the tape has: the tape is marked
 * broken and nothing is trusted (the recording is parsed again).
 */
export function feedFromTape(s: Session, tape: ReplayTape, rec: Recording, from: number, to: number, log: boolean): boolean {
  const end = to >= rec.count;
  const lines = end ? tape.lines : to;
  if (tape.broken || tape.lines < lines) return false;
  // Only the first bytes are looked at (wrong baud rate): a no-op after them.
  s.checkInput(rec.span!(from, to));
  const a = tape.itemsBefore(from);
  const b = end ? tape.items.length : tape.itemsBefore(to);
  s.ingest({ items: tape.items.slice(a, b), lines, unmatched: tape.unmatchedBefore(lines) }, 0);
  if (log) {
    const first = Math.max(from, lines - s.logCapacity);
    if (first < lines) {
      const framer = new LineFramer(s.maxLineBytes !== undefined ? { maxLineBytes: s.maxLineBytes } : {});
      const framed = framer.push(rec.span!(first, Math.min(to, rec.count)), 0);
      if (end) framed.push(...framer.flush(0));
      if (framed.length !== lines - first) {
        tape.broken = true;
        return false;
      }
      for (let k = 0; k < framed.length; k++) {
        const l = framed[k]!;
        const seq = first + k;
        s.ingestLine(seq, l.t, tape.text(seq, l.text), tape.parsed(seq), l.truncated === true);
      }
    }
  }
  if (end) endSession(s);
  return true;
}

/** The recording is over: the session says so once. */
export function endSession(s: Session): void {
  if (s.getSnapshot().status.state === 'ended') return;
  s.setStatus({ state: 'ended' });
  s.end();
}

/** Event `i` of the recording, parsed (device output, a line typed to the device, or a marker). */
export function feedOne(s: Session, rec: Recording, i: number): void {
  const e = rec.event(i);
  if (e.type === 'o') s.feed(e.bytes, e.t);
  else if (e.type === 'i') s.tx(e.bytes, e.t);
  else replayMarker(s, e.text, e.t);
  if (i + 1 === rec.count) {
    s.setStatus({ state: 'ended' });
    s.end();
  }
}
