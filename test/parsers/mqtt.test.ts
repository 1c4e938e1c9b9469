import { describe, expect, it } from 'vitest';
import { createMqttParser, decodeMqttStatus } from '../../parsers/mqtt.ts';
import type { DeviceEvent } from '../../parsers/events.ts';
import { fixture, parseText } from '../mqtt/transcript.ts';

const one = (body: string): DeviceEvent[] => createMqttParser().feed({ profile: 'none', body }, { seq: 7, t: 70, text: body });

describe('MQTT parser: one line each (device-log-formats.md §10, §11)', () => {
  const cases: [string, Record<string, unknown>[]][] = [
    ["'psoc6-mqtt-client' connecting to MQTT broker 'test.mosquitto.org'...", [{ kind: 'mqtt.connecting', clientId: 'psoc6-mqtt-client', host: 'test.mosquitto.org' }]],
    ["MQTT client 'psoc6-mqtt-client' connecting to MQTT broker 'test.mosquitto.org'...", [{ kind: 'mqtt.connecting', clientId: 'psoc6-mqtt-client' }]],
    ['MQTT connection successful.', [{ kind: 'mqtt.connected', scope: 'app' }]],
    ['MQTT connection failed with error code 0x8060009. ', [{ kind: 'mqtt.failed', scope: 'app', error: { code: 0x08060009, hex: '0x8060009', module: 'MQTT', name: 'CY_RSLT_MODULE_MQTT_CONNECT_FAIL' } }]],
    ['Retrying in 2000 ms. Retries left: 149', [{ kind: 'mqtt.retry', scope: 'app', delayMs: 2000, retriesLeft: 149 }]],
    // Older app: failure and retry on one line.
    ['MQTT connection failed with error code 0x82A000E. Retrying in 2000 ms. Retries left: 3', [
      { kind: 'mqtt.failed', error: { module: 'SECURE_SOCKETS', name: 'CY_RSLT_MODULE_SECURE_SOCKETS_TLS_ERROR' } },
      { kind: 'mqtt.retry', delayMs: 2000, retriesLeft: 3 },
    ]],
    ['Exceeded maximum MQTT connection attempts', [{ kind: 'mqtt.exhausted' }]],
    ["MQTT client subscribed to the topic 'ledstatus' successfully.", [{ kind: 'mqtt.subscribed', topic: 'ledstatus' }]],
    ['MQTT Subscribe failed with error 0x806000C after 3 retries...', [{ kind: 'mqtt.subscribe.failed', retries: 3, error: { name: 'CY_RSLT_MODULE_MQTT_SUBSCRIBE_FAIL' } }]],
    ["Publisher: Publishing 'TURN ON' on the topic 'ledstatus'", [{ kind: 'mqtt.message', source: 'device', direction: 'out', topic: 'ledstatus', payload: 'TURN ON', qos: null }]],
    ['  Publisher: MQTT Publish failed with error 0x806000B.', [{ kind: 'mqtt.publish.failed', error: { name: 'CY_RSLT_MODULE_MQTT_PUBLISH_FAIL' } }]],
    ['  Subscriber: Received MQTT message not in valid format!', [{ kind: 'mqtt.payload.invalid' }]],
    ['Unexpectedly disconnected from MQTT broker!', [{ kind: 'mqtt.disconnected', reason: 'broker-lost' }]],
    ['Initiating MQTT Reconnection...', [{ kind: 'mqtt.reconnecting' }]],
    ['MQTT library initialization successful.', [{ kind: 'mqtt.init', ok: true }]],
    ['MQTT instance creation failed!', [{ kind: 'mqtt.init', ok: false }]],
    // library lines (cy_mqtt_api.c)
    ['Establishing a TLS session to a1b2c3-ats.iot.eu-west-1.amazonaws.com:8883.', [{ kind: 'mqtt.tls.connecting', host: 'a1b2c3-ats.iot.eu-west-1.amazonaws.com', port: 8883 }]],
    ['[F4] : [L4] : 0013 00:00:07.500 Establishing a TLS session to 192.168.1.10:8884.', [{ kind: 'mqtt.tls.connecting', host: '192.168.1.10', port: 8884 }]],
    ['TLS connection failed with Error : [0x82A000E] ', [{ kind: 'mqtt.tls.failed', error: { name: 'CY_RSLT_MODULE_SECURE_SOCKETS_TLS_ERROR' } }]],
    ['TLS connection established ..', [{ kind: 'mqtt.tls.connected' }]],
    ['cy_awsport_network_create failed with Error : [0x8060003] ', [{ kind: 'mqtt.failed', scope: 'library', stage: 'network', error: { name: 'CY_RSLT_MODULE_MQTT_NOMEM' } }]],
    ['Connection to the broker failed. Retrying connection with backoff and jitter.', [{ kind: 'mqtt.retry', scope: 'library', delayMs: null, retriesLeft: null }]],
    ['Connection to the broker failed, all attempts exhausted.', [{ kind: 'mqtt.failed', scope: 'library', error: { name: 'CY_RSLT_MODULE_MQTT_CONNECT_FAIL' } }]],
    ['Connection with MQTT broker failed with status MQTTServerRefused.', [{ kind: 'mqtt.failed', scope: 'library', stage: 'mqtt', status: { name: 'MQTTServerRefused', code: 6 } }]],
    ['MQTT connection successfully established with broker.', [{ kind: 'mqtt.connected', scope: 'library' }]],
    ['Establish MQTT session failed with Error : [0x8060009] ', [{ kind: 'mqtt.failed', scope: 'library', stage: 'mqtt' }]],
    ['MQTT session with broker is re-established. Resending unacked publishes.', [{ kind: 'mqtt.connected', sessionResumed: true }]],
    [' A clean MQTT connection is established. Cleaning up all the stored outgoing publishes.', [{ kind: 'mqtt.connected', sessionResumed: false }]],
    ['MQTT Keepalive Timeout', [{ kind: 'mqtt.disconnected', reason: 'keepalive-timeout' }]],
    [' Network disconnection notification from socket layer.', [{ kind: 'mqtt.disconnected', reason: 'network-down' }]],
    ['mqtt_event_processing_thread MQTT_ProcessLoop failed with status MQTTRecvFailed ', [{ kind: 'mqtt.error', status: { name: 'MQTTRecvFailed', code: 4 } }]],
    ['MQTT_ProcessLoop returned with status = MQTTKeepAliveTimeout.', [{ kind: 'mqtt.error', context: 'MQTT_ProcessLoop', status: { name: 'MQTTKeepAliveTimeout', code: 10 } }]],
    [' MQTT_Ping failed with Error : [0x806000E] ', [{ kind: 'mqtt.error', context: 'MQTT_Ping', error: { name: 'CY_RSLT_MODULE_MQTT_NOT_CONNECTED' } }]],
    ['PUBLISH sent for topic ledstatus to broker with packet ID 3.', [{ kind: 'mqtt.publish.sent', topic: 'ledstatus', packetId: 3 }]],
    ['SUBSCRIBE sent for topic ledstatus to broker.', [{ kind: 'mqtt.subscribe.sent', topic: 'ledstatus' }]],
    ['PUBACK received for packet id 3.', [{ kind: 'mqtt.ack', packet: 'PUBACK', packetId: 3 }]],
    ['PUBREC received with status MQTTSuccess.', [{ kind: 'mqtt.ack', packet: 'PUBREC', status: { name: 'MQTTSuccess', code: 0 } }]],
    ['Failed to send PUBLISH packet to broker with error = MQTTSendFailed.', [{ kind: 'mqtt.publish.failed', status: { name: 'MQTTSendFailed', code: 3 } }]],
    [' MQTT_GetSubAckStatusCodes failed with status = MQTTBadParameter.', [{ kind: 'mqtt.subscribe.failed', status: { name: 'MQTTBadParameter', code: 1 } }]],
    // Wi-Fi lines belong to the app parser, even the one with "Retrying in".
    ['Wi-Fi Connection failed. Error code:0x82E0033. Retrying in 5000 ms. Retries left: 119', []],
    ['Press the USER BTN1 to publish "TURN ON"/"TURN OFF" on the topic \'ledstatus\'...', []],
    ['', []],
  ];
  it.each(cases)('%j', (body, expected) => {
    const got = one(body);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toMatchObject({ ...e, t: 70, line: 7 }));
  });

  it('maps coreMQTT status strings to their enum value, unknown ones to null', () => {
    expect(decodeMqttStatus('MQTTNoDataAvailable')).toEqual({ name: 'MQTTNoDataAvailable', code: 7 });
    expect(decodeMqttStatus('Invalid MQTT Status code')).toEqual({ name: 'Invalid MQTT Status code', code: null });
  });
});

