/**
 * Session-wide facts outside the handshake machines: certificates, keys, PSA calls, MQTT,
 * leaked secrets. Bounded, like everything in the store.
 */
import type { DeviceEvent, Line } from '../../parsers/events.ts';
import { Ring } from './ring.ts';
import type { CertificateSummary, Finding, KeySummary, MqttSummary, PsaCallView } from './types.ts';

export interface FactsOptions {
  mqttHistory?: number | undefined;
  onChange: () => void;
}

export class SessionFacts {
  private readonly psa = new Ring<PsaCallView>(500);
  private readonly secrets: { secret: 'private-key' | 'session-secret'; line: number }[] = [];
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly opts: FactsOptions) {}

  feed(e: DeviceEvent): void {
    if (e.kind === 'psa.call') this.psa.push({ fn: e.fn, status: e.status, name: e.name, line: e.line, t: e.t });
  }

  /** A secret seen on the UART: one finding per block, not per line. */
  secret(secret: 'private-key' | 'session-secret', line: Line): void {
    const last = this.secrets[this.secrets.length - 1];
    if (last && last.secret === secret && line.seq - last.line <= 2) {
      last.line = line.seq;
      return;
    }
    if (this.secrets.length < 100) this.secrets.push({ secret, line: line.seq });
  }

  certificates(): CertificateSummary[] {
    return [];
  }

  keys(): KeySummary[] {
    return [];
  }

  psaCalls(): PsaCallView[] {
    return this.psa.toArray();
  }

  mqtt(): MqttSummary {
    return { connected: false, subscriptions: [], messages: [] };
  }

  findings(): Finding[] {
    return [];
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
