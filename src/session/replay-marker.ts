/**
 * A marker of an hsmon .cast recording, replayed into a session the way the live monitor met
 * it: a broker message goes to the MQTT facts (src/mqtt/broker-marker.ts), a disconnect ends the
 * partial line before it (a raw --no-redact recording), anything else is a note in the log.
 */
import { parseBrokerMarker } from '../mqtt/broker-marker.ts';
import type { Session } from './session.ts';

export function replayMarker(session: Session, label: string, t: number): void {
  const message = parseBrokerMarker(label, t);
  if (message) {
    session.brokerMessage(message);
    return;
  }
  if (label.startsWith('serial disconnected')) session.breakLine(t);
  session.note(label, t);
}