describe('MQTT parser: the incoming message block spread over lines', () => {
  it('joins header, topic, QoS and payload into one event at the header line', () => {
    const ev = parseText('  \r\nSubsciber: Incoming MQTT message received:\r\n    Publish topic name: a/b\r\n    Publish QoS: 2\r\n    Publish payload: {"on": true}\r\n');
    expect(ev).toEqual([{ kind: 'mqtt.message', t: 10, line: 1, source: 'device', direction: 'in', topic: 'a/b', qos: 2, payload: '{"on": true}' }]);
  });

  it('keeps a block cut short by another line (payload empty) and still reads that line', () => {
    const ev = parseText('Subsciber: Incoming MQTT message received:\n    Publish topic name: t\nUnexpectedly disconnected from MQTT broker!\n');
    expect(ev.map((e) => e.kind)).toEqual(['mqtt.message', 'mqtt.disconnected']);
    expect(ev[0]).toMatchObject({ topic: 't', qos: null, payload: '' });
  });

  it('reports an unfinished block at flush', () => {
    const ev = parseText('Subsciber: Incoming MQTT message received:\n    Publish topic name: t\n    Publish QoS: 0\n');
    expect(ev).toMatchObject([{ kind: 'mqtt.message', topic: 't', qos: 0, payload: '' }]);
  });

  it('reads the message when cy_log puts the text on the line after its prefix', () => {
    const ev = parseText('[F4] : [L5] : 0042 00:00:12.001 \r\nPUBLISH sent for topic ledstatus to broker with packet ID 9.\r\n');
    expect(ev).toMatchObject([{ kind: 'mqtt.publish.sent', line: 1, packetId: 9 }]);
  });
});

