/**
 * Step semantics end to end: a `client state:` line opens a step and every record until the
 * next one belongs to it; `handshake state: a -> b` lines (3.6 upstream, level 3) are
 * transitions inside the step and move nothing. Expected values are worked out from the logs
 * with the commands quoted beside them, never from hsmon's output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../parsers/events.ts';
import { createSession } from '../../src/session/create-session.ts';

const P = (s: string) => `MBEDTLS_SSL_${s}`;
const text = (name: string) => readFileSync(new URL(`../../recordings/${name}`, import.meta.url), 'utf8');

function run(name: string, body: string) {
  const s = createSession({ source: { type: 'file', name } });
  const events: DeviceEvent[] = [];
  s.onEvent((e) => {
    if (e.kind.startsWith('tls.')) events.push(e as DeviceEvent);
  });
  s.feed(Buffer.from(body), 0);
  s.end();
  return { events, summary: s.summary() };
}

type Rec = Extract<DeviceEvent, { kind: 'tls.record' }>;
const records = (events: DeviceEvent[], direction: 'in' | 'out'): Rec[] =>
  events.filter((e): e is Rec => e.kind === 'tls.record' && e.direction === direction);
const row = (r: Rec) => [r.line + 1, r.state, r.length, r.messages ?? []];

describe('record attribution on the 3.6 corpus', () => {
  // For each output record, the last `client state:` before it and the `=> write …` lines since the
  // previous output record:
  //   awk '/client state:/{s=$NF} /=> write (client hello|certificate|client key exchange|certificate verify|finished|finished message)$/
  //        {w=w" "substr($0,index($0,"=> write ")+9)} /output record:/{print NR, s, $NF, w; w=""} /<= handshake$/{exit}' F
  it.each([
    ['psa_tls12_opaque_ok.log', [
      [81, 'CLIENT_HELLO', 125, ['ClientHello']], [350, 'CLIENT_CERTIFICATE', 456, ['Certificate']],
      [366, 'CLIENT_KEY_EXCHANGE', 37, ['ClientKeyExchange']], [405, 'CERTIFICATE_VERIFY', 79, ['CertificateVerify']],
      [420, 'CLIENT_CHANGE_CIPHER_SPEC', 1, []], [447, 'CLIENT_FINISHED', 40, ['Finished']]]],
    ['tls12_gcm_debug4_ok.log', [
      [82, 'CLIENT_HELLO', 125, ['ClientHello']], [484, 'CLIENT_CERTIFICATE', 456, ['Certificate']],
      [537, 'CLIENT_KEY_EXCHANGE', 37, ['ClientKeyExchange']], [602, 'CERTIFICATE_VERIFY', 78, ['CertificateVerify']],
      [624, 'CLIENT_CHANGE_CIPHER_SPEC', 1, []], [663, 'CLIENT_FINISHED', 40, ['Finished']]]],
    ['tls13_mtls_ok.log', [
      [214, 'CLIENT_HELLO', 445, ['ClientHello']], [611, 'CLIENT_CCS_AFTER_SERVER_FINISHED', 1, []],
      [673, 'CLIENT_CERTIFICATE', 480, ['Certificate']], [697, 'CLIENT_CERTIFICATE_VERIFY', 96, ['CertificateVerify']],
      [719, 'CLIENT_FINISHED', 64, ['Finished']]]],
  ] as const)('%s: each client record on the step that wrote it, with its message', (name, want) => {
    const { events, summary } = run(name, text(name));
    const end = summary.handshakes[0]!.endLine!;
    expect(records(events, 'out').filter((r) => r.line <= end).map(row)).toEqual(want.map(([l, s, n, m]) => [l, P(s), n, m]));
  });

  // For each input record, the last `client state:` before it and the `handshake message: … type = T`
  // lines after it up to the next record or step:
  //   awk 'function out(){ if(r!="") print r, m; r=""; m=""} /client state:/{out(); s=$NF} /output record:/{out()}
  //        /input record:/{out(); …; r=NR" "s" len="$NF} /handshake message:/{ if(r!=""){…; m=m" "type} } /<= handshake$/{out(); exit}' F
  it.each([
    ['psa_tls12_opaque_ok.log', [
      [127, 'SERVER_HELLO', 65, ['ServerHello']], [165, 'SERVER_CERTIFICATE', 426, ['Certificate']],
      [232, 'SERVER_KEY_EXCHANGE', 114, ['ServerKeyExchange']], [273, 'CERTIFICATE_REQUEST', 106, ['CertificateRequest']],
      [316, 'SERVER_HELLO_DONE', 4, ['ServerHelloDone']], [466, 'SERVER_CHANGE_CIPHER_SPEC', 634, ['NewSessionTicket']],
      [489, 'SERVER_CHANGE_CIPHER_SPEC', 1, []], [516, 'SERVER_FINISHED', 40, ['Finished']]]],
    ['tls13_mtls_ok.log', [
      [260, 'SERVER_HELLO', 122, ['ServerHello']], [332, 'ENCRYPTED_EXTENSIONS', 1, []],
      [344, 'ENCRYPTED_EXTENSIONS', 23, ['EncryptedExtensions']], [397, 'CERTIFICATE_REQUEST', 122, ['CertificateRequest']],
      [457, 'SERVER_CERTIFICATE', 446, ['Certificate']], [555, 'CERTIFICATE_VERIFY', 95, ['CertificateVerify']],
      [586, 'SERVER_FINISHED', 53, ['Finished']]]],
  ] as const)('%s: each server record on the step that read it, with its message', (name, want) => {
    const { events, summary } = run(name, text(name));
    const end = summary.handshakes[0]!.endLine!;
    expect(records(events, 'in').filter((r) => r.line <= end).map(row)).toEqual(want.map(([l, s, n, m]) => [l, P(s), n, m]));
  });

  it('keeps NDJSON in log order although an input record waits for its message lines', () => {
    const { events } = run('psa_tls12_opaque_ok.log', text('psa_tls12_opaque_ok.log'));
    const lines = events.filter((e) => e.kind !== 'tls.handshake.result' as string).map((e) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

/** Every 3.6 corpus log (the ones that print `handshake state:` lines: grep -l 'handshake state:' recordings/*.log). */
const WITH_TRANSITIONS = ['psa_tls12_opaque_ok.log', 'tls12_cbc_debug4_ok.log', 'tls12_gcm_debug4_ok.log', 'tls12_no_shared_cipher.log',
  'tls12_server_untrusted.log', 'tls13_client_cert_required.log', 'tls13_gcm_debug4_ok.log', 'tls13_mtls_ok.log'];

