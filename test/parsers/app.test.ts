import { describe, expect, it } from 'vitest';
import { createAppParser } from '../../parsers/app.ts';
import { decodeCyRslt, parseCyRslt } from '../../parsers/tables/cy-rslt.ts';
import { fixture, parseText } from '../mqtt/transcript.ts';

const one = (body: string) => createAppParser().feed({ profile: 'none', body }, { seq: 3, t: 30, text: body });

describe('app parser: Wi-Fi lines (device-log-formats.md §11)', () => {
  const cases: [string, Record<string, unknown>[]][] = [
    ['Wi-Fi Connection Manager initialized.', [{ kind: 'wifi.init', ok: true }]],
    ['Wi-Fi Connection Manager initialization failed!', [{ kind: 'wifi.init', ok: false }]],
    ["Wi-Fi Connecting to 'BenchAP'", [{ kind: 'wifi.connecting', ssid: 'BenchAP' }]],
    ["Connecting to Wi-Fi AP 'Lab 2.4'", [{ kind: 'wifi.connecting', ssid: 'Lab 2.4' }]],
    ["Successfully connected to Wi-Fi network 'BenchAP'.", [{ kind: 'wifi.connected', ssid: 'BenchAP' }]],
    ['IPv4 Address Assigned: 10.0.0.7', [{ kind: 'wifi.ip', version: 4, address: '10.0.0.7' }]],
    ['IPv6 Address Assigned: fe80::1', [{ kind: 'wifi.ip', version: 6, address: 'fe80::1' }]],
    ['Wi-Fi Connection failed. Error code:0x82E0033. Retrying in 5000 ms. Retries left: 119',
      [{ kind: 'wifi.failed', retryInMs: 5000, retriesLeft: 119, error: { hex: '0x82E0033', module: 'WCM', name: 'CY_RSLT_WCM_DHCP_TIMEOUT' } }]],
    ['Connection to Wi-Fi network failed with error code 0x82E0001. Retrying in 5000 ms. Retries left: 9',
      [{ kind: 'wifi.failed', retriesLeft: 9, error: { name: 'CY_RSLT_WCM_WAIT_TIMEOUT' } }]],
    ['Exceeded maximum Wi-Fi connection attempts!', [{ kind: 'wifi.exhausted' }]],
    ['Unexpectedly disconnected from Wi-Fi network! ', [{ kind: 'wifi.disconnected', expected: false }]],
    ['Unexpectedly disconnected from Wi-Fi network! Initiating Wi-Fi reconnection...', [{ kind: 'wifi.disconnected' }, { kind: 'wifi.reconnecting' }]],
    ['Initiating Wi-Fi Reconnection...', [{ kind: 'wifi.reconnecting' }]],
    ['Disconnected from the Wi-Fi AP!', [{ kind: 'wifi.disconnected', expected: true }]],
    ['******* PSOC Edge MCU: Basic Trusted Firmware-M (TF-M) Crypto Application ******* ', [{ kind: 'app.boot', banner: 'PSOC Edge MCU: Basic Trusted Firmware-M (TF-M) Crypto Application' }]],
    ['*** TF-M SHA256 Cryptography service ***', []],
    ['MQTT connection successful.', []],
  ];
  it.each(cases)('%j', (body, expected) => {
    const got = one(body);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toMatchObject({ ...e, t: 30, line: 3 }));
  });

  it('takes the title between two rules as the boot banner, and only that line', () => {
    const rule = '='.repeat(63);
    const ev = parseText(`${rule}\r\nCE229889 - MQTT Client running on CM4\r\n${rule}\r\n\r\nnot a banner\r\n`);
    expect(ev).toEqual([{ kind: 'app.boot', banner: 'CE229889 - MQTT Client running on CM4', t: 10, line: 1 }]);
  });

  it('reads the Wi-Fi part of the device transcript', () => {
    const ev = parseText(fixture('device-mqtt.log')).filter((e) => e.kind.startsWith('wifi.') || e.kind.startsWith('app.'));
    expect(ev.map((e) => [e.kind, e.line])).toEqual([
      ['app.boot', 1], ['wifi.init', 5], ['wifi.connecting', 7], ['wifi.failed', 8], ['wifi.connected', 10], ['wifi.ip', 11],
    ]);
    expect(ev[0]).toMatchObject({ banner: 'PSOC Edge MCU: Wi-Fi MQTT Client' });
    expect(ev[5]).toMatchObject({ address: '192.168.1.42' });
  });
});

describe('cy_rslt table (§9)', () => {
  it.each([
    [0x08060009, 'MQTT', 'CY_RSLT_MODULE_MQTT_CONNECT_FAIL'],
    [0x08060016, 'MQTT', 'CY_RSLT_MODULE_MQTT_NOT_INITIALIZED'],
    [0x08260009, 'TLS', 'CY_RSLT_MODULE_TLS_HANDSHAKE_FAILURE'],
    [0x0826000c, 'TLS', 'CY_RSLT_MODULE_TLS_PKCS_ERROR'],
    [0x082a000e, 'SECURE_SOCKETS', 'CY_RSLT_MODULE_SECURE_SOCKETS_TLS_ERROR'],
    [0x082a001a, 'SECURE_SOCKETS', 'CY_RSLT_MODULE_SECURE_SOCKETS_WOULDBLOCK'],
    [0x082e0037, 'WCM', 'CY_RSLT_WCM_POWERSAVE_MODE_NOT_SUPPORTED'],
  ])('0x%s → %s %s', (n, module, name) => {
    expect(decodeCyRslt(n)).toMatchObject({ code: n, module, name });
  });
  it('prints hex the way the apps do (no zero padding, upper case)', () => {
    expect(decodeCyRslt(0x0806000a).hex).toBe('0x806000A');
  });
  it('reads the decimal form secure-sockets prints (%lu)', () => {
    expect(parseCyRslt('136708097')).toMatchObject({ hex: '0x8260001', name: 'CY_RSLT_MODULE_TLS_ERROR' });
  });
  it('names the module of an unlisted code and leaves the name null', () => {
    expect(decodeCyRslt(0x082e0007)).toMatchObject({ module: 'WCM', name: null });
    expect(decodeCyRslt(0x04000001)).toMatchObject({ module: 'module 0x100', name: null });
  });
});
