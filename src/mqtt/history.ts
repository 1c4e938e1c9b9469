/**
 * Bounded history of MQTT messages seen by the device (its log lines) and by hsmon's own
 * broker client, with the two sides correlated:
 * - a device "Publishing 'X' on the topic 'T'" and the broker's message on T with payload X
 *   (relation `published`, latency = broker time − device time);
 * - a broker message on a topic the device subscribed to and the device's "Incoming MQTT
 *   message" line with the same topic and payload (relation `delivered`, latency = device −
 *   broker).
 * Entries are immutable: a newly found link replaces the entry object.
 */
import type { MqttEntry, MqttLink } from '../contracts/snapshot.ts';
import { topicMatches } from './topic-filter.ts';

export type { MqttEntry, MqttLink } from '../contracts/snapshot.ts';

export type NewMqttEntry = Omit<MqttEntry, 'id' | 'links' | 'retain' | 'binary'> & { retain?: boolean; binary?: boolean };

export interface MqttHistoryOptions {
  /** Default 10 000. */
  limit?: number;
  /** Largest time difference for two sides to be paired. Default 10 000 ms. */
  correlationWindowMs?: number;
}

export class MqttHistory {
  readonly limit: number;
  readonly windowMs: number;
  private items: MqttEntry[] = [];
  private nextId = 1;
  /** Entries evicted because of the limit. */
  dropped = 0;
  /** Topic filters the device subscribed to; when known, `delivered` pairs require a match. */
  deviceSubscriptions: string[] = [];

  constructor(opts: MqttHistoryOptions = {}) {
    this.limit = Math.max(1, Math.floor(opts.limit ?? 10_000));
    this.windowMs = opts.correlationWindowMs ?? 10_000;
  }

  get size(): number {
    return this.items.length;
  }

  add(input: NewMqttEntry): MqttEntry {
    let entry: MqttEntry = { retain: false, binary: false, ...input, id: this.nextId++, links: [] };
    // A broker message can be both the device's publish and what the device then received.
    for (const want of relationsFor(entry)) {
      const peer = this.findPeer(entry, want);
      if (!peer) continue;
      const { index, relation, latencyMs } = peer;
      const other = this.items[index]!;
      this.items[index] = { ...other, links: [...other.links, { id: entry.id, relation, latencyMs }] };
      entry = { ...entry, links: [...entry.links, { id: other.id, relation, latencyMs }] };
    }
    this.items.push(entry);
    if (this.items.length > this.limit) {
      const over = this.items.length - this.limit;
      this.items.splice(0, over);
      this.dropped += over;
    }
    return entry;
  }

  /** All entries, oldest first; with a topic filter (`+`/`#` wildcards), only those matching it. */
  entries(filter?: string): MqttEntry[] {
    if (!filter) return [...this.items];
    return this.items.filter((e) => topicMatches(filter, e.topic));
  }

  get(id: number): MqttEntry | undefined {
    return this.items.find((e) => e.id === id);
  }

  /** The oldest unpaired counterpart of `entry` for `relation` within the window. */
  private findPeer(entry: MqttEntry, relation: MqttLink['relation']): { index: number; relation: MqttLink['relation']; latencyMs: number } | null {
    if (relation === 'delivered' && !this.deviceSubscribed(entry.topic)) return null;
    for (let i = 0; i < this.items.length; i++) {
      const other = this.items[i]!;
      if (other.source === entry.source || Math.abs(other.t - entry.t) > this.windowMs) continue;
      if (other.topic !== entry.topic || other.payload !== entry.payload) continue;
      if (!relationsFor(other).includes(relation) || other.links.some((l) => l.relation === relation)) continue;
      const device = entry.source === 'device' ? entry : other;
      const broker = entry.source === 'broker' ? entry : other;
      const latencyMs = relation === 'published' ? broker.t - device.t : device.t - broker.t;
      return { index: i, relation, latencyMs };
    }
    return null;
  }

  private deviceSubscribed(topic: string): boolean {
    return this.deviceSubscriptions.length === 0 || this.deviceSubscriptions.some((f) => topicMatches(f, topic));
  }
}

function relationsFor(e: MqttEntry): MqttLink['relation'][] {
  if (e.source === 'broker') return ['published', 'delivered'];
  if (e.direction === 'out') return ['published'];
  if (e.direction === 'in') return ['delivered'];
  return [];
}
