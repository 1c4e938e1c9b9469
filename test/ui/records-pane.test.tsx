import { afterEach, describe, expect, it } from 'vitest';
import { corpusSession, renderApp, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('Records pane', () => {
  it('puts the negotiated max_fragment_length beside the largest records (m228: MFL 2048)', async () => {
    // m228_tls12_mtls_ok.log lines 9-563: 8 `input record` lines (largest msglen 634, line 497),
    // 6 `output record` lines (largest 456, line 370); line 568: Maximum input fragment length is 2048.
    const s = await corpusSession('recordings/m228_tls12_mtls_ok.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('2');
    const f = r.frame();
    expect(f).toContain('max_fragment_length 2048 B');
    expect(f).toContain('largest in 634 B · out 456 B of 2048 B · 8 in, 6 out');
    expect(f).toMatch(/◀ in  handshake\s+634 B [█░]+/);
    expect(f).toMatch(/▶ out change_cipher_spec\s+1 B/);
  });

  it('shows a handshake message split over records: Certificate 2893 B in 2 fragments', async () => {
    const s = await corpusSession('test/fixtures/ui/fragmented-certificate.log', { end: false });
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('2');
    const f = r.frame();
    expect(f).toContain('Certificate 2893 B in 2 fragments');
    expect(f).toMatch(/◀ in  handshake\s+2048 B/);
    expect(f).toMatch(/◀ in  handshake\s+845 B/);
    // No MFL negotiated: the bars are scaled to the 16384-byte record limit, and it says so.
    expect(f).toContain('limit 16384 B');
  });

  it('puts each client record on the step that wrote it, with the message in it (psa_tls12_opaque_ok.log)', async () => {
    // grep -n 'client state\|output record' F: the 456-byte record (line 350) follows
    // `client state: …CLIENT_CERTIFICATE` (329) and `=> write certificate` (330); 37 B (366) follows
    // CLIENT_KEY_EXCHANGE (360); the 40-byte Finished (447) follows CLIENT_FINISHED (430).
    const s = await corpusSession('recordings/psa_tls12_opaque_ok.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('2');
    const f = r.frame();
    expect(f).toMatch(/▶ out handshake\s+456 B \S+ CLIENT_CERTIFICATE Certificate/);
    expect(f).toMatch(/▶ out handshake\s+37 B \S+ CLIENT_KEY_EXCHANGE ClientKeyExchange/);
    expect(f).toMatch(/▶ out handshake\s+40 B \S+ CLIENT_FINISHED Finished/);
    // (the row is cut at the pane's width: NewSessionTicket shows as far as 100 columns allow)
    expect(f).toMatch(/◀ in  handshake\s+634 B \S+ SERVER_CHANGE_CIPHER_SPEC NewSession/);
  });

  it('says the records are unknown at debug level 2 instead of counting none (tls12_rsa_server_ok.log)', async () => {
    // grep -c 'output record\|input record' F → 0
    const s = await corpusSession('recordings/tls12_rsa_server_ok.log');
    r = await renderApp(s, {}, { columns: 120, rows: 30 });
    await r.press('2');
    expect(r.frame()).toContain('records unknown');
    expect(r.frame()).toContain('max_fragment_length unknown');
    expect(r.frame()).not.toContain('0 in, 0 out');
  });

  it('names content types, with the state each record went through in', async () => {
    // tls12_server_untrusted.log line 314: output record: msgtype = 21, msglen = 2 (the unknown_ca alert)
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('2');
    expect(r.frame()).toMatch(/▶ out alert\s+2 B \S+ SERVER_CERTIFICATE/);
    expect(r.frame()).toMatch(/▶ out handshake\s+329 B \S+ CLIENT_HELLO/);
  });

  it('l shows the selected record\'s line in the log', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('2', 'l'); // newest record selected: the alert, line 314
    expect(r.frame()).toContain('at line 314');
    expect(r.frame()).toMatch(/314 ● ssl_msg\.c:3031: \|3\| output record: msgtype = 21/);
  });

  it('says what it waits for before any record', async () => {
    const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('2');
    expect(r.frame()).toContain('no records yet');
  });
});