describe('dialect invariance: a 3.6 log reads the same without its `handshake state:` lines', () => {
  it('covers every log that has such lines', () => {
    for (const name of WITH_TRANSITIONS) expect(text(name)).toContain('handshake state: ');
  });

  it.each(WITH_TRANSITIONS)('%s', (name) => {
    const full = text(name);
    // What ifx-mbedtls 3.6.400 and 2.28 print (no mbedtls_ssl_handshake_set_state message): the
    // same log with those lines gone. Lines are dropped, so line numbers shift: compare facts only.
    const without = full.split('\n').filter((l) => !l.includes('handshake state: ')).join('\n');
    expect(without.length).toBeLessThan(full.length);
    const fact = (s: ReturnType<typeof run>['summary']) => ({
      handshakes: s.handshakes.map((h) => ({
        outcome: h.outcome, states: h.states, failedAt: h.failedAt, error: h.error, alert: h.alert,
        records: h.records, recordsByState: h.recordsByState, tlsVersion: h.tlsVersion, ciphersuite: h.ciphersuite,
        anomalies: h.anomalies.map((a) => a.message), inferred: h.inferred,
      })),
      findings: s.findings.map((f) => [f.code, f.severity, f.handshake]),
    });
    const a = fact(run(name, full).summary);
    const b = fact(run(name, without).summary);
    expect(b).toEqual(a);
    expect(a.handshakes.length).toBeGreaterThan(0);
  });
});

