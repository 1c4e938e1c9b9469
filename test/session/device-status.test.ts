/** The one-line device status of the status bar, for a plain TLS client and an MQTT device. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';

function status(path: string): string | undefined {
  const s = createSession({ diagnosis: null, source: { type: 'file', name: path } });
  s.feed(readFileSync(new URL(`../../${path}`, import.meta.url)), 0);
  s.end();
  return s.getSnapshot().device;
}

describe('device status line', () => {
  it.each([
    // A failed handshake is what the device is stuck on: no MQTT "connecting" is invented.
    ['recordings/tls12_server_untrusted.log', 'TLS: handshake failed — x509_verify_cert() returned -0x2700 (MBEDTLS_ERR_X509_CERT_VERIFY_FAILED)'],
    // ssl_client2 is no MQTT client: after the handshake it stays a TLS session.
    ['recordings/tls13_mtls_ok.log', 'TLS: handshake completed'],
    // test/fixtures/mqtt/device-mqtt.log ends with the device connected and subscribed.
    ['test/fixtures/mqtt/device-mqtt.log', 'MQTT: connected to broker.bench.local'],
  ])('%s → %s', (path, want) => {
    expect(status(path)).toBe(want);
  });
});

describe('broker status', () => {
  it('a new broker status refreshes the snapshot at once and is one broker.status event', () => {
    const s = createSession({ diagnosis: null, source: { type: 'serial', name: '/dev/ttyACM0' } });
    let changes = 0;
    const events: unknown[] = [];
    s.onChange(() => changes++);
    s.onEvent((e) => events.push(e));
    const away = { state: 'reconnecting' as const, detail: 'broker at 127.0.0.1:1883 went away' };
    s.setBrokerStatus(away, 12);
    expect(changes).toBe(1);
    expect(s.getSnapshot().mqtt.brokerStatus).toEqual(away);
    expect(events).toEqual([{ kind: 'broker.status', t: 12, line: null, state: 'reconnecting', detail: 'broker at 127.0.0.1:1883 went away' }]);
    // The same state again is no change.
    s.setBrokerStatus({ ...away }, 13);
    expect(changes).toBe(1);
    expect(events).toHaveLength(1);
  });
});
