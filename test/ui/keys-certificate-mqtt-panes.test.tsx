import { afterEach, describe, expect, it } from 'vitest';
import { corpusSession, renderApp, type Rendered } from './helpers/render.tsx';

// test/fixtures/keys/device-transcript.log is the keys/certificates fixture (built by hand in
// the shape of a PSOC Edge boot, see its README); test/fixtures/mqtt/device-mqtt.log the MQTT one.
let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('Keys pane', () => {
  it('lists the PSA keys and the psa_* calls, failures by status name', async () => {
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('3');
    const f = r.frame();
    // line 8: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=256 alg=ECDSA(SHA_256) lifetime=persistent
    expect(f).toMatch(/key 1 ECC_KEY_PAIR\(SECP_R1\) 256 bits · ECDSA\(SHA_256\) · persistent/);
    // line 14: key id=0x2 … RSA_KEY_PAIR bits=2048 … volatile status=-134
    expect(f).toMatch(/key 2 RSA_KEY_PAIR 2048 bits · RSA_PKCS1V15_SIGN\(SHA_256\) · volatile · PSA_ERROR_NOT_SUPPORTED/);
    // line 64: psa_export_public_key returned -141; line 65: psa_sign_hash(key id 0x1) returned -133
    expect(f).toMatch(/psa_export_public_key\s+PSA_ERROR_INSUFFICIENT_MEMORY\s+line 64/);
    expect(f).toMatch(/psa_sign_hash\s+PSA_ERROR_NOT_PERMITTED\s+line 65/);
  });

  it('says what it waits for when the device printed no key', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('3');
    expect(r.frame()).toContain('no keys seen yet');
  });
});

describe('Certificate pane', () => {
  it('shows the device certificate printed as PEM, and the CSR', async () => {
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('4');
    const f = r.frame();
    // line 28: -----BEGIN CERTIFICATE----- (self-signed CN=psoc-edge-device, O=Infineon PoC)
    expect(f).toContain('device certificate · line 28 · self-signed');
    expect(f).toContain('subject CN=psoc-edge-device, O=Infineon PoC');
    expect(f).toContain('key     EC P-256 · ecdsa-with-SHA256');
    expect(f).toContain('device CSR · line 53');
  });

  it('shows validity on the device clock and whether the certificate holds the device key', async () => {
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    // Below 120 columns the panes are tabs: the focused one gets the whole width.
    r = await renderApp(s, {}, { columns: 110, rows: 50 });
    await r.press('4');
    const f = r.frame();
    // line 9: `hsmon: time 2026-11-22T15:00:00Z`; `openssl x509 -enddate` of the certificate: Nov 22 14:06:30 2027 GMT
    expect(f).toContain('valid   2026-11-22 … 2027-11-22 · 364 days left (device clock)');
    // the CSR at line 53, the point printed at line 11 and the PUBLIC KEY at line 23 are all this certificate's key
    expect(f).toContain('✓ same key as the CSR at line 53');
    expect(f).toContain('✓ same key as the key the device exported at line 11');
    expect(f).toContain('✓ same key as the key the device exported at line 23');
    expect(f).not.toContain('✗');
  });

  it('shows the server chain of the selected handshake', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('4');
    const f = r.frame();
    expect(f).toContain('server chain in handshake #1');
    expect(f).toContain('#1 subject CN=localhost');
    expect(f).toContain('issuer  CN=Bench Test CA, O=Bench');
  });

  it('says what it waits for before any certificate', async () => {
    const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('4');
    expect(r.frame()).toContain('no certificate seen yet — the device prints one as PEM after key generation');
  });

  it('l shows the line the certificate starts on', async () => {
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('4', 'l');
    expect(r.frame()).toContain('at line 28');
  });
});

describe('MQTT pane', () => {
  it('shows the connection, subscriptions and messages both ways', async () => {
    const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('5');
    const f = r.frame();
    // lines 24, 26, 30, 32-35 of the fixture
    expect(f).toContain('connected');
    expect(f).toContain('subscribed: ledstatus');
    expect(f).toContain('▶ device ledstatus: TURN ON');
    expect(f).toContain('◀ device ledstatus q1: TURN ON');
  });

  it('says what it waits for before MQTT starts', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('5');
    expect(r.frame()).toContain('no MQTT activity yet');
  });
});
