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
  /** The newest `limit` entries, and up to `slack` older ones not yet cut off. */
  private items: MqttEntry[] = [];
  private nextId = 1;
  private evicted = 0;
  /**
   * Ids of the entries with each topic and payload, oldest first: the only candidates for a
   * pair. (A scan of the history per message was 10^10 steps for a million messages, and a
   * text log has no times to narrow it.) Ids are consecutive in `items`: index = id - items[0].id.
   */
  private readonly byContent = new Map<string, number[]>();
  /** Eviction is in blocks of this many: one splice per add, once full, cost O(limit) each. */
  private readonly slack: number;
  /** Entries evicted because of the limit. */
  get dropped(): number {
    return this.evicted + Math.max(0, this.items.length - this.limit);
  }
  /** Topic filters the device subscribed to; when known, `delivered` pairs require a match. */
  deviceSubscriptions: string[] = [];

  constructor(opts: MqttHistoryOptions = {}) {
    this.limit = Math.max(1, Math.floor(opts.limit ?? 10_000));
    this.windowMs = opts.correlationWindowMs ?? 10_000;
    this.slack = Math.max(1, Math.ceil(this.limit / 8));
  }

  get size(): number {
    return Math.min(this.items.length, this.limit);
  }

  /** The kept entries (the newest `limit`). */
  private kept(): MqttEntry[] {
    return this.items.length > this.limit ? this.items.slice(this.items.length - this.limit) : this.items;
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
    const key = contentKey(entry);
    const ids = this.byContent.get(key);
    if (ids) ids.push(entry.id);
    else this.byContent.set(key, [entry.id]);
    if (this.items.length >= this.limit + this.slack) {
      const over = this.items.length - this.limit;
      for (const gone of this.items.splice(0, over)) {
        // The oldest entries go: each is the first of its list.
        const k = contentKey(gone);
        const list = this.byContent.get(k)!;
        list.shift();
        if (list.length === 0) this.byContent.delete(k);
      }
      this.evicted += over;
    }
    return entry;
  }

  /** All entries, oldest first; with a topic filter (`+`/`#` wildcards), only those matching it. */
  entries(filter?: string): MqttEntry[] {
    const kept = this.kept();
    if (!filter) return kept === this.items ? [...kept] : kept;
    return kept.filter((e) => topicMatches(filter, e.topic));
  }

  get(id: number): MqttEntry | undefined {
    return this.kept().find((e) => e.id === id);
  }

  /** The oldest unpaired counterpart of `entry` for `relation` within the window. */
  private findPeer(entry: MqttEntry, relation: MqttLink['relation']): { index: number; relation: MqttLink['relation']; latencyMs: number } | null {
    if (relation === 'delivered' && !this.deviceSubscribed(entry.topic)) return null;
    const ids = this.byContent.get(contentKey(entry));
    if (!ids || this.items.length === 0) return null;
    const base = this.items[0]!.id;
    const first = Math.max(0, this.items.length - this.limit);
    let found = -1;
    for (const id of ids) {
      const i = id - base;
      if (i >= first && this.peerOf(entry, this.items[i]!, relation)) {
        found = i;
        break;
      }
    }
    if (found === -1) return null;
    const other = this.items[found]!;
    const device = entry.source === 'device' ? entry : other;
    const broker = entry.source === 'broker' ? entry : other;
    const latencyMs = relation === 'published' ? broker.t - device.t : device.t - broker.t;
    return { index: found, relation, latencyMs };
  }

  /** Whether `other` is an unpaired counterpart of `entry` for `relation` within the window. */
  private peerOf(entry: MqttEntry, other: MqttEntry, relation: MqttLink['relation']): boolean {
    if (other.source === entry.source || Math.abs(other.t - entry.t) > this.windowMs) return false;
    if (other.topic !== entry.topic || other.payload !== entry.payload) return false;
    return relationsFor(other).includes(relation) && !other.links.some((l) => l.relation === relation);
  }

  private deviceSubscribed(topic: string): boolean {
    return this.deviceSubscriptions.length === 0 || this.deviceSubscriptions.some((f) => topicMatches(f, topic));
  }
}

const contentKey = (e: MqttEntry): string => `${e.topic}\u0000${e.payload}`;

function relationsFor(e: MqttEntry): MqttLink['relation'][] {
  if (e.source === 'broker') return ['published', 'delivered'];
  if (e.direction === 'out') return ['published'];
  if (e.direction === 'in') return ['delivered'];
  return [];
}
