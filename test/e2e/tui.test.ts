/**
 * The monitor in a real terminal: tmux runs `hsmon replay` on a failing corpus log, the test
 * reads the screen, presses ? then q, and checks the exit code and that the terminal was
 * given back (alternate screen left, cursor visible).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.log('skipping the tmux TUI test: tmux is not installed (apt-get install tmux)');

const socket = `hsmon-e2e-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', 'tui');

async function waitFor(text: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (last.includes(text)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for "${text}"; screen:\n${last}`);
}

describe.skipIf(!hasTmux)('TUI in a real terminal (tmux)', () => {
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('replays a failing log, shows help on ?, quits on q with exit 0 and restores the terminal', async () => {
    // CI is unset: Ink draws nothing until exit when it believes it runs in CI.
    const cmd = `cd ${JSON.stringify(root)} && env -u CI node bin/hsmon.js replay recordings/tls12_server_untrusted.log; echo "HSMON_EXIT=$?"; sleep 120`;
    tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '40', cmd);
    const first = await waitFor('failed in SERVER_CERTIFICATE');
    expect(tmux('display', '-p', '-t', 'tui', '#{alternate_on}').trim()).toBe('1');
    expect(first).toContain('Attempt 1 of 1 · TLS 1.2');
    expect(first).toContain('alert sent: fatal unknown_ca (48)');
    expect(first).toContain('replay recordings/tls12_server_untrusted.log');
    // Every pane of the grid is on the screen at 120 columns.
    for (const t of ['1 Handshake', '2 Records', '3 Keys', '4 Certificate', '5 MQTT', '6 Log', '7 Findings']) expect(first).toContain(t);

    tmux('send-keys', '-t', 'tui', '?');
    const help = await waitFor('? or Esc closes this help');
    expect(help).toContain('pause / play');

    tmux('send-keys', '-t', 'tui', 'q');
    const after = await waitFor('HSMON_EXIT=');
    expect(after).toContain('HSMON_EXIT=0');
    expect(after).not.toContain('1 Handshake');
    expect(tmux('display', '-p', '-t', 'tui', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });
});
