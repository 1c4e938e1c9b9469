/**
 * Every corpus log through the whole pipeline (framer → profiles → parsers → machines → store),
 * its summary asserted field by field. Expected values were worked out from the files with the
 * grep commands quoted beside them, not from hsmon's output. Records count only between
 * `=> handshake` and `<= handshake`:
 *   s=$(grep -n '=> handshake$' F | head -1 | cut -d: -f1); e=$(grep -n '<= handshake$' F | tail -1 | cut -d: -f1)
 *   sed -n "$s,${e}p" F | grep -c 'input record: msgtype'     (and | sed 's/.*msglen = //' | sort -n | tail -1 for the max)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';
import type { Summary } from '../../src/session/types.ts';

function summarize(name: string, chunk = 0): Summary {
  const bytes = readFileSync(new URL(`../../recordings/${name}`, import.meta.url));
  const s = createSession({ diagnosis: null, source: { type: 'file', name } });
  if (chunk > 0) for (let i = 0; i < bytes.length; i += chunk) s.feed(bytes.subarray(i, i + chunk), i);
  else s.feed(bytes, 0);
  s.end();
  return s.summary();
}

const P = (s: string) => `MBEDTLS_SSL_${s}`;
// grep 'client state' tls12_rsa_server_ok.log | awk '{print $NF}' | uniq — the TLS 1.2 mutual-auth walk.
const TLS12_MTLS = ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE', 'CERTIFICATE_REQUEST',
  'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY_EXCHANGE', 'CERTIFICATE_VERIFY', 'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED',
  'SERVER_CHANGE_CIPHER_SPEC'].map(P);
const BENCH_PEER = [{ subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench' }];

describe('corpus logs summarized end to end', () => {
  it('tls13_mtls_ok.log: TLS 1.3 mutual TLS, ok', () => {
    const [h, ...more] = summarize('tls13_mtls_ok.log').handshakes;
    expect(more).toHaveLength(0);
    expect(h).toMatchObject({
      outcome: 'ok', tlsVersion: '1.3', failedAt: null, error: null, alert: null, maxFragmentLength: null, connection: null,
      // grep 'chosen ciphersuite' → "( 1303 ) - TLS1-3-CHACHA20-POLY1305-SHA256"
      ciphersuite: 'TLS1-3-CHACHA20-POLY1305-SHA256',
      records: { in: { count: 7, maxLength: 446 }, out: { count: 5, maxLength: 480 } },
      fragmentedMessages: [],
      peerCertificates: BENCH_PEER,
      // grep -n '=> handshake$\|<= handshake$' → lines 9 and 741 (1-based)
      startLine: 8, endLine: 740,
    });
    // grep 'client state' | awk '{print $NF}' | uniq, then HANDSHAKE_OVER
    expect(h!.states).toEqual(['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'ENCRYPTED_EXTENSIONS', 'CERTIFICATE_REQUEST',
      'SERVER_CERTIFICATE', 'CERTIFICATE_VERIFY', 'SERVER_FINISHED', 'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CERTIFICATE',
      'CLIENT_CERTIFICATE_VERIFY', 'CLIENT_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER'].map(P));
  });

  it('tls12_no_shared_cipher.log: fatal alert 40 received in SERVER_HELLO, -0x7780', () => {
    const [h] = summarize('tls12_no_shared_cipher.log').handshakes;
    expect(h).toMatchObject({
      outcome: 'failed', tlsVersion: '1.2', ciphersuite: null,
      states: ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO'].map(P),
      failedAt: P('SERVER_HELLO'),
      // line 135: mbedtls_ssl_handle_message_type() returned -30592 (-0x7780)
      error: { code: -30592, hex: '-0x7780', name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE' },
      // line 133: got an alert message, type: [2:40]
      alert: { direction: 'received', level: 2, description: 40, name: 'handshake_failure' },
      records: { in: { count: 1, maxLength: 2 }, out: { count: 1, maxLength: 125 } },
      peerCertificates: [],
      maxFragmentLength: null,
    });
  });

  it('tls12_server_untrusted.log: -0x2700, the client sends alert 48 unknown_ca', () => {
    const [h] = summarize('tls12_server_untrusted.log').handshakes;
    expect(h).toMatchObject({
      outcome: 'failed', tlsVersion: '1.2',
      ciphersuite: 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256',
      states: ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'SERVER_CERTIFICATE'].map(P),
      failedAt: P('SERVER_CERTIFICATE'),
      // line 310: x509_verify_cert() returned -9984 (-0x2700)
      error: { code: -9984, hex: '-0x2700', name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED' },
      // line 312: send alert level=2 message=48
      alert: { direction: 'sent', level: 2, description: 48, name: 'unknown_ca' },
      records: { in: { count: 2, maxLength: 426 }, out: { count: 2, maxLength: 329 } },
      peerCertificates: BENCH_PEER,
    });
  });

  it('tls12_rsa_server_ok.log: debug level 2, states only, ciphersuite from the program line after the handshake', () => {
    const [h] = summarize('tls12_rsa_server_ok.log').handshakes;
    expect(h).toMatchObject({
      outcome: 'ok', tlsVersion: '1.2', error: null, alert: null,
      // grep 'Ciphersuite is' → [ Ciphersuite is TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256 ]
      ciphersuite: 'TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256',
      // Step semantics: level 2 prints no record lines (grep -c 'output record\|input record' → 0), so
      // the records are unknown, not "0 records"; the same for max_fragment_length (was 0/0 and null
      // with nothing said).
      records: null,
      maxFragmentLength: null,
      recordsByState: {},
      peerCertificates: [],
    });
    // grep -c 'peer certificate #\|handshake message: ' F → 0: level 3 lines too. The suite is known from
    // ssl_client2's own `[ Ciphersuite is … ]` line after the handshake, so it is not unknown.
    expect(h!.unknown.map((u) => u.field)).toEqual(['records', 'maxFragmentLength', 'fragmentedMessages', 'peerCertificates']);
    expect(h!.unknown[0]!.reason).toContain('debug level 3');
    expect(h!.states).toEqual([...TLS12_MTLS, ...['SERVER_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER'].map(P)]);
  });

  it('m228_tls12_mtls_ok.log: mbedTLS 2.28 numeric states mapped to names, max_fragment_length 2048', () => {
    const [h] = summarize('m228_tls12_mtls_ok.log').handshakes;
    expect(h).toMatchObject({
      outcome: 'ok', tlsVersion: '1.2', error: null,
      ciphersuite: 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256',
      // line 568: [ Maximum input fragment length is 2048 ] (negotiated: line 158 found max_fragment_length extension)
      maxFragmentLength: 2048,
      records: { in: { count: 8, maxLength: 634 }, out: { count: 6, maxLength: 456 } },
      peerCertificates: BENCH_PEER,
      fragmentedMessages: [],
    });
    // grep 'client state' → 0 … 11, 12, 12, 13, 14, 15 (2.28 enum), then HANDSHAKE_OVER
    expect(h!.states).toEqual([...TLS12_MTLS, ...['SERVER_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER'].map(P)]);
  });

  it.each(['psa_tls12_opaque_ok.log', 'tls12_gcm_debug4_ok.log'])('%s: TLS 1.2 AES-128-GCM with a session ticket, ok', (name) => {
    const [h] = summarize(name).handshakes;
    expect(h).toMatchObject({
      outcome: 'ok', tlsVersion: '1.2', error: null, alert: null, maxFragmentLength: null,
      ciphersuite: 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256',
      records: { in: { count: 8, maxLength: 634 }, out: { count: 6, maxLength: 456 } },
      // the client's own certificate (CN=psoc-edge-device) is printed too, and is not a peer certificate
      peerCertificates: BENCH_PEER,
    });
    // grep 'client state' | awk '{print $NF}' | uniq, then HANDSHAKE_OVER (`<= handshake` with no error).
    // Step semantics changed this fact: `states` used to list NEW_SESSION_TICKET and a second
    // SERVER_CHANGE_CIPHER_SPEC, taken from the `handshake state:` lines. Those are transitions
    // inside one step: psa_tls12_opaque_ok.log has `client state: …SERVER_CHANGE_CIPHER_SPEC` at
    // lines 457 and 481 and `handshake state: 12 -> 16` / `16 -> 12` at 458 / 476 between them
    // (tls12_gcm_debug4_ok.log: 677, 785 and 678 / 780); the client reads the ticket inside that
    // step (ssl_tls12_client.c:3531-3534), so the step list has it once.
    expect(h!.states).toEqual([...TLS12_MTLS, ...['SERVER_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER'].map(P)]);
    // Per step, from the lines between consecutive `client state:` lines:
    //   awk '/client state:/{s=$NF} /=> handshake$/{on=1} on&&/output record:/{o[s]++} on&&/input record:/{i[s]++} /<= handshake$/{on=0}
    //        END{for(k in o)print k,"out",o[k]; for(k in i)print k,"in",i[k]}' F
    expect(h!.recordsByState).toEqual({
      [P('CLIENT_HELLO')]: { in: 0, out: 1 }, [P('SERVER_HELLO')]: { in: 1, out: 0 }, [P('SERVER_CERTIFICATE')]: { in: 1, out: 0 },
      [P('SERVER_KEY_EXCHANGE')]: { in: 1, out: 0 }, [P('CERTIFICATE_REQUEST')]: { in: 1, out: 0 }, [P('SERVER_HELLO_DONE')]: { in: 1, out: 0 },
      [P('CLIENT_CERTIFICATE')]: { in: 0, out: 1 }, [P('CLIENT_KEY_EXCHANGE')]: { in: 0, out: 1 }, [P('CERTIFICATE_VERIFY')]: { in: 0, out: 1 },
      [P('CLIENT_CHANGE_CIPHER_SPEC')]: { in: 0, out: 1 }, [P('CLIENT_FINISHED')]: { in: 0, out: 1 },
      // the NewSessionTicket and the ChangeCipherSpec, one per run of the step
      [P('SERVER_CHANGE_CIPHER_SPEC')]: { in: 2, out: 0 }, [P('SERVER_FINISHED')]: { in: 1, out: 0 },
    });
    expect(h!.anomalies).toEqual([]);
  });

  it('gives the same summary however the bytes arrive', () => {
    for (const name of ['tls12_server_untrusted.log', 'm228_tls12_mtls_ok.log']) {
      const whole = summarize(name);
      for (const chunk of [1, 7, 4096]) expect(summarize(name, chunk).handshakes.map((h) => ({ ...h, stateDurationsMs: {} })))
        .toEqual(whole.handshakes.map((h) => ({ ...h, stateDurationsMs: {} })));
    }
  });
});
