import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import fc from 'fast-check';
import { connectionMachine, connectionText, retryText, toConnectionEvent } from '../../machines/connection.ts';
import type { DeviceEvent } from '../../parsers/events.ts';
import { fixture, parseText } from '../mqtt/transcript.ts';

function run(events: DeviceEvent[]) {
  const actor = createActor(connectionMachine).start();
  for (const e of events) actor.send(toConnectionEvent(e));
  return actor;
}

const ev = (kind: string, t: number, extra: Record<string, unknown> = {}): DeviceEvent => ({ kind, t, line: t, ...extra }) as DeviceEvent;
const mqttRetry = (t: number, left: number) => [
  ev('mqtt.failed', t, { scope: 'app', stage: null, error: null, status: null, text: '' }),
  ev('mqtt.retry', t + 1, { scope: 'app', delayMs: 2000, retriesLeft: left }),
];

describe('connection machine', () => {
  it('follows the device transcript: boot, Wi-Fi retry, two MQTT failures, connected, lost, connected again', () => {
    const events = parseText(fixture('device-mqtt.log')); // 10 ms per line
    const actor = createActor(connectionMachine).start();
    const states: string[] = [];
    for (const e of events) {
      actor.send(toConnectionEvent(e));
      const v = String(actor.getSnapshot().value);
      if (states.at(-1) !== v) states.push(v);
    }
    expect(states).toEqual(['boot', 'wifiConnecting', 'wifiWaiting', 'wifiUp', 'mqttConnecting', 'mqttWaiting', 'mqttConnected', 'mqttDisconnected', 'mqttConnecting', 'mqttConnected']);
    const c = actor.getSnapshot().context;
    expect(c.boots).toBe(1);
    expect(c.wifi).toMatchObject({ ssid: 'BenchAP', ip: '192.168.1.42', up: true, attempt: 2, maxAttempts: 120 });
    expect(c.mqtt).toMatchObject({ connected: true, host: 'broker.bench.local', clientId: 'psoc-edge-mqtt-client4711', disconnects: 1, subscriptions: ['ledstatus'] });
    expect(c.mqtt.lastDisconnect).toMatchObject({ reason: 'broker-lost', line: 36 });
    // Connected again at line 41 (t = 410 ms).
    expect(c.mqtt.connectedAt).toBe(410);
  });

  it('says "attempt 3 of 150, next in 2 s" after the second failure, from event time only', () => {
    const actor = run([
      ev('mqtt.connecting', 0, { clientId: 'c', host: 'h' }),
      ...mqttRetry(100, 149),
      ...mqttRetry(2200, 148),
    ]);
    const s = actor.getSnapshot();
    expect(s.value).toBe('mqttWaiting');
    expect(s.context.mqtt).toMatchObject({ attempt: 3, maxAttempts: 150, retryDelayMs: 2000, nextRetryAt: 4201 });
    expect(retryText(s.context.mqtt, 2201)).toBe('attempt 3 of 150, next in 2 s');
    expect(retryText(s.context.mqtt, 3701)).toBe('attempt 3 of 150, next in 0.5 s');
    expect(retryText(s.context.mqtt, 5000)).toBe('attempt 3 of 150, retrying now');
    expect(connectionText(s)).toBe('MQTT: connect failed — attempt 3 of 150, next in 2 s');
  });

  it('stops counting at "Retries left: 0" and gives up on "Exceeded maximum"', () => {
    const actor = run([ev('mqtt.connecting', 0, { clientId: 'c', host: 'h' }), ...mqttRetry(10, 1), ...mqttRetry(20, 0), ev('mqtt.exhausted', 30, { minutes: null })]);
    const s = actor.getSnapshot();
    expect(s.value).toBe('gaveUp');
    expect(s.context.mqtt).toMatchObject({ attempt: 2, maxAttempts: 2, gaveUp: true, nextRetryAt: null });
    expect(connectionText(s)).toBe('MQTT: gave up after 2 attempts');
  });

  it('tracks a TLS attempt between begin and end, with its outcome', () => {
    const actor = run([
      ev('mqtt.connecting', 0, { clientId: 'c', host: 'h' }),
      ev('mqtt.tls.connecting', 5, { host: 'h', port: 8883 }),
      ev('tls.handshake.begin', 6),
    ]);
    expect(actor.getSnapshot().value).toBe('tls');
    expect(actor.getSnapshot().context.tls).toMatchObject({ inProgress: true, attempts: 1, host: 'h', port: 8883, startedAt: 5 });
    actor.send(toConnectionEvent(ev('tls.alert', 7, { direction: 'received', level: 2, description: 48, name: 'unknown_ca' })));
    actor.send(toConnectionEvent(ev('tls.handshake.end', 8)));
    expect(actor.getSnapshot().context.tls).toMatchObject({ inProgress: false, outcome: 'failed', error: 'fatal alert received: unknown_ca', endedAt: 8 });
    // Next attempt succeeds.
    actor.send(toConnectionEvent(ev('tls.handshake.begin', 2000)));
    actor.send(toConnectionEvent(ev('tls.handshake.end', 2100)));
    actor.send(toConnectionEvent(ev('mqtt.connected', 2200, { scope: 'app', sessionResumed: null })));
    expect(actor.getSnapshot().context.tls).toMatchObject({ attempts: 2, outcome: 'ok', error: null });
    expect(actor.getSnapshot().value).toBe('mqttConnected');
  });

  it('a reboot banner resets the session but counts boots', () => {
    const actor = run([ev('app.boot', 0, { banner: 'x' }), ev('mqtt.connected', 5, { scope: 'app', sessionResumed: null }), ev('app.boot', 10, { banner: 'y' })]);
    const s = actor.getSnapshot();
    expect(s.value).toBe('boot');
    expect(s.context).toMatchObject({ boots: 2, banner: 'y', mqtt: { connected: false } });
  });

  it('never throws and always stays in a known state, whatever the order of events', () => {
    const kinds = ['app.boot', 'wifi.connecting', 'wifi.failed', 'wifi.connected', 'wifi.ip', 'wifi.disconnected', 'wifi.exhausted',
      'mqtt.connecting', 'mqtt.failed', 'mqtt.retry', 'mqtt.connected', 'mqtt.disconnected', 'mqtt.exhausted', 'mqtt.subscribed',
      'mqtt.tls.connecting', 'mqtt.tls.failed', 'tls.handshake.begin', 'tls.handshake.end', 'tls.error', 'tls.alert', 'tls.state'];
    const arb = fc.array(fc.record({ kind: fc.constantFrom(...kinds), scope: fc.constantFrom('app', 'library'), left: fc.integer({ min: 0, max: 5 }) }), { maxLength: 40 });
    fc.assert(fc.property(arb, (list) => {
      const events = list.map((x, i) => ev(x.kind, i, {
        scope: x.scope, retriesLeft: x.left, delayMs: 100, retryInMs: 100, error: x.kind === 'tls.error' ? { code: -1, hex: '-0x1', name: null } : null,
        status: null, banner: 'b', ssid: 's', address: '1.2.3.4', version: 4, topic: 't', reason: 'broker-lost', host: 'h', port: 1,
        clientId: 'c', fn: 'f', level: 2, name: 'n', direction: 'received', expected: false, state: 'X', number: null,
      }));
      const s = run(events).getSnapshot();
      expect(s.status).toBe('active');
      expect(connectionText(s)).toEqual(expect.any(String));
      expect(s.context.mqtt.attempt).toBeGreaterThanOrEqual(0);
    }), { numRuns: 200 });
  });
});
