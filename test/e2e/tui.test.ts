/**
 * The monitor in a real terminal: tmux runs `hsmon replay` on a failing corpus log, the test
 * reads the screen, presses ? then q, and checks the exit code and that the terminal was
 * given back (alternate screen left, cursor visible).
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTmux, tmuxTerminal, type TmuxTerminal } from '../helpers/tmux.ts';

const root = resolve(import.meta.dirname, '../..');
if (!hasTmux) console.log('skipping the tmux TUI test: tmux is not installed (apt-get install tmux)');

describe.skipIf(!hasTmux)('TUI in a real terminal (tmux)', () => {
  let term: TmuxTerminal | undefined;
  afterAll(() => term?.kill());

  it('replays a failing log, shows help on ?, quits on q with exit 0 and restores the terminal', async () => {
    // CI is unset: Ink draws nothing until exit when it believes it runs in CI.
    const cmd = `cd ${JSON.stringify(root)} && env -u CI node bin/hsmon.js replay recordings/tls12_server_untrusted.log --speed max; echo "HSMON_EXIT=$?"; sleep 120`;
    term = tmuxTerminal('tui', cmd);
    const { tmux, waitFor } = term;
    const first = await waitFor('failed in SERVER_CERTIFICATE', 30_000);
    expect(tmux('display', '-p', '-t', 'tui', '#{alternate_on}').trim()).toBe('1');
    expect(first).toContain('Attempt 1 of 1 · TLS 1.2');
    expect(first).toContain('alert sent: fatal unknown_ca (48)');
    expect(first).toContain('replay recordings/tls12_server_untrusted.log');
    // Every pane of the grid is on the screen at 120 columns.
    for (const t of ['1 Handshake', '2 Records', '3 Keys', '4 Certificate', '5 MQTT', '6 Log', '7 Findings']) expect(first).toContain(t);

    tmux('send-keys', '-t', 'tui', '?');
    const help = await waitFor('? or Esc closes this help', 15_000);
    expect(help).toContain('pause / play');

    tmux('send-keys', '-t', 'tui', 'q');
    const after = await waitFor('HSMON_EXIT=', 15_000);
    expect(after).toContain('HSMON_EXIT=0');
    expect(after).not.toContain('1 Handshake');
    expect(tmux('display', '-p', '-t', 'tui', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  }, 60_000);
});
