import { describe, expect, it } from 'vitest';
import { MqttTracker, brokerMessageEvent, mqttSummary } from '../../src/mqtt/summary.ts';
import { fixture, parseText } from './transcript.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('mqttSummary of the device transcript (test/fixtures/mqtt/device-mqtt.log)', () => {
  it('gives connected, the subscription and the four messages with topic, QoS, payload, direction and line', () => {
    const s = mqttSummary(parseText(fixture('device-mqtt.log')));
    expect(s).toEqual({
      connected: true,
      subscriptions: [{ topic: 'ledstatus' }],
      messages: [
        { source: 'device', direction: 'out', topic: 'ledstatus', qos: null, payload: 'TURN ON', line: 29 },
        { source: 'device', direction: 'in', topic: 'ledstatus', qos: 1, payload: 'TURN ON', line: 31 },
        { source: 'device', direction: 'out', topic: 'ledstatus', qos: null, payload: 'TURN OFF', line: 45 },
        { source: 'device', direction: 'in', topic: 'ledstatus', qos: 1, payload: 'TURN OFF', line: 47 },
      ],
    });
  });

  it('is not connected when the transcript stops after the disconnect line (seq 36)', () => {
    const events = parseText(fixture('device-mqtt.log')).filter((e) => e.line <= 36);
    expect(mqttSummary(events).connected).toBe(false);
  });

  it('merges broker messages by time and marks them source broker, direction null', () => {
    // Lines are 10 ms apart: the device published TURN ON at seq 29 (t 290) and received it at seq 31 (t 310).
    const s = mqttSummary(parseText(fixture('device-mqtt.log')), [{ topic: 'ledstatus', payload: bytes('TURN ON'), qos: 1, retain: false, t: 300 }]);
    expect(s.messages.slice(0, 3).map((m) => [m.source, m.direction, m.payload, m.line])).toEqual([
      ['device', 'out', 'TURN ON', 29],
      ['broker', null, 'TURN ON', null],
      ['device', 'in', 'TURN ON', 31],
    ]);
  });
});

describe('MqttTracker correlation', () => {
  it('links the device publish and the broker message (latency), and the broker message and the device receipt', () => {
    const tr = new MqttTracker();
    for (const e of parseText(fixture('device-mqtt.log')).filter((e) => e.line <= 29)) tr.device(e);
    const b = tr.broker({ topic: 'ledstatus', payload: bytes('TURN ON'), qos: 1, retain: false, t: 335 });
    expect(b.links).toEqual([{ id: 1, relation: 'published', latencyMs: 45 }]);
    const incoming = parseText(fixture('device-mqtt.log')).find((e) => e.line === 31)!;
    const d = tr.device(incoming)!;
    expect(d.links).toEqual([{ id: b.id, relation: 'delivered', latencyMs: 310 - 335 }]);
    expect(tr.history.get(b.id)!.links.map((l) => l.relation)).toEqual(['published', 'delivered']);
    expect(tr.history.get(1)!.links).toEqual([{ id: b.id, relation: 'published', latencyMs: 45 }]);
  });

  it('does not pair a different payload, another topic, or messages further apart than the window', () => {
    const tr = new MqttTracker({ correlationWindowMs: 1000 });
    tr.device({ kind: 'mqtt.message', t: 0, line: 0, source: 'device', direction: 'out', topic: 'a', qos: null, payload: 'x' });
    expect(tr.broker({ topic: 'a', payload: bytes('y'), qos: 0, retain: false, t: 10 }).links).toEqual([]);
    expect(tr.broker({ topic: 'b', payload: bytes('x'), qos: 0, retain: false, t: 10 }).links).toEqual([]);
    expect(tr.broker({ topic: 'a', payload: bytes('x'), qos: 0, retain: false, t: 1500 }).links).toEqual([]);
  });

  it('pairs a receipt only on a topic the device subscribed to, once subscriptions are known', () => {
    const tr = new MqttTracker();
    tr.device({ kind: 'mqtt.subscribed', t: 0, line: 0, topic: 'cmd/+' });
    tr.broker({ topic: 'other', payload: bytes('p'), qos: 0, retain: false, t: 10 });
    expect(tr.device({ kind: 'mqtt.message', t: 20, line: 2, source: 'device', direction: 'in', topic: 'other', qos: 0, payload: 'p' })!.links).toEqual([]);
    tr.broker({ topic: 'cmd/led', payload: bytes('p'), qos: 0, retain: false, t: 30 });
    expect(tr.device({ kind: 'mqtt.message', t: 40, line: 4, source: 'device', direction: 'in', topic: 'cmd/led', qos: 0, payload: 'p' })!.links).toHaveLength(1);
  });

  it('keeps binary broker payloads as hex: in the summary and the NDJSON event', () => {
    const m = { topic: 'bin', payload: new Uint8Array([0xde, 0xad, 0x00, 0xef]), qos: 0, retain: true, t: 5 };
    expect(brokerMessageEvent(m, 12)).toEqual({ kind: 'mqtt.message', t: 5, line: 12, source: 'broker', direction: null, topic: 'bin', qos: 0, payload: 'hex:dead00ef', retain: true });
    const tr = new MqttTracker();
    expect(tr.broker(m)).toMatchObject({ binary: true, payload: 'hex:dead00ef' });
  });
});