describe('what happens right after the handshake belongs to the attempt', () => {
  it('tls13_client_cert_required.log: failed after the handshake with alert 116 and the client-certificate finding', () => {
    const { summary } = run('tls13_client_cert_required.log', text('tls13_client_cert_required.log'));
    expect(summary.handshakes).toHaveLength(1);
    const h = summary.handshakes[0]!;
    // grep -n '<= handshake$' → 632: mbedtls_ssl_handshake() returned 0 from HANDSHAKE_WRAPUP;
    // grep -n 'alert\|returned -' → 689 `got an alert message, type: [2:116]`, 691-692 `returned -30592 (-0x7780)`.
    expect(h).toMatchObject({
      outcome: 'failed',
      tlsVersion: '1.3',
      failedAt: P('HANDSHAKE_OVER'),
      failedIn: null,
      alert: { direction: 'received', level: 2, description: 116, name: 'certificate_required' },
      error: { code: -30592, hex: '-0x7780', name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE' },
      startLine: 8,
    });
    // Records count only up to `<= handshake` (line 632): the 80-byte application record at 659 and
    // the alert record at 681 are not in them:
    //   sed -n '9,632p' F | grep -c 'output record' → 4;  | grep -c 'input record' → 7
    expect(h.records).toMatchObject({ in: { count: 7 }, out: { count: 4 } });
    const f = summary.findings.find((x) => x.code === 'client-cert-rejected');
    expect(f).toBeDefined();
    expect(f!.line).toBe(688);
    expect(f!.message).toContain('sent none');
    expect(f!.message).toContain('after the handshake');
    expect(f!.hint).toContain('certificate');
  });
});

describe('the same server rejection reads the same in every dialect', () => {
  // test/fixtures/diagnosis/tls12_client_cert_rejected.log is in the shape of ifx-mbedtls 3.6.400 and
  // 2.28 (no `handshake state:` line): fatal alert 42 after the client Finished, in the step that
  // reads the ticket (line 457 `client state: …SERVER_CHANGE_CIPHER_SPEC`, line 463
  // `ssl_tls12_client.c:3427: … mbedtls_ssl_read_record() returned`, which is in
  // ssl_parse_new_session_ticket). Upstream 3.6 prints `handshake state: 12 -> 16` right after line
  // 457 (psa_tls12_opaque_ok.log line 458): inserted here.
  const fixture = readFileSync(new URL('../fixtures/diagnosis/tls12_client_cert_rejected.log', import.meta.url), 'utf8').split('\n');
  const upstream = [...fixture.slice(0, 457),
    'ssl_misc.h:1353: |3| handshake state: 12 (MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC) -> 16 (MBEDTLS_SSL_NEW_SESSION_TICKET)',
    ...fixture.slice(457)].join('\n');

  it('fails in SERVER_CHANGE_CIPHER_SPEC either way; upstream 3.6 adds that it was reading the NewSessionTicket', async () => {
    const a = run('ifx', fixture.join('\n')).summary;
    const b = run('upstream', upstream).summary;
    for (const s of [a, b]) {
      expect(s.handshakes[0]).toMatchObject({
        outcome: 'failed', failedAt: P('SERVER_CHANGE_CIPHER_SPEC'),
        alert: { direction: 'received', description: 42 }, error: { hex: '-0x7780' },
      });
    }
    expect(a.handshakes[0]!.failedIn).toBeNull();
    expect(b.handshakes[0]!.failedIn).toBe(P('NEW_SESSION_TICKET'));
    expect(b.findings.map((f) => f.code)).toEqual(a.findings.map((f) => f.code));
    const { formatSummaryText } = await import('../../src/output/summary-text.ts');
    expect(formatSummaryText(b)).toContain('failed in SERVER_CHANGE_CIPHER_SPEC (reading NewSessionTicket): fatal alert 42');
    expect(formatSummaryText(a)).toContain('failed in SERVER_CHANGE_CIPHER_SPEC: fatal alert 42');
  });
});

describe('a record that carries several handshake messages (a packed server flight)', () => {
  // None of the corpus servers packs its flight (`awk` over every recordings/*.log finds no
  // `handshake message:` line with msglen > hslen), so this is the flight as mbedTLS 3.6 prints it
  // when one 620-byte record holds ServerHello (70), Certificate (400), ServerKeyExchange (146)
  // and ServerHelloDone (4): ssl_consume_current_message keeps what is left of the record, and each
  // later step's `handshake message:` line shows it as msglen (620 → 550 → 150 → 4), with no new
  // `input record` line.
  const flight = [
    'ssl_tls.c:4370: |2| => handshake',
    'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_HELLO',
    'ssl_msg.c:4332: |2| => read record',
    'ssl_msg.c:3999: |3| input record: msgtype = 22, version = [0x303], msglen = 620',
    'ssl_msg.c:3242: |3| handshake message: msglen = 620, type = 2, hslen = 70',
    'ssl_msg.c:4404: |2| <= read record',
    'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_CERTIFICATE',
    'ssl_msg.c:4332: |2| => read record',
    'ssl_msg.c:3242: |3| handshake message: msglen = 550, type = 11, hslen = 400',
    'ssl_msg.c:4404: |2| <= read record',
    'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_KEY_EXCHANGE',
    'ssl_msg.c:4332: |2| => read record',
    'ssl_msg.c:3242: |3| handshake message: msglen = 150, type = 12, hslen = 146',
    'ssl_msg.c:4404: |2| <= read record',
    'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_CERTIFICATE_REQUEST',
    'ssl_msg.c:4332: |2| => read record',
    'ssl_msg.c:3242: |3| handshake message: msglen = 4, type = 14, hslen = 4',
    'ssl_msg.c:4404: |2| <= read record',
    'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_HELLO_DONE',
    'ssl_msg.c:4332: |2| => read record',
    'ssl_msg.c:3999: |3| input record: msgtype = 22, version = [0x303], msglen = 40',
    'ssl_msg.c:3242: |3| handshake message: msglen = 40, type = 20, hslen = 36',
    '',
  ].join('\n');

  it('the record says it holds more; each later message names its line; the Records view lists all four', () => {
    const s = createSession({ source: { type: 'file', name: 'flight' } });
    const events: DeviceEvent[] = [];
    s.onEvent((e) => {
      if (e.kind === 'tls.record' || e.kind === 'tls.hsmsg') events.push(e as DeviceEvent);
    });
    s.feed(Buffer.from(flight), 0);
    s.end();
    const first = events.find((e): e is Rec => e.kind === 'tls.record')!;
    expect(first).toMatchObject({ line: 3, messages: ['ServerHello'], moreMessages: true, state: P('SERVER_HELLO') });
    const hs = events.filter((e) => e.kind === 'tls.hsmsg') as Extract<DeviceEvent, { kind: 'tls.hsmsg' }>[];
    expect(hs.map((e) => e.record)).toEqual([undefined, 3, 3, 3, undefined]);
    const list = s.handshakeViews()[0]!.recordList.filter((r) => r.direction === 'in');
    expect(list.map((r) => [r.line, r.messages])).toEqual([[3, ['ServerHello', 'Certificate', 'ServerKeyExchange', 'ServerHelloDone']], [20, ['Finished']]]);
  });
});
