/**
 * The broker's side of a session in an hsmon .cast recording: each message hsmon's own client
 * received is an asciicast marker ("m", which `asciinema play` passes over) holding the message
 * as JSON, so a replay shows the MQTT pane as the live monitor did. The payload is the string
 * NDJSON carries (the text, or `hex:` + hex for binary).
 */
import type { BrokerMessage } from './summary.ts';
import { payloadString } from './preview.ts';

const PREFIX = 'mqtt broker message ';

export function brokerMarker(m: { topic: string; qos: number | null; retain?: boolean | undefined; payload: string }): string {
  return PREFIX + JSON.stringify({ topic: m.topic, qos: m.qos ?? 0, retain: m.retain ?? false, payload: m.payload });
}

/** The message a marker holds, at time `t`; null for any other marker (or a damaged one). */
export function parseBrokerMarker(label: string, t: number): BrokerMessage | null {
  if (!label.startsWith(PREFIX)) return null;
  let v: unknown;
  try {
    v = JSON.parse(label.slice(PREFIX.length));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o['topic'] !== 'string' || typeof o['payload'] !== 'string' || typeof o['qos'] !== 'number' || typeof o['retain'] !== 'boolean') return null;
  const text = o['payload'];
  const hex = /^hex:((?:[0-9a-f]{2})*)$/.exec(text);
  let payload: Uint8Array = new TextEncoder().encode(text);
  // `hex:` + hex is how a binary payload is written; a text that merely looks so stays text.
  if (hex) {
    const bytes = Uint8Array.from(hex[1]!.match(/../g) ?? [], (h) => parseInt(h, 16));
    if (payloadString(bytes).binary) payload = bytes;
  }
  return { topic: o['topic'], payload, qos: o['qos'], retain: o['retain'], t };
}
