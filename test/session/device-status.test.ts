/** The one-line device status of the status bar, for a plain TLS client and an MQTT device. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/session/session.ts';

function status(path: string): string | undefined {
  const s = new Session({ source: { type: 'file', name: path } });
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
  it('a new broker status refreshes the snapshot at once', () => {
    const s = new Session({ source: { type: 'serial', name: '/dev/ttyACM0' } });
    let changes = 0;
    s.onChange(() => changes++);
    s.facts.brokerStatus = 'reconnecting: broker at 127.0.0.1:1883 went away';
    expect(changes).toBe(1);
    expect(s.getSnapshot().mqtt.brokerStatus).toBe('reconnecting: broker at 127.0.0.1:1883 went away');
    s.facts.brokerStatus = 'reconnecting: broker at 127.0.0.1:1883 went away';
    expect(changes).toBe(1);
  });
});
