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

export class KeyTable {
  private readonly keys = new Map<number, KeySummary>();

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
    return [...this.keys.values()].map((k) => ({ ...k }));
  }

  private row(id: number): KeySummary {
    let k = this.keys.get(id);
    if (!k) {
      k = { id, type: null, bits: null, alg: null, lifetime: null, lastStatus: null };
      this.keys.set(id, k);
    }
    return k;
  }
}

export function keysFromEvents(events: Iterable<DeviceEvent>): KeySummary[] {
  const t = new KeyTable();
  for (const e of events) t.add(e);
  return t.list();
}
