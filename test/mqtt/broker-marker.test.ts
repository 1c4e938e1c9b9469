/** The broker's side of a session in a .cast recording: a marker per message, read back as the same message. */
import { describe, expect, it } from 'vitest';
import { brokerMarker, parseBrokerMarker } from '../../src/mqtt/broker-marker.ts';
import { payloadString } from '../../src/mqtt/preview.ts';

const round = (payload: Uint8Array): Uint8Array | undefined =>
  parseBrokerMarker(brokerMarker({ topic: 't/x', qos: 1, retain: true, payload: payloadString(payload).text }), 2500)?.payload;

describe('broker markers', () => {
  it('carry topic, QoS, retain and payload; text and binary payloads come back byte for byte', () => {
    const label = brokerMarker({ topic: 'ledstatus', qos: 1, retain: false, payload: 'TURN OFF' });
    expect(parseBrokerMarker(label, 1234)).toEqual({ topic: 'ledstatus', qos: 1, retain: false, payload: new TextEncoder().encode('TURN OFF'), t: 1234 });
    expect(round(new Uint8Array([0, 255, 1, 128]))).toEqual(new Uint8Array([0, 255, 1, 128]));
    // A text that only looks like the hex form stays the text it was.
    expect(round(new TextEncoder().encode('hex:4142'))).toEqual(new TextEncoder().encode('hex:4142'));
    // QoS null (a device-side event has none) is recorded as 0.
    expect(parseBrokerMarker(brokerMarker({ topic: 'a', qos: null, payload: 'p' }), 0)?.qos).toBe(0);
  });

  it('leaves every other marker alone, damaged ones included', () => {
    expect(parseBrokerMarker('serial reconnected', 0)).toBeNull();
    expect(parseBrokerMarker('mqtt broker message {"topic":', 0)).toBeNull();
    expect(parseBrokerMarker('mqtt broker message {"topic":1,"qos":0,"retain":false,"payload":"x"}', 0)).toBeNull();
  });
});
