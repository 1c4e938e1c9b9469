/**
 * summary.keys / the keys pane: one row per PSA key id, built from `psa.key` events (attributes)
 * and `psa.call` events that name a key id (the latest status). A call that names no key id is
 * not charged to any key: the ECDH key of CLIENT_KEY_EXCHANGE, for one, is an ephemeral key
 * the firmware never describes, so guessing would blame the device key for its failures.
 */
import type { DeviceEvent } from '../../parsers/events.ts';
import type { KeySummary } from '../contracts/summary.ts';
import { psaStatus } from '../../parsers/tables/psa-status.ts';

export function statusText(status: number): string {
  return psaStatus(status)?.name ?? `PSA status ${status}`;
}

/**
 * Rows kept (issue 15): PSA volatile key ids grow with every connection, and a million distinct
 * `hsmon: key id=` lines took 888 MB. The newest MAX_KEYS rows stay, plus up to MAX_PERSISTENT
 * persistent keys however old (the device key printed once at boot); the rest are counted.
 */
export const MAX_KEYS = 1000;
export const MAX_PERSISTENT = 100;

export class KeyTable {
  /** In insertion order, so the first key is the oldest. */
  private readonly keys = new Map<number, KeySummary>();
  private readonly persistent = new Map<number, KeySummary>();
  /** Rows evicted by the caps. */
  dropped = 0;

  /** Takes any event; returns true when the table changed. */
  add(ev: DeviceEvent): boolean {
    if (ev.kind === 'psa.key') {
      if (ev.id === null) return false;
      const k = this.row(ev.id);
      if (ev.type !== null) k.type = ev.type;
      if (ev.bits !== null) k.bits = ev.bits;
      if (ev.alg !== null) k.alg = ev.alg;
      if (ev.lifetime !== null) k.lifetime = ev.lifetime;
      if (ev.status !== null) k.lastStatus = statusText(ev.status);
      return true;
    }
    if (ev.kind === 'psa.call') {
      if (ev.keyId === null || ev.keyId === undefined) return false;
      this.row(ev.keyId).lastStatus = statusText(ev.status);
      return true;
    }
    return false;
  }

  list(): KeySummary[] {
    const rows = this.persistent.size === 0 ? [...this.keys.values()] : [...this.persistent.values(), ...this.keys.values()].sort((a, b) => a.id - b.id);
    return rows.map((k) => ({ ...k }));
  }

  private row(id: number): KeySummary {
    let k = this.keys.get(id) ?? this.persistent.get(id);
    if (!k) {
      k = { id, type: null, bits: null, alg: null, lifetime: null, lastStatus: null };
      this.keys.set(id, k);
      if (this.keys.size > MAX_KEYS) this.evictOldest();
    }
    return k;
  }

  /** The oldest row goes, unless it is a persistent key and there is room to keep those. */
  private evictOldest(): void {
    const [id, k] = this.keys.entries().next().value as [number, KeySummary];
    this.keys.delete(id);
    if (k.lifetime === 'persistent' && this.persistent.size < MAX_PERSISTENT) this.persistent.set(id, k);
    else this.dropped++;
  }
}

export function keysFromEvents(events: Iterable<DeviceEvent>): KeySummary[] {
  const t = new KeyTable();
  for (const e of events) t.add(e);
  return t.list();
}
