// captureLine: the lines a capture needs besides the dumps, as devices print them.
// Lines from: grep -h 'onnecting to' recordings/*.log test/fixtures/mqtt/*.log; the record and
// handshake lines from recordings/tls13_gcm_debug4_ok.log (bodies after the `file:line: |N| ` prefix).
import { describe, expect, it } from 'vitest';
import { captureLine } from '../../parsers/mbedtls/capture-lines.ts';

describe('captureLine', () => {
  it.each([
    ['  . Connecting to tcp/localhost/4433... ok', { kind: 'server', host: 'localhost', port: 4433 }],
    ['  . Connecting to tcp/127.0.0.1/25435... ok', { kind: 'server', host: '127.0.0.1', port: 25435 }],
    ["'psoc-edge-mqtt-client4711' connecting to MQTT broker 'broker.bench.local'...", { kind: 'server', host: 'broker.bench.local', port: null }],
    ["Wi-Fi Connecting to 'BenchAP'", null],
    ['  . Connecting to tcp/localhost/99999... ok', { kind: 'server', host: 'localhost', port: null }],
    ['=> handshake', { kind: 'handshake' }],
    ['<= handshake', { kind: 'handshake.end' }],
    ['=> handshake wrapup', null],
    ['output record: msgtype = 22, version = [3:3], msglen = 205', { kind: 'record', direction: 'out', header: { type: 22, major: 3, minor: 3, length: 205 } }],
    ['input record: msgtype = 22, version = [0x303], msglen = 122', { kind: 'record', direction: 'in', header: { type: 22, major: 3, minor: 3, length: 122 } }],
    // mbedTLS 2.28 prints the input version as two numbers (recordings/m228_tls12_mtls_ok.log)
    ['input record: msgtype = 22, version = [3:3], msglen = 2048', { kind: 'record', direction: 'in', header: { type: 22, major: 3, minor: 3, length: 2048 } }],
    ['input record: msgtype = 22, version = [3:3], msglen = 99999', { kind: 'record', direction: 'in', header: null }],
    ['<= write record', { kind: 'record.end', direction: 'out' }],
    ['<= read record', { kind: 'record.end', direction: 'in' }],
    ["dumping 'output record sent to network' (210 bytes)", null],
    ['mbedtls_ssl_fetch_input() returned -29312 (-0x7280)', { kind: 'error' }],
    // WANT_READ: the read is made again and the record still comes
    ['mbedtls_ssl_fetch_input() returned -26880 (-0x6900)', null],
    // A positive return is printed with a negative hex too (recordings/tls13_gcm_debug4_ok.log line 167)
    ['ssl->f_recv(_timeout)() returned 122 (-0xffffff86)', null],
  ])('%s', (body, expected) => {
    expect(captureLine(body)).toEqual(expected);
  });
});
