/**
 * The detail view (Enter / o) shows what the panes cut: for every finding of a corpus log, the
 * message and the hint exactly as `hsmon summarize` prints them for the same log, wrapped but
 * whole; its evidence lines with context; `y` saves the item as JSON.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hsmon } from '../helpers/cli.ts';
import { saveItem } from '../../src/io/save-item.ts';
import { corpusSession, renderApp, KEYS, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The inside of the detail overlay's frame, joined and with runs of spaces made one. */
function overlayText(frame: string): string {
  return squash(frame.split('\n').filter((l) => l.startsWith('║')).map((l) => l.slice(1, -1)).join(' '));
}

/** Message and hint of every finding in `summarize`'s text: the Why/Fix pair and the Findings list. */
function summarizeFindings(text: string): { message: string; hint: string }[] {
  const out: { message: string; hint: string }[] = [];
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const top = /^(?:Why|Note): (.*) \(line \d+\)$/.exec(l);
    if (top && lines[i + 1]?.startsWith('Fix: ')) out.push({ message: top[1]!, hint: lines[i + 1]!.slice(5) });
    const item = /^ {2}\[\w+\] [\w-]+ \(line \d+\): (.*)$/.exec(l);
    if (item && lines[i + 1]?.startsWith('      → ')) out.push({ message: item[1]!, hint: lines[i + 1]!.slice(8) });
  });
  return out;
}

describe('detail view', () => {
  it.each([
    'recordings/tls12_server_untrusted.log',
    'recordings/tls12_no_shared_cipher.log',
    'recordings/tls12_rsa_server_ok.log',
    'test/fixtures/keys/device-transcript.log',
  ])('shows every finding of %s in full, as summarize prints it', async (file) => {
    const printed = summarizeFindings((await hsmon(['summarize', file])).stdout);
    expect(printed.length).toBeGreaterThan(0);
    const s = await corpusSession(file);
    r = await renderApp(s, {}, { columns: 120, rows: 40 });
    await r.press('7');
    const groups = new Set(s.getSnapshot().findings.map((f) => `${f.code}\n${f.message}\n${f.hint}`)).size;
    const seen: string[] = [];
    for (let i = 0; i < groups; i++) {
      await r.press(KEYS.enter);
      seen.push(overlayText(r.frame()));
      await r.press(KEYS.escape, KEYS.down);
    }
    for (const p of printed) {
      const view = seen.find((t) => t.includes(squash(p.message)));
      expect(view, `no detail view holds: ${p.message}`).toBeDefined();
      expect(view).toContain(squash(p.hint));
    }
  });

  it('cuts nothing in the pane without saying so: … and the key in the title', async () => {
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    r = await renderApp(s, {}, { columns: 120, rows: 40 });
    // The findings pane is 43 columns wide in the grid: the ECDH message does not fit.
    expect(r.frame()).toMatch(/7 Findings ─+ 3 …Enter ─/);
    expect(r.frame()).toContain('…');
  });

  it('shows the evidence lines with context, scrolls, and closes on Esc', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 24 });
    await r.press('7', 'o');
    const f = r.frame();
    expect(f).toContain('code');
    expect(f).toContain('server-cert-untrusted');
    await r.press(KEYS.pageDown, KEYS.pageDown);
    // line 321 (seq 320) `! Certificate verification flags 00000008` is cited, with 2 lines around it
    // (grep -n 'verification flags' recordings/tls12_server_untrusted.log → 321)
    expect(r.frame()).toMatch(/▶ +321 ssl_tls\.c:10054: \|3\| ! Certificate verification flags 00000008/);
    expect(r.frame()).toMatch(/ {2,}320 /);
    await r.press(KEYS.escape);
    expect(r.frame()).toContain('7 Findings');
    expect(r.frame()).not.toContain('║');
  });

  it('opens a key, a certificate and a state of the ladder', async () => {
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    r = await renderApp(s, {}, { columns: 120, rows: 40 });
    await r.press('3', KEYS.enter);
    // the first failure is selected: key 1, whose last use failed: `psa_sign_hash(key id 0x1)
    // returned -133` (grep -n 'key id 0x1' test/fixtures/keys/device-transcript.log → 65)
    expect(overlayText(r.frame())).toContain('PSA key 1');
    expect(overlayText(r.frame())).toContain('lastStatus PSA_ERROR_NOT_PERMITTED');
    // key 2: RSA, status -134 (line 14)
    await r.press(KEYS.escape, KEYS.down, KEYS.enter);
    expect(overlayText(r.frame())).toContain('lastStatus PSA_ERROR_NOT_SUPPORTED');
    await r.press(KEYS.escape, '4', KEYS.enter);
    expect(overlayText(r.frame())).toContain('subject CN=psoc-edge-device, O=Infineon PoC');
    expect(overlayText(r.frame())).toMatch(/sha256 [0-9a-f]{64}/);
    // the ladder: the failed state, CLIENT_KEY_EXCHANGE (line 61)
    await r.press(KEYS.escape, '1', KEYS.enter);
    expect(overlayText(r.frame())).toContain('state MBEDTLS_SSL_CLIENT_KEY_EXCHANGE');
    expect(overlayText(r.frame())).toContain('mark failed');
    expect(overlayText(r.frame())).toMatch(/▶ +61 ssl_tls\.c:4589: \|2\| client state: MBEDTLS_SSL_CLIENT_KEY_EXCHANGE/);
    await r.press(KEYS.escape);
  });

  it('y saves the item as JSON and says where', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    const saved: unknown[] = [];
    r = await renderApp(s, { saveItem: async (item) => { saved.push(item); return '/tmp/x.json'; } }, { columns: 120, rows: 40 });
    await r.press('7', KEYS.enter, 'y');
    await r.waitFor('saved as JSON to /tmp/x.json');
    expect((saved[0] as { code: string }).code).toBe('server-cert-untrusted');
  });

  it('saveItem writes a file only its owner can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-save-'));
    const written: string[] = [];
    const path = await saveItem({ code: 'x', n: 1 }, { dir, terminal: { write: (s: string) => written.push(s) } as unknown as NodeJS.WritableStream });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ code: 'x', n: 1 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // OSC 52: ESC ] 52 ; c ; base64 BEL
    expect(written[0]).toBe(`\u001b]52;c;${Buffer.from(readFileSync(path)).toString('base64')}\u0007`);
  });
});
