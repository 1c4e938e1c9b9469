// Line-level behaviour of MbedtlsParser. Input lines are copied from recordings/*.log (file and
// line number in each case name) unless marked "built": those follow the mbedTLS 3.6.6 / cy_tls
// format strings of device-log-formats.md §3 and §8 where the corpus has no example.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeviceEvent, Line, Prefixed } from '../../parsers/events.ts';
import { MbedtlsParser } from '../../parsers/mbedtls/mbedtls-parser.ts';
import { ofKind, run, segments } from './mbedtls-helpers.ts';

/** Events of one line, fed after `context` lines, without flush. */
function eventsOf(text: string, context: readonly string[] = [], version?: '2.28' | '3.6'): DeviceEvent[] {
  const p = new MbedtlsParser({ ...(version ? { version } : {}), strict: true });
  const all = [...context, text];
  let last: DeviceEvent[] = [];
  all.forEach((t, seq) => {
    last = [];
    for (const s of segments(t)) last.push(...p.feed(s, { seq, t: seq * 10, text: t }));
  });
  return last;
}

function strip(e: DeviceEvent): Record<string, unknown> {
  const { t: _t, line: _l, ...rest } = e as DeviceEvent & Record<string, unknown>;
  return rest;
}

describe('MbedtlsParser: one line → events', () => {
  it.each<[string, string, Record<string, unknown>[]]>([
    ['handshake begin (tls12_no_shared_cipher:9, glued)', '  . Performing the SSL/TLS handshake...ssl_tls.c:4670: |2| => handshake',
      [{ kind: 'tls.handshake.begin', ctx: null }]],
    ['handshake end (tls12_no_shared_cipher:137)', 'ssl_tls.c:4681: |2| <= handshake', [{ kind: 'tls.handshake.end', ctx: null }]],
    ['wrapup is not the end (tls13_mtls_ok)', 'ssl_tls13_generic.c:1251: |3| <= handshake wrapup', []],
    ['output record 3.6 (tls12_no_shared_cipher)', 'ssl_msg.c:3031: |3| output record: msgtype = 22, version = [3:3], msglen = 125',
      [{ kind: 'tls.record', ctx: null, direction: 'out', contentType: 22, version: '3:3', length: 125, state: null }]],
    ['input record 3.6 (tls12_no_shared_cipher:127)', 'ssl_msg.c:3999: |3| input record: msgtype = 21, version = [0x303], msglen = 2',
      [{ kind: 'tls.record', ctx: null, direction: 'in', contentType: 21, version: '3:3', length: 2, state: null }]],
    ['output record 2.28 ClientHello (m228:118)', 'ssl_msg.c:2703: |3| output record: msgtype = 22, version = [3:1], msglen = 300',
      [{ kind: 'tls.record', ctx: null, direction: 'out', contentType: 22, version: '3:1', length: 300, state: null }]],
    ['sole handshake message (tls12_server_untrusted)', 'ssl_msg.c:3242: |3| handshake message: msglen = 426, type = 11, hslen = 426',
      [{ kind: 'tls.hsmsg', ctx: null, msglen: 426, type: 11, hslen: 426, fragment: 'sole' }]],
    ['offered suite 3.6 (tls12_no_shared_cipher)', 'ssl_client.c:0370: |3| client hello, add ciphersuite: c02b, TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256',
      [{ kind: 'tls.ciphersuite.offered', ctx: null, id: 0xc02b, name: 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256' }]],
    ['offered suite 2.28 (m228:29)', 'ssl_cli.c:1169: |3| client hello, add ciphersuite: 0x9f (TLS-DHE-RSA-WITH-AES-256-GCM-SHA384)',
      [{ kind: 'tls.ciphersuite.offered', ctx: null, id: 0x9f, name: 'TLS-DHE-RSA-WITH-AES-256-GCM-SHA384' }]],
    ['chosen suite TLS 1.3 (tls13_mtls_ok)', 'ssl_tls13_client.c:1704: |3| server hello, chosen ciphersuite: ( 1303 ) - TLS1-3-CHACHA20-POLY1305-SHA256',
      [{ kind: 'tls.ciphersuite.chosen', ctx: null, id: 0x1303, name: 'TLS1-3-CHACHA20-POLY1305-SHA256' }, { kind: 'tls.version', ctx: null, version: '1.3' }]],
    ['received alert (tls12_no_shared_cipher:133)', 'ssl_msg.c:5274: |2| got an alert message, type: [2:40]',
      [{ kind: 'tls.alert', ctx: null, direction: 'received', level: 2, description: 40, name: 'handshake_failure' }]],
    ['fatal alert line alone, as at debug level 1 (tls12_no_shared_cipher:134)', 'ssl_msg.c:5281: |1| is a fatal alert message (msg 40)',
      [{ kind: 'tls.alert', ctx: null, direction: 'received', level: 2, description: 40, name: 'handshake_failure' }]],
    ['sent alert (tls12_server_untrusted)', 'ssl_msg.c:5351: |3| send alert level=2 message=48',
      [{ kind: 'tls.alert', ctx: null, direction: 'sent', level: 2, description: 48, name: 'unknown_ca' }]],
    ['error return (tls12_no_shared_cipher:135)', 'ssl_msg.c:4387: |1| mbedtls_ssl_handle_message_type() returned -30592 (-0x7780)',
      [{ kind: 'tls.error', ctx: null, fn: 'mbedtls_ssl_handle_message_type',
        error: { code: -30592, hex: '-0x7780', name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE', text: 'A fatal alert message was received from our peer' } }]],
    ['x509 verify error (tls12_server_untrusted)', 'ssl_tls.c:9954: |1| x509_verify_cert() returned -9984 (-0x2700)',
      [{ kind: 'tls.error', ctx: null, fn: 'x509_verify_cert',
        error: { code: -9984, hex: '-0x2700', name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED', text: 'Certificate verification failed, e.g. CRL, CA or signature check failed' } }]],
    ['error return from a function whose name starts with a letter the first-character switch knows (built: the MBEDTLS_SSL_DEBUG_RET format, as the diagnosis engineer reported it)',
      'ssl_msg.c:4169: |1| ssl_get_next_record() returned -29184 (-0x7200)',
      [{ kind: 'tls.error', ctx: null, fn: 'ssl_get_next_record',
        error: { code: -29184, hex: '-0x7200', name: 'MBEDTLS_ERR_SSL_INVALID_RECORD', text: 'An invalid SSL record was received' } }]],
    ['error return, function name starting with c (built)', 'ssl_tls.c:9954: |1| cy_tls_recv() returned -30848 (-0x7880)',
      [{ kind: 'tls.error', ctx: null, fn: 'cy_tls_recv',
        error: { code: -30848, hex: '-0x7880', name: 'MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY', text: 'The peer notified us that the connection is going to be closed' } }]],
    ['byte counts are not errors (tls12_no_shared_cipher)', 'ssl_msg.c:2377: |2| ssl->f_send() returned 130 (-0xffffff7e)', []],
    ['a 0 return is not an error (tls13_mtls_ok)', 'ssl_tls13_generic.c:0403: |1| mbedtls_ssl_tls13_process_certificate_verify() returned 0 (-0x0000)', []],
    ['WANT_READ is not an error (built)', 'ssl_msg.c:2321: |2| ssl->f_recv(_timeout)() returned -26880 (-0x6900)', []],
    ['verify flags (tls12_server_untrusted)', 'ssl_tls.c:10054: |3| ! Certificate verification flags 00000008',
      [{ kind: 'tls.verify_flags', ctx: null, flags: 8, names: ['BADCERT_NOT_TRUSTED'] }]],
    ['verify flags clear (tls13_mtls_ok)', 'ssl_tls.c:10057: |3| Certificate verification flags clear', [{ kind: 'tls.verify_flags', ctx: null, flags: 0, names: [] }]],
    ['clock not set (built)', 'ssl_tls.c:10054: |3| ! Certificate verification flags 00000209',
      [{ kind: 'tls.verify_flags', ctx: null, flags: 0x209, names: ['BADCERT_EXPIRED', 'BADCERT_NOT_TRUSTED', 'BADCERT_FUTURE'] }]],
    ['hex dump header (tls12_gcm_debug4:945)', "ssl_msg.c:4107: |4| dumping 'input record from network' (6277 bytes)",
      [{ kind: 'tls.hexdump', ctx: null, name: 'input record from network', length: 6277, truncated: true }]],
    ['secret dump header (m228)', "ssl_tls.c:1168: |3| dumping 'master secret' (48 bytes)",
      [{ kind: 'tls.hexdump', ctx: null, name: 'master secret', length: 48, truncated: false }]],
    ['hex row: nothing (tls12_no_shared_cipher)', 'ssl_client.c:0487: |3| 0000:  6b 02 f6 ef 3f ba e4 3e 16 aa e8 4e d9 7a e4 90  k...?..>...N.z..', []],
    ['negotiated MFL (m228:158)', 'ssl_cli.c:2325: |3| found max_fragment_length extension', [{ kind: 'tls.mfl', ctx: null, stage: 'negotiated', bytes: null }]],
    ['sent-extension mask for MFL says nothing (tls12_no_shared_cipher)', 'ssl_client.c:1008: |3| ClientHello: max_fragment_length(1) extension does not exist.', []],
    ['ssl_client2 failure (tls12_no_shared_cipher:139)', '  ! mbedtls_ssl_handshake returned -0x7780',
      [{ kind: 'tls.platform.failed', ctx: null, fn: 'mbedtls_ssl_handshake',
        error: { code: -0x7780, hex: '-0x7780', name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE', text: 'A fatal alert message was received from our peer' } }]],
    ['last error line is not a second failure (tls12_no_shared_cipher:141)', 'Last error was: -0x7780 - SSL - A fatal alert message was received from our peer', []],
    ['cy_tls failure, -ret in hex (built, §8)', 'mbedtls_ssl_handshake failed 0x7f80',
      [{ kind: 'tls.platform.failed', ctx: null, fn: 'mbedtls_ssl_handshake',
        error: { code: -0x7f80, hex: '-0x7f80', name: 'MBEDTLS_ERR_SSL_HW_ACCEL_FAILED', text: 'Hardware acceleration function returned with error' } }]],
    ['cy_tls failure after a cy_log prefix (built, §7)', '[F4] : [L1] : 0012 00:00:07.431 mbedtls_ssl_handshake failed 0x2700',
      [{ kind: 'tls.platform.failed', ctx: null, fn: 'mbedtls_ssl_handshake',
        error: { code: -0x2700, hex: '-0x2700', name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED', text: 'Certificate verification failed, e.g. CRL, CA or signature check failed' } }]],
    ['platform failure under a file:line prefix (built)', 'esp_tls_mbedtls.c:0123: |1| mbedtls_ssl_handshake returned -0x2700',
      [{ kind: 'tls.platform.failed', ctx: null, fn: 'mbedtls_ssl_handshake',
        error: { code: -0x2700, hex: '-0x2700', name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED', text: 'Certificate verification failed, e.g. CRL, CA or signature check failed' } }]],
    ['cy_tls success (built, §8)', 'TLS handshake successful ', [{ kind: 'tls.platform.ok', ctx: null }]],
    ['cy_tls version (built, §8)', 'Negotiated TLS version : 304 [TLS1.2 (303), TLS1.3 (304)] ', [{ kind: 'tls.version', ctx: null, version: '1.3' }]],
    ['ssl_client2 protocol line (tls13_mtls_ok)', '    [ Protocol is TLSv1.3 ]', [{ kind: 'tls.version', ctx: null, version: '1.3' }]],
    ['TLS 1.2 server hello parser (tls12_rsa_server_ok)', 'ssl_tls12_client.c:1195: |2| => parse server hello', [{ kind: 'tls.version', ctx: null, version: '1.2' }]],
    ['record_size_limit negotiated (built, ssl_tls13_generic.c:1700)', 'ssl_tls13_generic.c:1700: |2| RecordSizeLimit: 4096 Bytes',
      [{ kind: 'tls.record_size_limit', ctx: null, stage: 'negotiated', bytes: 4096 }]],
    ['threading ctx is copied (built, debug.c %p prefix)', 'ssl_tls.c:4589: 0x20001234: |2| client state: MBEDTLS_SSL_SERVER_HELLO',
      [{ kind: 'tls.state', ctx: '0x20001234', state: 'MBEDTLS_SSL_SERVER_HELLO', number: 2 }]],
  ])('%s', (_name, text, want) => {
    // A version is fixed so that the first line does not also produce tls.mbedtls_version.
    expect(eventsOf(text, [], '3.6').map(strip)).toEqual(want);
  });

  it('stamps t and line from the Line', () => {
    const [e] = eventsOf('ssl_tls.c:4681: |2| <= handshake', ['x', 'y'], '3.6');
    expect(e).toMatchObject({ t: 20, line: 2 });
  });
});

describe('MbedtlsParser: states and versions', () => {
  it.each<[string, string, Record<string, unknown>[]]>([
    ['3.6 name (tls12_no_shared_cipher)', 'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_HELLO',
      [{ kind: 'tls.state', ctx: null, state: 'MBEDTLS_SSL_SERVER_HELLO', number: 2 }]],
    ['3.6.4+ transition (tls13_mtls_ok)', 'ssl_misc.h:1353: |3| handshake state: 2 (MBEDTLS_SSL_SERVER_HELLO) -> 19 (MBEDTLS_SSL_ENCRYPTED_EXTENSIONS)',
      // a transition inside the SERVER_HELLO step, not a step of its own (record-attribution.ts)
      [{ kind: 'tls.transition', ctx: null, to: 'MBEDTLS_SSL_ENCRYPTED_EXTENSIONS', number: 19, from: 'MBEDTLS_SSL_SERVER_HELLO' }, { kind: 'tls.version', ctx: null, version: '1.3' }]],
    ['unknown name (built: mbedtls_ssl_states_str fallback)', 'ssl_tls.c:4589: |2| client state: UNKNOWN_VALUE',
      [{ kind: 'tls.anomaly', ctx: null, message: 'unknown client state UNKNOWN_VALUE' }]],
  ])('%s', (_n, text, want) => expect(eventsOf(text, [], '3.6').map(strip)).toEqual(want));

  it('maps a 2.x number through the 2.28 table and infers 2.28 from ssl_cli.c (m228:163)', () => {
    expect(eventsOf('ssl_cli.c:4261: |2| client state: 3').map(strip)).toEqual([
      { kind: 'tls.mbedtls_version', ctx: null, version: '2.28', evidence: 'ssl_cli.c' },
      { kind: 'tls.state', ctx: null, state: 'MBEDTLS_SSL_SERVER_CERTIFICATE', number: 3 },
    ]);
  });

  it('16 is HANDSHAKE_OVER in 2.28 but NEW_SESSION_TICKET when told 3.6', () => {
    expect(eventsOf('ssl_cli.c:4261: |2| client state: 16')[1]).toMatchObject({ state: 'MBEDTLS_SSL_HANDSHAKE_OVER' });
    expect(eventsOf('x.c:1: |2| client state: 16', [], '3.6')[0]).toMatchObject({ state: 'MBEDTLS_SSL_NEW_SESSION_TICKET' });
  });

  it('the constructor option wins over the file names', () => {
    const ev = eventsOf('ssl_cli.c:4261: |2| client state: 16', [], '3.6');
    expect(ev.map((e) => e.kind)).toEqual(['tls.state']);
    expect(ev[0]).toMatchObject({ state: 'MBEDTLS_SSL_NEW_SESSION_TICKET' });
  });

  it.each([
    ['ssl_tls12_client.c:1195: |2| => parse server hello', '3.6', 'ssl_tls12_client.c'],
    ['C:/mtb/ifx-mbedtls/library/ssl_tls.c:4528: |2| => handshake', null, ''],
    ['/home/u/mbedtls/library/ssl_client.c:0921: |2| => write client hello', '3.6', 'ssl_client.c'],
    ['ssl_tls13_client.c:2004: |2| => ssl_tls13_process_server_hello', '3.6', 'ssl_tls13_client.c'],
    ['build version: Mbed TLS 3.6.6 (build 50726400)', '3.6', 'build version: Mbed TLS 3.6.6'],
    ['build version: Mbed TLS 2.28.10 (build 35392000)', '2.28', 'build version: Mbed TLS 2.28.10'],
  ])('%s reveals %s', (text, version, evidence) => {
    const v = eventsOf(text).filter((e) => e.kind === 'tls.mbedtls_version');
    expect(v.map(strip)).toEqual(version === null ? [] : [{ kind: 'tls.mbedtls_version', ctx: null, version, evidence }]);
  });

  it('emits tls.mbedtls_version once', () => {
    const ev = run(['build version: Mbed TLS 3.6.6 (build 50726400)', 'ssl_tls.c:4670: |2| => handshake', 'ssl_client.c:0921: |2| => write client hello']);
    expect(ev.filter((e) => e.kind === 'tls.mbedtls_version')).toHaveLength(1);
  });
});

describe('MbedtlsParser: multi-line facts', () => {
  it('merges the TLS 1.2 chosen id and name lines into one event (tls12_server_untrusted:247-250)', () => {
    const ev = run([
      'ssl_tls12_client.c:1390: |3| server hello, chosen ciphersuite: cca9',
      'ssl_tls12_client.c:1391: |3| server hello, compress alg.: 0',
      'ssl_tls12_client.c:1426: |3| server hello, chosen ciphersuite: TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256',
      'ssl_tls12_client.c:1447: |2| server hello, total extension length: 21',
    ], { version: '3.6' });
    expect(ev.map(strip)).toEqual([
      { kind: 'tls.version', ctx: null, version: '1.2' },
      { kind: 'tls.ciphersuite.chosen', ctx: null, id: 0xcca9, name: 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256' },
    ]);
    expect(ev[1]).toMatchObject({ line: 0 });
  });

  it('names a chosen id alone from the table when no name line follows (built)', () => {
    const ev = run(['ssl_tls12_client.c:1390: |3| server hello, chosen ciphersuite: c02b', 'ssl_tls12_client.c:1400: |1| bad server hello message'], { version: '3.6' });
    expect(ev.find((e) => e.kind === 'tls.ciphersuite.chosen')).toMatchObject({ id: 0xc02b, name: 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256' });
  });

  it('does not repeat a received alert for its fatal line (tls12_no_shared_cipher:133-134)', () => {
    const ev = run(['ssl_msg.c:5274: |2| got an alert message, type: [2:40]', 'ssl_msg.c:5281: |1| is a fatal alert message (msg 40)'], { version: '3.6' });
    expect(ev.filter((e) => e.kind === 'tls.alert')).toHaveLength(1);
  });

  it('emits one peer certificate when the info block ends (tls12_server_untrusted:276-288)', () => {
    const block = [
      'ssl_tls.c:7899: |3| peer certificate #1:',
      'ssl_tls.c:7899: |3| cert. version     : 3',
      'ssl_tls.c:7899: |3| serial number     : 41:E7:B8:16:83:F0:34:14:AD:76:39:45:E0:61:55:03:F6:5E:D2:CD',
      'ssl_tls.c:7899: |3| issuer name       : CN=Bench Test CA, O=Bench',
      'ssl_tls.c:7899: |3| subject name      : CN=localhost',
      'ssl_tls.c:7899: |3| issued  on        : 2026-11-22 14:06:30',
      'ssl_tls.c:7899: |3| expires on        : 2029-02-24 14:06:30',
      'ssl_tls.c:7899: |3| signed using      : ECDSA with SHA256',
      'ssl_tls.c:7899: |3| EC key size       : 256 bits',
      'ssl_tls.c:7899: |3| subject alt name  :',
      'ssl_tls.c:7899: |3|     dNSName : localhost',
      'ssl_tls.c:7899: |3|     iPAddress : 127.0.0.1',
      "ssl_tls.c:7899: |3| value of 'crt->eckey.Q(X)' (250 bits) is:",
    ];
    const p = new MbedtlsParser({ version: '3.6', strict: true });
    const got: DeviceEvent[][] = block.map((text, seq) => segments(text).flatMap((s) => p.feed(s, { seq, t: seq, text })));
    expect(got.slice(0, -1).every((e) => e.length === 0)).toBe(true);
    expect(got.at(-1)!.map(strip)).toEqual([{
      kind: 'tls.peer_certificate', ctx: null, index: 1, subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench',
      serial: '41:E7:B8:16:83:F0:34:14:AD:76:39:45:E0:61:55:03:F6:5E:D2:CD', notBefore: '2026-11-22T14:06:30Z',
      notAfter: '2029-02-24T14:06:30Z', signedUsing: 'ECDSA with SHA256', keySize: 'EC 256 bits', truncated: false,
    }]);
    expect(got.at(-1)![0]).toMatchObject({ line: 0 });
  });

  it('is not disturbed by the one-space lines cy_tls prints after every debug line (built, §1)', () => {
    const file = 'C:/mtb/ifx-mbedtls/library/ssl_tls.c';
    const lines: Prefixed[] = [
      { profile: 'cy_tls', body: 'server hello, chosen ciphersuite: c02b', file: 'ssl_tls12_client.c', srcLine: 1388 },
      { profile: 'none', body: ' ' },
      { profile: 'cy_tls', body: 'server hello, chosen ciphersuite: TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256', file: 'ssl_tls12_client.c', srcLine: 1424 },
      { profile: 'none', body: ' ' },
      { profile: 'cy_tls', body: 'peer certificate #1:', file, srcLine: 7872 },
      { profile: 'none', body: ' ' },
      { profile: 'cy_tls', body: 'cert. version     : 3', file, srcLine: 7872 },
      { profile: 'none', body: ' ' },
      { profile: 'cy_tls', body: 'subject name      : CN=a1b2c3.iot.eu-west-1.amazonaws.com', file, srcLine: 7872 },
      { profile: 'none', body: ' ' },
      { profile: 'cy_tls', body: 'Certificate verification flags clear', file, srcLine: 8116 },
    ];
    const p = new MbedtlsParser({ version: '3.6', strict: true });
    const ev = lines.flatMap((s, seq) => p.feed(s, { seq, t: seq, text: s.body }));
    expect(ofKind(ev, 'tls.ciphersuite.chosen').map((c) => [c.id, c.name])).toEqual([[0xc02b, 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256']]);
    expect(ofKind(ev, 'tls.peer_certificate').map((c) => [c.subject, c.truncated])).toEqual([['CN=a1b2c3.iot.eu-west-1.amazonaws.com', true]]);
  });

  it('marks a block cut short as truncated, and flush() ends it (built)', () => {
    const ev = run([
      'ssl_tls.c:7899: |3| peer certificate #1:',
      'ssl_tls.c:7899: |3| cert. version     : 3',
      'ssl_tls.c:7899: |3| issuer name       : C=DE, ST=Bavaria, O=Infineon Technologies AG, CN=Infineon Root',
    ], { version: '3.6' });
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: 'tls.peer_certificate', truncated: true, subject: null, issuer: 'C=DE, ST=Bavaria, O=Infineon Technologies AG, CN=Infineon Root' });
  });

  it('does not take the program\'s own certificate print-out for a peer block (tls12_server_untrusted:296-300)', () => {
    const ev = run(['Verify requested for (Depth 0):', 'cert. version     : 3', 'subject name      : CN=localhost'], { version: '3.6' });
    expect(ev).toEqual([]);
  });

  it('classifies a Certificate split across records as initial + subsequent (built from ssl_msg.c:3242,3379)', () => {
    const ev = run([
      'ssl_msg.c:3999: |3| input record: msgtype = 22, version = [0x303], msglen = 2048',
      'ssl_msg.c:3242: |3| handshake message: msglen = 2048, type = 11, hslen = 2500',
      'ssl_msg.c:3379: |3| initial handshake fragment: 2048, 0..2048 of 2500',
      'ssl_msg.c:3424: |3| Prepare: waiting for more handshake fragments 2048/2500',
      'ssl_msg.c:3999: |3| input record: msgtype = 22, version = [0x303], msglen = 456',
      'ssl_msg.c:3242: |3| handshake message: msglen = 456, type = 203, hslen = 2500',
      'ssl_msg.c:3379: |3| subsequent handshake fragment: 456, 2048..2500 of 2500',
      'ssl_msg.c:3242: |3| handshake message: msglen = 4, type = 14, hslen = 4',
    ], { version: '3.6' });
    expect(ev.filter((e) => e.kind === 'tls.hsmsg').map(strip)).toEqual([
      { kind: 'tls.hsmsg', ctx: null, msglen: 2048, type: 11, hslen: 2500, fragment: 'initial' },
      { kind: 'tls.hsmsg', ctx: null, msglen: 456, type: 11, hslen: 2500, fragment: 'subsequent' },
      { kind: 'tls.hsmsg', ctx: null, msglen: 4, type: 14, hslen: 4, fragment: 'sole' },
    ]);
  });

  it('reads the offered MFL from the 3.6 ClientHello extensions dump (built)', () => {
    // extensions: total 0x000d; server_name is skipped here: type 0x0001 len 1 code 3 (2048),
    // then extended_master_secret (0x0017, len 0).
    const ev = run([
      'ssl_tls12_client.c:0272: |3| client hello, adding max_fragment_length extension',
      'ssl_client.c:0689: |3| client hello, total extension length: 13',
      "ssl_client.c:0691: |3| dumping 'client hello extensions' (13 bytes)",
      'ssl_client.c:0691: |3| 0000:  00 0b 00 01 00 01 03 00 17 00 00 00 00           .............',
      'ssl_msg.c:2787: |2| => write handshake message',
    ], { version: '3.6' });
    expect(ev.filter((e) => e.kind === 'tls.mfl').map(strip)).toEqual([{ kind: 'tls.mfl', ctx: null, stage: 'offered', bytes: 2048 }]);
  });

  it('offers MFL with unknown bytes when 2.28 dumps no extensions, and takes ssl_client2\'s figure once negotiated (m228:111,158,568)', () => {
    const ev = run([
      'ssl_cli.c:0528: |3| client hello, adding max_fragment_length extension',
      'ssl_cli.c:1388: |3| client hello, total extension length: 95',
      'ssl_msg.c:2451: |2| => write handshake message',
      'ssl_cli.c:2325: |3| found max_fragment_length extension',
      '    [ Maximum input fragment length is 2048 ]',
    ]);
    expect(ev.filter((e) => e.kind === 'tls.mfl').map(strip)).toEqual([
      { kind: 'tls.mfl', ctx: null, stage: 'offered', bytes: null },
      { kind: 'tls.mfl', ctx: null, stage: 'negotiated', bytes: null },
      { kind: 'tls.mfl', ctx: null, stage: 'negotiated', bytes: 2048 },
    ]);
  });

  it('says nothing about MFL from the input fragment figure when none was negotiated (built)', () => {
    expect(run(['    [ Maximum input fragment length is 16384 ]'], { version: '2.28' })).toEqual([]);
  });
});

describe('MbedtlsParser: robustness', () => {
  const line: Line = { seq: 0, t: 0, text: '' };

  it('never throws on arbitrary bodies, with or without a debug prefix', () => {
    const p = new MbedtlsParser({ strict: true });
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (body, prefixed) => {
      const seg = prefixed ? { profile: 'programs-ssl', body, file: 'ssl_msg.c', srcLine: 3242, level: 3 } : { profile: 'none', body };
      expect(Array.isArray(p.feed(seg, line))).toBe(true);
    }), { numRuns: 2000 });
    expect(Array.isArray(p.flush())).toBe(true);
  });

  it.each([
    'client state: 99999999999999999999999',
    'handshake message: msglen = 99999999999999999999999, type = 1, hslen = 1e400',
    "dumping 'x' (99999999999999999999999 bytes)",
    '! Certificate verification flags ffffffffffffffffffff',
    'server hello, chosen ciphersuite: ( zz ) - ',
    'got an alert message, type: [',
    'peer certificate #',
    'x() returned -99999999999999999999 (-0xfffffffffff)',
    'output record: msgtype = 22, version = [3:',
  ])('survives %j', (body) => {
    const p = new MbedtlsParser({ strict: true });
    expect(() => p.feed({ profile: 'programs-ssl', body, file: 'ssl_msg.c', srcLine: 1 }, line)).not.toThrow();
    expect(() => p.flush()).not.toThrow();
  });

  it('survives prefix-combining fragments of real lines', () => {
    fc.assert(fc.property(
      fc.constantFrom('client state: ', 'handshake message: msglen = ', 'input record: msgtype = ', 'got an alert message, type: [', '! Certificate verification flags ', "dumping '", 'server hello, chosen ciphersuite: ', 'peer certificate #'),
      fc.string({ maxLength: 40 }),
      (head, tail) => {
        const p = new MbedtlsParser({ strict: true });
        p.feed({ profile: 'programs-ssl', body: head + tail, file: 'ssl_tls.c', srcLine: 1 }, line);
        p.feed({ profile: 'programs-ssl', body: tail, file: 'ssl_tls.c', srcLine: 1 }, line);
        p.flush();
      },
    ), { numRuns: 1000 });
  });
});

describe('MbedtlsParser: strict mode', () => {
  it('rethrows what a handler throws when strict, and skips the line otherwise', () => {
    const line: Line = { seq: 0, t: 0, text: '' };
    const seg = { profile: 'programs-ssl', body: 'client state: MBEDTLS_SSL_CLIENT_HELLO', file: 'ssl_tls.c', srcLine: 4589, level: 2 };
    const broken = (strict: boolean): MbedtlsParser => {
      const p = new MbedtlsParser({ strict });
      // A handler with a bug, as a refactoring could leave one.
      (p as unknown as { dispatch: () => void }).dispatch = () => {
        throw new Error('handler bug');
      };
      return p;
    };
    expect(() => broken(true).feed(seg, line)).toThrow('handler bug');
    expect(broken(false).feed(seg, line)).toEqual([]);
  });
});
