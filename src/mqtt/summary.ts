/**
 * Folds device MQTT events and broker messages into the MQTT history and `summary.mqtt`
 * (DESIGN.md summary contract). `connected` and `subscriptions` describe the device's own
 * MQTT session as its log tells it; `messages` holds both sides, oldest first.
 */
import type { DeviceEvent, EventOf } from '../../parsers/events.ts';
import type { MqttSummary } from '../contracts/summary.ts';
import { MqttHistory, type MqttEntry, type MqttHistoryOptions } from './history.ts';
import { payloadString } from './preview.ts';

/** A message as hsmon's broker client received it (src/io/broker.ts hands these over). */
export interface BrokerMessage {
  topic: string;
  payload: Uint8Array;
  qos: number;
  retain: boolean;
  /** ms since session start. */
  t: number;
}

/**
 * The NDJSON event for a broker message. It comes from no device line: `line` is the seq of
 * the latest device line at the time (or -1 before the first), which keeps the stream ordered.
 */
export function brokerMessageEvent(m: BrokerMessage, line = -1): EventOf<'mqtt.message'> {
  return { kind: 'mqtt.message', t: m.t, line, source: 'broker', direction: null, topic: m.topic, qos: m.qos, payload: payloadString(m.payload).text, retain: m.retain };
}

/** Topic filters the device subscribed to that are kept; more are counted (issue 15: bounded stores). */
export const MAX_SUBSCRIPTIONS = 256;
/** summary.mqtt.messages holds the newest this many; the MQTT pane keeps its own (larger) history. */
export const SUMMARY_MESSAGES = 1000;
/** A payload in the summary is cut after this many characters, with a mark saying how long it was. */
export const SUMMARY_PAYLOAD_CHARS = 4096;

export class MqttTracker {
  readonly history: MqttHistory;
  private connectedNow = false;
  private subs: string[] = [];
  private readonly subSet = new Set<string>();
  /** Subscriptions beyond MAX_SUBSCRIPTIONS. */
  droppedSubscriptions = 0;

  constructor(opts: MqttHistoryOptions = {}) {
    this.history = new MqttHistory(opts);
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  get subscriptions(): string[] {
    return [...this.subs];
  }

  /** Feed every device event; returns the history entry when it was a message. */
  device(e: DeviceEvent): MqttEntry | null {
    switch (e.kind) {
      case 'mqtt.connected':
        this.connectedNow = true;
        return null;
      case 'mqtt.failed':
      case 'mqtt.disconnected':
      case 'mqtt.exhausted':
      case 'wifi.disconnected':
      case 'app.boot':
        this.connectedNow = false;
        return null;
      case 'mqtt.subscribed':
        if (!this.subSet.has(e.topic)) {
          if (this.subs.length >= MAX_SUBSCRIPTIONS) {
            this.droppedSubscriptions++;
            return null;
          }
          this.subSet.add(e.topic);
          this.subs.push(e.topic);
          this.history.deviceSubscriptions = [...this.subs];
        }
        return null;
      case 'mqtt.message':
        if (e.source === 'broker') {
          // Already an NDJSON broker event (replayed): keep it as a broker entry.
          return this.history.add({ t: e.t, line: null, source: 'broker', direction: e.direction, topic: e.topic, qos: e.qos, payload: e.payload, retain: e.retain ?? false, binary: e.payload.startsWith('hex:') });
        }
        return this.history.add({ t: e.t, line: e.line, source: 'device', direction: e.direction, topic: e.topic, qos: e.qos, payload: e.payload });
      default:
        return null;
    }
  }

  broker(m: BrokerMessage): MqttEntry {
    const p = payloadString(m.payload);
    return this.history.add({ t: m.t, line: null, source: 'broker', direction: null, topic: m.topic, qos: m.qos, retain: m.retain, payload: p.text, binary: p.binary });
  }

  summary(): MqttSummary {
    return {
      connected: this.connectedNow,
      subscriptions: this.subs.map((topic) => ({ topic })),
      messages: this.history.entries().slice(-SUMMARY_MESSAGES).map((e) => ({ source: e.source, direction: e.direction, topic: e.topic, qos: e.qos, payload: summaryPayload(e.payload), line: e.line })),
    };
  }
}

/** Messages the summary leaves out: evicted from the history, or older than its newest SUMMARY_MESSAGES. */
export function droppedSummaryMessages(t: MqttTracker): number {
  return t.history.dropped + Math.max(0, t.history.size - SUMMARY_MESSAGES);
}

function summaryPayload(p: string): string {
  return p.length <= SUMMARY_PAYLOAD_CHARS ? p : `${p.slice(0, SUMMARY_PAYLOAD_CHARS)}… [truncated, ${p.length} characters]`;
}

/** summary.mqtt from a whole session: device events and broker messages, merged by time. */
export function mqttSummary(events: readonly DeviceEvent[], broker: readonly BrokerMessage[] = [], opts: MqttHistoryOptions = {}): MqttSummary {
  const tracker = new MqttTracker(opts);
  let b = 0;
  for (const e of events) {
    while (b < broker.length && broker[b]!.t < e.t) tracker.broker(broker[b++]!);
    tracker.device(e);
  }
  while (b < broker.length) tracker.broker(broker[b++]!);
  return tracker.summary();
}
