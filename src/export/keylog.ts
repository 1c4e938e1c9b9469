/**
 * The NSS key log (the SSLKEYLOGFILE format Wireshark reads) of each TLS context, from the
 * secrets mbedTLS dumps. Pure. Labels and the dumps they come from:
 *
 * - `CLIENT_RANDOM <client random> <master secret>` (TLS 1.2): `dumping 'master secret'`
 *   (ssl_tls.c, debug level 3) with the client random of the same context;
 * - TLS 1.3 (ssl_tls13_keys.c, level 4): `Client/Server handshake traffic secret` give
 *   CLIENT_/SERVER_HANDSHAKE_TRAFFIC_SECRET, `Client/Server application traffic secret` give
 *   CLIENT_/SERVER_TRAFFIC_SECRET_0. mbedTLS prints no exporter secret, so the EXPORTER_SECRET
 *   line a server writes has no counterpart here.
 *
 * The client random is `dumping 'client hello, random bytes'` (level 3), or bytes 11–42 of the
 * ClientHello record when only the records were dumped. TLS 1.3's `Master secret` (capital M)
 * is not the TLS 1.2 master secret and is not used.
 */
import type { DumpBytes } from '../../parsers/mbedtls/hex-dump-bytes.ts';

const LABELS: Record<string, string> = {
  'master secret': 'CLIENT_RANDOM',
  'Client early traffic secret': 'CLIENT_EARLY_TRAFFIC_SECRET',
  'Client handshake traffic secret': 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'Server handshake traffic secret': 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'Client application traffic secret': 'CLIENT_TRAFFIC_SECRET_0',
  'Server application traffic secret': 'SERVER_TRAFFIC_SECRET_0',
};
const RANDOM = 'client hello, random bytes';

/** The dumps a key log is made from. */
export function isKeyLogDump(name: string): boolean {
  return name === RANDOM || Object.hasOwn(LABELS, name);
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export class KeyLog {
  /** Every line made so far, in the order the secrets were printed. */
  readonly lines: string[] = [];
  /** Secrets whose rows were redacted (a recording made with redaction on). */
  redacted = 0;
  /** Secrets dropped because their rows were incomplete. */
  damaged = 0;
  private readonly random = new Map<string, string>();
  /** Secrets printed before their context's client random was known. */
  private readonly waiting = new Map<string, { label: string; secret: string }[]>();
  private readonly seen = new Set<string>();

  /** A dump of a wanted name; returns the key log lines it completed. */
  dump(d: DumpBytes): string[] {
    const key = d.ctx ?? '';
    if (d.redacted) {
      if (d.name !== RANDOM) this.redacted++;
      return [];
    }
    if (d.missing > 0 || d.truncated) {
      this.damaged++;
      return [];
    }
    if (d.name === RANDOM) return d.bytes.length === 32 ? this.setRandom(key, hex(d.bytes)) : [];
    const label = LABELS[d.name];
    if (label === undefined) return [];
    const secret = hex(d.bytes);
    const random = this.random.get(key);
    if (random === undefined) {
      const w = this.waiting.get(key) ?? [];
      w.push({ label, secret });
      this.waiting.set(key, w);
      return [];
    }
    return this.add(label, random, secret);
  }

  /** A ClientHello record sent on `ctx`: its random, when no random dump was seen. */
  clientHello(ctx: string | null, record: Uint8Array): string[] {
    // header (5) + handshake type 1 + length (3) + client_version (2) + random (32)
    if (record.length < 43 || record[0] !== 22 || record[5] !== 1) return [];
    return this.setRandom(ctx ?? '', hex(record.subarray(11, 43)));
  }

  private setRandom(key: string, random: string): string[] {
    this.random.set(key, random);
    const w = this.waiting.get(key);
    if (w === undefined) return [];
    this.waiting.delete(key);
    return w.flatMap((s) => this.add(s.label, random, s.secret));
  }

  private add(label: string, random: string, secret: string): string[] {
    const line = `${label} ${random} ${secret}`;
    if (this.seen.has(line)) return [];
    this.seen.add(line);
    this.lines.push(line);
    return [line];
  }
}
