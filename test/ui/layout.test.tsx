import { afterEach, describe, expect, it } from 'vitest';
import { makeTheme } from '../../src/ui/theme.ts';
import { computeLayout } from '../../src/ui/layout.ts';
import { corpusSession, renderApp, KEYS, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

const TITLES = ['1 Handshake', '2 Records', '3 Keys', '4 Certificate', '5 MQTT', '6 Log', '7 Findings'];
const paneTitles = (f: string): string[] => TITLES.filter((t) => f.includes(`─ ${t} `));

describe('layout', () => {
  it('shows every pane in a grid from 120 columns, one pane with tabs below', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 140, rows: 40 });
    expect(paneTitles(r.frame())).toEqual(TITLES);
    await r.resize(119, 40);
    expect(paneTitles(r.frame())).toEqual(['1 Handshake']);
    expect(r.frame()).toContain(' 1 Handshake (1)  2 Records');
    await r.press(KEYS.tab);
    expect(paneTitles(r.frame())).toEqual(['2 Records']);
    await r.resize(120, 40);
    expect(paneTitles(r.frame())).toEqual(TITLES);
  });

  it('is usable at 80×24: the frame fits, one row short of the terminal, no line wider than 80', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 80, rows: 24 });
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '?']) {
      await r.press(key);
      const lines = r.frame().split('\n');
      expect(lines.length).toBe(23);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    }
    await r.press('?', '1');
    expect(r.frame()).toContain('✗ failed in SERVER_CERTIFICATE');
  });

  it('keeps the focused tab on screen however narrow, with ‹ › for the tabs to either side', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 60, rows: 24 });
    await r.press('7');
    const bar = r.frame().split('\n')[0]!;
    expect(bar.trimEnd().endsWith(' 7 Findings (1)')).toBe(true);
    expect(bar.startsWith('‹')).toBe(true);
    await r.press('1');
    expect(r.frame().split('\n')[0]).toMatch(/^ 1 Handshake \(1\) .*›$/);
  });

  it('uses the full width for help: one column under 100 columns, descriptions whole, scrolls', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 80, rows: 24 });
    await r.press('?');
    const f = r.frame();
    expect(f).toContain('Tab        next pane');
    expect(f).toMatch(/↑ ↓ scroll \(1–\d+ of \d+\)/);
    // Scrolled to its end, the last group (the y/n question) is on screen.
    for (let i = 0; i < 12; i++) await r.press('\u001b[6~');
    expect(r.frame()).toContain('no (any other key)');
  });

  it('keeps the frame one row shorter than the terminal in the grid too', async () => {
    const s = await corpusSession('recordings/tls13_mtls_ok.log');
    r = await renderApp(s, {}, { columns: 160, rows: 50 });
    expect(r.frame().split('\n').length).toBe(49);
    await r.resize(130, 30);
    expect(r.frame().split('\n').length).toBe(29);
  });

  it('splits the grid exactly: pane widths add up to the terminal width', () => {
    const l = computeLayout(137, 41, 'keys');
    expect(l.mode).toBe('grid');
    if (l.mode !== 'grid' || 'id' in l.root) return;
    expect(l.root.children.reduce((a, c) => a + c.width, 0)).toBe(137);
  });

  it('honours NO_COLOR: no colours at all, colours otherwise', () => {
    expect(Object.values(makeTheme({ NO_COLOR: '1' })).every((v) => v === undefined)).toBe(true);
    expect(makeTheme({}).error).toBe('red');
    expect(makeTheme({ NO_COLOR: '' }).error).toBe('red');
  });
});
