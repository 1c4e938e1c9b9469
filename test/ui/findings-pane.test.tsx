import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, Snapshot } from '../../src/session/types.ts';
import { corpusSession, renderApp, staticStore, KEYS, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('Findings pane', () => {
  it('shows the diagnosis of a corpus failure with its hint and evidence line', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('7');
    const f = r.frame();
    expect(f).toContain('ERROR');
    expect(f).toContain('server-cert-untrusted');
    expect(f).toContain('handshake #1');
    expect(f).toContain('→ ');
  });

  it('lists newest first and l shows the evidence line in the log', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    const base = s.getSnapshot();
    const findings: Finding[] = [
      { code: 'older', severity: 'warning', message: 'first thing seen', hint: 'fix one', line: 11 },
      { code: 'newer', severity: 'error', message: 'second thing seen', hint: 'fix two', line: 311 },
    ];
    const snap: Snapshot = { ...base, findings };
    r = await renderApp(staticStore(snap), {}, { columns: 100, rows: 30 });
    await r.press('7');
    const f = r.frame();
    expect(f.indexOf('ERROR second thing seen')).toBeGreaterThan(-1);
    expect(f.indexOf('ERROR second thing seen')).toBeLessThan(f.indexOf('WARNING first thing seen'));
    expect(f).toContain('→ fix two');
    await r.press(KEYS.down, 'l'); // select the older one, show its line
    expect(r.frame()).toContain('6 Log');
    expect(r.frame()).toContain('at line 12');
    await r.press('7', KEYS.up, 'l');
    expect(r.frame()).toContain('at line 312');
    expect(r.frame()).toMatch(/312 ● ssl_msg\.c:5351: \|3\| send alert level=2 message=48/);
  });

  it('says what it is waiting for while there is none', async () => {
    // A handshake with nothing to find (`hsmon summarize F --json` → findings: []); the corpus's ok
    // logs all print a session secret (the test server's status page), which is a finding.
    const s = await corpusSession('test/fixtures/ui/fragmented-certificate.log', { end: false });
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('7');
    expect(r.frame()).toContain('no findings yet');
  });
});
