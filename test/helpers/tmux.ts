/** A real terminal for end-to-end tests: a tmux server of the test's own, and its screen. */
import { execFileSync, spawnSync } from 'node:child_process';
import { poll } from './poll.ts';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export interface TmuxTerminal {
  /** Runs a tmux command on this test's server; returns what it printed. */
  tmux(...args: string[]): string;
  /** The visible screen of the session, as text. */
  screen(): string;
  /** Polls the screen until it holds `want`; throws with the last screen after `timeoutMs`. */
  waitFor(want: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Ends the server and everything it runs. */
  kill(): void;
}

/** Starts `cmd` (a shell command) in a detached session `name` of `cols`×`rows`. */
export function tmuxTerminal(name: string, cmd: string, cols = 120, rows = 40): TmuxTerminal {
  const socket = `hsmon-${name}-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (): string => tmux('capture-pane', '-p', '-t', name);
  tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), cmd);
  return {
    tmux,
    screen,
    async waitFor(want, timeoutMs = 20_000) {
      let last = '';
      return poll(String(want), () => {
        last = screen();
        return (typeof want === 'string' ? last.includes(want) : want.test(last)) ? last : null;
      }, { timeoutMs, intervalMs: 100, last: () => last });
    },
    kill: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
  };
}
