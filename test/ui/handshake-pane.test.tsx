import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSession } from '../../src/session/create-session.ts';
import { corpusSession, renderApp, KEYS, type Rendered } from './helpers/render.tsx';

// Expected values worked out from the logs with grep -n (file line = seq + 1). In
// tls12_server_untrusted.log: `=> handshake` line 9, `client state:` HELLO_REQUEST line 12,
// CLIENT_HELLO 16, SERVER_HELLO 221, SERVER_CERTIFICATE 259, `<= handshake` line 322. Fed at
// 10 ms per line, each step lasts (next step's line - its line) × 10 ms. Step semantics changed
// these: they used to run from the `handshake state: a -> b` lines (13, 186, 246), which mbedTLS
// prints inside the step before it flushes what the step wrote; a step now runs from its
// `client state:` line to the next one.
let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('Handshake pane', () => {
  it('does not count the time the port was gone into the state that was open', async () => {
    // The failing log at 10 ms a line, the port gone for 10 s before line 101 (0-based 100):
    // CLIENT_HELLO runs from line 16 to 221 (see above), so it holds the gap: (221 - 16) × 10 ms
    // of the device's own time, plus 10 s without the port.
    const bytes = readFileSync(new URL('../../recordings/tls12_server_untrusted.log', import.meta.url));
    const s = createSession({ source: { type: 'serial', name: '/dev/ttyACM0' } });
    s.setStatus({ state: 'open' }, 0);
    let start = 0;
    let i = 0;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, start)) {
      if (i === 100) {
        s.setStatus({ state: 'reconnecting', detail: '/dev/ttyACM0 vanished' }, 995);
        s.setStatus({ state: 'open' }, 10_995);
      }
      s.feed(bytes.subarray(start, at + 1), i * 10 + (i >= 100 ? 10_000 : 0));
      start = at + 1;
      i++;
    }
    // Wide enough for the whole rung (narrower, it is cut with …Enter and the detail view has it).
    r = await renderApp(s, {}, { columns: 200, rows: 50 });
    expect(r.frame()).toMatch(/✓ CLIENT_HELLO\s+2\.05 s \+ port gone 10\.0 s/);
    // The states before and after it are untouched: (16 - 12) × 10, (259 - 221) × 10
    expect(r.frame()).toMatch(/✓ HELLO_REQUEST\s+40 ms\s*│/);
    expect(r.frame()).toMatch(/✓ SERVER_HELLO\s+380 ms\s*│/);
    // Its detail view says so in words.
    await r.press('1', KEYS.up, KEYS.up);
    await r.press(KEYS.enter);
    await r.waitFor('port gone');
    expect(r.frame()).toContain('10.0 s during this state (not counted in the time in state)');
  });

  it('shows the ladder of a failed TLS 1.2 handshake with the time spent in each state', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log', { msPerLine: 10 });
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    const f = r.frame();
    expect(f).toContain('Attempt 1 of 1 · TLS 1.2');
    expect(f).toContain('TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256');
    // (322 - 9) lines × 10 ms
    expect(f).toContain('✗ failed in SERVER_CERTIFICATE in 3.13 s');
    expect(f).toMatch(/✓ HELLO_REQUEST\s+40 ms/); // (16 - 12) × 10
    expect(f).toMatch(/✓ CLIENT_HELLO\s+2\.05 s/); // (221 - 16) × 10
    expect(f).toMatch(/✓ SERVER_HELLO\s+380 ms/); // (259 - 221) × 10
    expect(f).toMatch(/✗ SERVER_CERTIFICATE\s+630 ms/); // (322 - 259) × 10
    expect(f).toMatch(/· SERVER_KEY_EXCHANGE\s+not reached/);
    expect(f).toMatch(/· CLIENT_CERTIFICATE\s+not reached/);
    // line 310: x509_verify_cert() returned -9984 (-0x2700); line 312: send alert level=2 message=48
    expect(f).toContain('error MBEDTLS_ERR_X509_CERT_VERIFY_FAILED (-0x2700)');
    expect(f).toContain('alert sent: fatal unknown_ca (48)');
    // line 321: ! Certificate verification flags 00000008
    expect(f).toContain('verify flags 0x8: BADCERT_NOT_TRUSTED');
  });

  it('says a plain log has no timing instead of printing zero durations', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    expect(r.frame()).toContain('no timing in this log');
    expect(r.frame()).not.toMatch(/HELLO_REQUEST\s+0 ms/);
  });

  it('uses the TLS 1.3 ladder for a TLS 1.3 handshake', async () => {
    const s = await corpusSession('recordings/tls13_mtls_ok.log', { msPerLine: 1 });
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    const f = r.frame();
    expect(f).toContain('TLS 1.3');
    // line 278: chosen ciphersuite: ( 1303 ) - TLS1-3-CHACHA20-POLY1305-SHA256
    expect(f).toContain('TLS1-3-CHACHA20-POLY1305-SHA256');
    expect(f).toContain('✓ handshake completed');
    // grep -n 'client state': ENCRYPTED_EXTENSIONS at 324, CERTIFICATE_REQUEST at 389: (389 - 324) × 1 ms
    expect(f).toMatch(/✓ ENCRYPTED_EXTENSIONS\s+65 ms/);
    expect(f).toMatch(/✓ CLIENT_CERTIFICATE_VERIFY\s+24 ms/); // client state lines 682 and 706
    expect(f).not.toContain('not reached');
  });

  it('decodes a received alert: no shared cipher fails in SERVER_HELLO', async () => {
    const s = await corpusSession('recordings/tls12_no_shared_cipher.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    const f = r.frame();
    expect(f).toContain('✗ failed in SERVER_HELLO');
    // line 133: got an alert message, type: [2:40]
    expect(f).toContain('alert received: fatal handshake_failure (40)');
    expect(f).toContain('MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE (-0x7780)');
  });

  it('shows a handshake still running with its current state', async () => {
    const s = await corpusSession('test/fixtures/ui/fragmented-certificate.log', { msPerLine: 10, end: false });
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    expect(r.frame()).toContain('▶ in progress: SERVER_CERTIFICATE');
    expect(r.frame()).toMatch(/▶ SERVER_CERTIFICATE\s+now/);
  });

  it('says what it waits for before the first handshake', async () => {
    const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    expect(r.frame()).toContain('no handshake yet');
    expect(r.frame()).toContain('=> handshake');
  });

  it('selects earlier attempts with n/N: attempt n of N', async () => {
    // Two sessions of the corpus back to back: a failed attempt, then a good one.
    const { createSession } = await import('../../src/session/create-session.ts');
    const { readFileSync } = await import('node:fs');
    const s = createSession({ diagnosis: null, source: { type: 'file', name: 'two' } });
    s.feed(readFileSync('recordings/tls12_no_shared_cipher.log'), 0);
    s.feed(readFileSync('recordings/tls12_server_untrusted.log'), 0);
    s.end();
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    expect(r.frame()).toContain('Attempt 2 of 2');
    expect(r.frame()).toContain('failed in SERVER_CERTIFICATE');
    await r.press('N');
    expect(r.frame()).toContain('Attempt 1 of 2');
    expect(r.frame()).toContain('failed in SERVER_HELLO');
    await r.press('n');
    expect(r.frame()).toContain('Attempt 2 of 2');
  });

  it('l on a selected state shows its source line in the log', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press(KEYS.up, KEYS.up, 'l'); // SERVER_CERTIFICATE → SERVER_HELLO → CLIENT_HELLO
    const f = r.frame();
    expect(f).toContain('6 Log');
    expect(f).toContain('at line 16'); // the `client state: MBEDTLS_SSL_CLIENT_HELLO` line
    expect(f).toMatch(/ 13 ● ssl_misc\.h:1353: \|3\| handshake state: 0 \(MBEDTLS_SSL_HELLO_REQUEST\)/);
  });

  it('says when the log skipped a step (a lost `client state:` line)', async () => {
    // tls12_server_untrusted.log without line 221, `client state: MBEDTLS_SSL_SERVER_HELLO`: the
    // next step, SERVER_CERTIFICATE (line 259, line 258 once 221 is gone), is not one CLIENT_HELLO can reach.
    const lines = readFileSync('recordings/tls12_server_untrusted.log', 'utf8').split('\n');
    const s = createSession({ source: { type: 'file', name: 'lost.log' } });
    s.feed(Buffer.from([...lines.slice(0, 220), ...lines.slice(221)].join('\n')), 0);
    s.end();
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    expect(r.frame()).toContain('⚠ lines lost? skipped SERVER_HELLO (line 258)');
  });
});
