/**
 * kill -9 of `hsmon monitor --record` while a board floods it: a socat pty pair, the monitor in
 * --json or in the interactive UI (tmux), and a feeder on the device end writing numbered lines
 * (`K17 device output line`) as fast as the baud rate carries them. Once the recording holds
 * `warmLines` of them the monitor is killed, and the recording is compared with what was sent:
 * every event must parse, no line may be missing before the last one recorded, and what was
 * sent before the kill and never reached the file is the loss (in lines, bytes and ms).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPtyPair } from '../../../src/io/pty.ts';
import { openSerialSource } from '../../../src/io/serial.ts';
import { HSMON, startHsmon } from '../../helpers/cli.ts';
import { poll } from '../../helpers/poll.ts';
import { tmuxTerminal } from '../../helpers/tmux.ts';

export interface KillResult {
  /** Events of the .cast that parse, of all its lines (the header included in neither). */
  parsed: number;
  events: number;
  /** Lines the feeder had handed to the pty before the kill. */
  sent: number;
  /** The highest line number in the recording. */
  last: number;
  /** Line numbers below `last` missing from the recording (nothing may be). */
  gaps: number;
  /** Sent before the kill, after `last`: never reached the file. */
  lostLines: number;
  lostBytes: number;
  /** From the first of those being sent to the kill. */
  lostMs: number;
  /** The most the recording may lose, 100 ms of the line at this baud rate (10 bits a byte). */
  budgetBytes: number;
}

const lineOf = (n: number) => `K${n} device output line\r\n`;

export async function runKill(opts: { mode: 'json' | 'tui'; baud?: number; warmLines?: number; noRedact?: boolean }): Promise<KillResult> {
  const baud = opts.baud ?? 921600;
  const warm = opts.warmLines ?? 3000;
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-kill-'));
  const pair = await createPtyPair({ a: join(dir, 'board'), b: join(dir, 'tty') });
  const cast = join(dir, 'k.cast');
  const args = ['monitor', pair.b, '--baud', String(baud), '--record', cast, ...(opts.noRedact ? ['--no-redact'] : [])];
  let kill: () => void;
  let shown: () => string;
  let stop = (): void => undefined;
  if (opts.mode === 'json') {
    const run = startHsmon([...args, '--json']);
    kill = () => run.child.kill('SIGKILL');
    shown = () => run.stderr();
    stop = () => run.child.kill('SIGKILL');
  } else {
    const term = tmuxTerminal(`kill9-${process.pid}-${Math.floor(performance.now())}`, `exec ${process.execPath} ${HSMON} ${args.join(' ')}`, 120, 40);
    const pid = Number(term.tmux('list-panes', '-F', '#{pane_pid}').trim());
    kill = () => process.kill(pid, 'SIGKILL');
    shown = () => term.screen();
    stop = () => term.kill();
  }
  const dev = await openSerialSource({ path: pair.a, baud, reconnect: false, preRead: null });
  await dev.start({ data: () => undefined, status: () => undefined });
  /** When each line had been handed to the pty (performance.now()). */
  const sentAt: number[] = [];
  let feeding = true;
  // As fast as the line carries it: every 2 ms the lines that 2 ms of the baud rate hold.
  const perSlice = (baud / 10) * 0.002;
  const feeder = (async () => {
    let n = 0;
    while (feeding) {
      const start = performance.now();
      let text = '';
      const first = n;
      while (text.length < perSlice) text += lineOf(n++);
      await dev.write(Buffer.from(text, 'latin1'));
      const t = performance.now();
      for (let i = first; i < n; i++) sentAt[i] = t;
      const left = 2 - (t - start);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
  })();
  try {
    const marker = `"K${warm} device`;
    await poll(`the recording to hold line K${warm}`, () => existsSync(cast) && readFileSync(cast, 'utf8').includes(marker), { timeoutMs: 30_000, last: shown });
    const killedAt = performance.now();
    kill();
    feeding = false;
    await feeder;
    const lines = readFileSync(cast, 'utf8').split('\n').slice(1).filter(Boolean);
    const events: [number, string, string][] = [];
    for (const l of lines) {
      try {
        events.push(JSON.parse(l) as [number, string, string]);
      } catch {
        // counted: parsed < events
      }
    }
    const text = events.filter((e) => e[1] === 'o').map((e) => e[2]).join('');
    const seen = new Set([...text.matchAll(/K(\d+) device output line/g)].map((m) => Number(m[1])));
    const last = Math.max(...seen);
    let gaps = 0;
    for (let i = 0; i < last; i++) if (!seen.has(i)) gaps++;
    const sent = sentAt.filter((t) => t !== undefined && t < killedAt).length;
    let lostBytes = 0;
    for (let i = last + 1; i < sent; i++) lostBytes += lineOf(i).length;
    return {
      parsed: events.length, events: lines.length, sent, last, gaps,
      lostLines: Math.max(0, sent - 1 - last), lostBytes,
      lostMs: sent - 1 > last ? killedAt - sentAt[last + 1]! : 0,
      budgetBytes: Math.floor((baud / 10) * 0.1),
    };
  } finally {
    feeding = false;
    stop();
    await feeder.catch(() => undefined);
    await dev.close().catch(() => undefined);
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
