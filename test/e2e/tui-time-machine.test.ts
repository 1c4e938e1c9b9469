/**
 * The monitor in real terminals (tmux): at 120×40 a failing corpus log replayed, the Findings
 * pane focused, the detail view opened and the whole hint read on the screen; `g` goes back to
 * the first line with an empty Handshake pane, space plays it again. At 80×24 every pane is
 * reachable by its number key and by Tab, with its title on screen.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hsmon } from '../helpers/cli.ts';
import { hasTmux, tmuxTerminal, type TmuxTerminal } from '../helpers/tmux.ts';

const root = resolve(import.meta.dirname, '../..');
const FILE = 'recordings/tls12_server_untrusted.log';
if (!hasTmux) console.log('skipping the tmux time-machine tests: tmux is not installed (apt-get install tmux)');

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
/** The screen's text inside the detail overlay's double border, joined. */
const overlay = (screen: string): string => squash(screen.split('\n').filter((l) => l.startsWith('║')).map((l) => l.slice(1, -1)).join(' '));

describe.skipIf(!hasTmux)('TUI time machine in a real terminal (tmux)', () => {
  let term: TmuxTerminal | undefined;
  afterEach(() => {
    term?.kill();
    term = undefined;
  });

  it('120×40: the whole hint in the detail view; g back to line 1 with an empty Handshake pane; space replays', async () => {
    const summary = JSON.parse((await hsmon(['summarize', FILE, '--json'])).stdout) as { findings: { code: string; hint: string }[] };
    const hint = summary.findings.find((f) => f.code === 'server-cert-untrusted')!.hint;
    expect(hint.length).toBeGreaterThan(120); // longer than any pane is wide: the pane cuts it
    const cmd = `cd ${JSON.stringify(root)} && env -u CI node bin/hsmon.js replay ${FILE} --speed max; sleep 120`;
    term = tmuxTerminal('tm120', cmd, 120, 40);
    const { tmux, waitFor, screen } = term;
    await waitFor('end of file', 30_000);
    expect(screen()).toContain('✗ failed in SERVER_CERTIFICATE');
    tmux('send-keys', '-t', 'tm120', '7');
    await waitFor('┌─ 7 Findings');
    tmux('send-keys', '-t', 'tm120', 'Enter');
    const detail = await waitFor('Esc close · y save as JSON');
    expect(overlay(detail)).toContain(squash(hint));
    expect(overlay(detail)).toContain('code server-cert-untrusted');

    tmux('send-keys', '-t', 'tm120', 'Escape');
    await waitFor('┌─ 1 Handshake');
    tmux('send-keys', '-t', 'tm120', 'g');
    await waitFor('at line 1: space plays');
    // the panes follow with the next frame (new data is drawn at most every 40 ms)
    const start = await waitFor('no handshake yet');
    expect(start).toMatch(/│1 ● build version: Mbed TLS 3\.6\.6/);
    expect(start).not.toMatch(/│2 /);
    tmux('send-keys', '-t', 'tm120', ' ');
    const again = await waitFor('✗ failed in SERVER_CERTIFICATE', 30_000);
    expect(again).toContain('Attempt 1 of 1 · TLS 1.2');
  }, 90_000);

  it('80×24: every pane by its number key and by Tab, its title on screen', async () => {
    const cmd = `cd ${JSON.stringify(root)} && env -u CI node bin/hsmon.js replay ${FILE} --speed max; sleep 120`;
    term = tmuxTerminal('tm80', cmd, 80, 24);
    const { tmux, waitFor } = term;
    await waitFor('end of file', 30_000);
    const titles = ['1 Handshake', '2 Records', '3 Keys', '4 Certificate', '5 MQTT', '6 Log', '7 Findings'];
    for (const [i, t] of titles.entries()) {
      tmux('send-keys', '-t', 'tm80', String(i + 1));
      const s = await waitFor(`┌─ ${t} `);
      // the focused tab is on the tab bar too
      expect(s.split('\n')[0]).toContain(` ${t}`);
    }
    // From 7 Findings, Tab goes round: 1 Handshake, 2 Records, … 7 Findings.
    for (const next of titles) {
      tmux('send-keys', '-t', 'tm80', 'Tab');
      const s = await waitFor(`┌─ ${next} `);
      expect(s.split('\n')[0]).toContain(` ${next}`);
    }
  }, 90_000);
});
