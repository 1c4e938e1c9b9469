import { afterEach, describe, expect, it } from 'vitest';
import { corpusSession, renderApp, KEYS, type Rendered } from './helpers/render.tsx';

// tls12_server_untrusted.log has 335 lines; `alert` (any case) is on lines 311, 312 and 320.
let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

async function logPane(): Promise<Rendered> {
  const s = await corpusSession('recordings/tls12_server_untrusted.log');
  const rendered = await renderApp(s, {}, { columns: 100, rows: 30 });
  await rendered.press('6');
  return rendered;
}

const body = (frame: string): string[] => frame.split('\n').filter((l) => /^│\s*\d+ /.test(l));

describe('Log pane', () => {
  it('follows the end, with parsed lines marked', async () => {
    r = await logPane();
    const f = r.frame();
    expect(f).toContain('following · 335 lines');
    expect(f).toMatch(/335 ● ssl_tls\.c:5648: \|2\| <= free/);
    expect(f).toMatch(/322 ● ssl_tls\.c:4681: \|2\| <= handshake/);
    // line 323 is the application's own ` failed`: no profile, no mark
    expect(f).toMatch(/323 {4}failed/);
  });

  it('filters with a regex typed after /', async () => {
    r = await logPane();
    await r.press('/', 'a', 'l', 'e', 'r', 't', KEYS.enter);
    const f = r.frame();
    expect(f).toContain('filter /alert/ 3 matches');
    expect(body(f).map((l) => l.match(/^│\s*(\d+)/)![1])).toEqual(['311', '312', '320']);
  });

  it('shows a bad regex instead of throwing, and keeps working', async () => {
    r = await logPane();
    await r.press('/', '[', 'a');
    expect(r.frame()).toContain('invalid:');
    await r.press(KEYS.enter);
    expect(r.frame()).toMatch(/filter \/\[a\/ is not a valid regex/);
    // Every line still shows (an invalid pattern filters nothing), and keys still work.
    expect(r.frame()).toMatch(/335 ● ssl_tls\.c:5648/);
    await r.press(KEYS.escape);
    expect(r.frame()).toContain('following · 335 lines');
  });

  it('n/N go to the next/previous matching line; f follows again', async () => {
    r = await logPane();
    await r.press('/', 'a', 'l', 'e', 'r', 't', KEYS.enter, KEYS.escape);
    await r.press('/', KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await r.press('s', 'e', 'n', 'd', ' ', 'a', 'l', 'e', 'r', 't', KEYS.enter);
    expect(r.frame()).toContain('3 matches');
    await r.press('n');
    expect(r.frame()).toContain('at line 311');
    await r.press('n');
    expect(r.frame()).toContain('at line 312');
    await r.press('n', 'n');
    expect(r.frame()).toContain('at line 320');
    expect(r.frame()).toContain('no later line matches');
    await r.press('N');
    expect(r.frame()).toContain('at line 312');
    await r.press('f');
    expect(r.frame()).toContain('following');
  });

  it('scrolls with the arrows and returns to following past the end', async () => {
    r = await logPane();
    await r.press(KEYS.up);
    expect(r.frame()).toContain('at line 335');
    await r.press(KEYS.up, KEYS.up);
    expect(r.frame()).toContain('at line 333');
    await r.press(KEYS.down, KEYS.down);
    expect(r.frame()).toContain('at line 335');
    await r.press(KEYS.down);
    expect(r.frame()).toContain('following');
  });

  it("hides the one-space line the Infineon debug callback prints after every message", async () => {
    // test/fixtures/keys/device-transcript.log prints its PEM lines in the cy_tls form: each
    // followed by a line holding one space (lines 43, 45 and 47 of the file are such lines).
    const s = await corpusSession('test/fixtures/keys/device-transcript.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('6');
    const numbers = body(r.frame()).map((l) => Number(/^│\s*(\d+)/.exec(l)![1]));
    expect(numbers.length).toBeGreaterThan(5);
    for (const n of [43, 45, 47]) expect(numbers).not.toContain(n);
    expect(numbers).toContain(44);
  });

  it('collapses the empty line ESP-IDF prints after every line, keeping the numbers', async () => {
    // test/fixtures/ui/esp-idf-padded.log: 18 lines of text, each followed by an empty line
    // (grep -c '^.$' → 18 lines holding only the CR), so lines 2, 4, … 36 are padding.
    const s = await corpusSession('test/fixtures/ui/esp-idf-padded.log');
    r = await renderApp(s, {}, { columns: 100, rows: 40 });
    await r.press('6');
    const numbers = body(r.frame()).map((l) => Number(/^│\s*(\d+)/.exec(l)![1]));
    expect(numbers).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35]);
    // …and they are still in the session, as recorded.
    expect(s.getSnapshot().log.filter((l) => l.text.trim() === '').length).toBe(18);
  });

  it('keeps the blank lines of a log that has few of them', async () => {
    // tls12_server_untrusted.log: lines 330 and 333 are the application's own empty lines
    // (sed -n '330p;333p' recordings/tls12_server_untrusted.log)
    r = await logPane();
    expect(body(r.frame()).map((l) => /^│\s*(\d+)/.exec(l)![1])).toContain('333');
  });

  it('requires every term joined by & and counts the matches', async () => {
    // grep -n 'alert' recordings/tls12_server_untrusted.log | grep -n 'level' → line 312 only
    // (send alert level=2 message=48); `alert|flags` → 311, 312, 320, 321
    r = await logPane();
    await r.press('/', ...'alert&level', KEYS.enter);
    expect(r.frame()).toContain('filter /alert&level/ 1 match');
    expect(body(r.frame()).map((l) => l.match(/^│\s*(\d+)/)![1])).toEqual(['312']);
    await r.press('/', ...Array(11).fill(KEYS.backspace), ...'alert|flags', KEYS.enter);
    expect(r.frame()).toContain('4 matches');
  });

  it('w wraps long lines; without wrap < and > scroll sideways', async () => {
    // line 328: `For TLS 1.3 server, try `ca_path=/etc/ssl/certs/`or other folder that has root certificates`
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 80, rows: 30 });
    await r.press('6');
    expect(r.frame()).not.toContain('has root certificates');
    await r.press('w');
    expect(r.frame()).toContain('wrapped (w)');
    expect(r.frame()).toMatch(/│ +that has root certificates +│/);
    await r.press('w', '>');
    expect(r.frame()).toContain('→ 20 (<)');
    expect(r.frame()).toContain('other folder that has root');
    await r.press('<');
    expect(r.frame()).not.toContain('→ 20');
  });
});