describe('MQTT parser: device transcript fixture', () => {
  // Line numbers (seq, 0-based) counted in test/fixtures/mqtt/device-mqtt.log.
  it('yields the MQTT events in order with their lines', () => {
    const ev = parseText(fixture('device-mqtt.log')).filter((e) => e.kind.startsWith('mqtt.'));
    expect(ev.map((e) => [e.kind, e.line])).toEqual([
      ['mqtt.init', 14],
      ['mqtt.connecting', 16],
      ['mqtt.failed', 18],
      ['mqtt.retry', 19],
      ['mqtt.failed', 21],
      ['mqtt.retry', 22],
      ['mqtt.connected', 23],
      ['mqtt.subscribed', 25],
      ['mqtt.message', 29],
      ['mqtt.message', 31],
      ['mqtt.disconnected', 36],
      ['mqtt.reconnecting', 38],
      ['mqtt.connecting', 40],
      ['mqtt.connected', 41],
      ['mqtt.subscribed', 43],
      ['mqtt.message', 45],
      ['mqtt.message', 47],
    ]);
    expect(ev[8]).toMatchObject({ direction: 'out', topic: 'ledstatus', payload: 'TURN ON', qos: null });
    expect(ev[9]).toMatchObject({ direction: 'in', topic: 'ledstatus', payload: 'TURN ON', qos: 1 });
    expect(ev[16]).toMatchObject({ direction: 'in', topic: 'ledstatus', payload: 'TURN OFF', qos: 1 });
    expect(ev[3]).toMatchObject({ delayMs: 2000, retriesLeft: 149 });
  });
});
