/**
 * Unplug/replug of a socat pty pair under a real `hsmon monitor --json --record` while a
 * sequence-numbered feeder writes at 921600 baud. Each cycle: replug (a new socat under the same
 * link names), the feeder at once writes a boot burst and then paced lines (so bytes arrive
 * before hsmon has reopened the port: what serialport's open used to flush), ends with half a
 * line, waits for it to drain, and the cable is pulled (socat killed). Afterwards the recording
 * is read: every whole line the feeder wrote must be there, as its own line, and each half line
 * must be a line of its own, never glued to the next.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPtyPair, type PtyPair } from '../../../src/io/pty.ts';
import { openSerialSource, type SerialSource } from '../../../src/io/serial.ts';
import { startHsmon } from '../../helpers/cli.ts';
import { poll } from '../../helpers/poll.ts';

export interface UnplugResult {
  cycles: number;
  baud: number;
  /** Whole lines the feeder wrote while the port existed. */
  written: number;
  /** …of which the recording lacks. */
  lost: number;
  /** Which: `L120-L219` (boot bursts start each cycle after the first). */
  lostRanges: string[];
  /**
   * Lost lines that were not part of a boot burst, i.e. not written while hsmon was reopening
   * the port: the ones a race with serialport's flush cannot explain.
   */
  lostOutsideReopen: number;
  /** Recorded lines that hold more than one feeder line (or a half line and a whole one). */
  glued: number;
  /** Half lines written before an unplug that the recording has as a line of their own. */
  halvesKept: number;
  /** From the new pty existing to hsmon reporting serial.reconnected, per cycle (ms). */
  reconnectMs: number[];
  bytes: number;
}

const PAYLOAD = 'abcdefghijklmnopqrstuvwxyz0123456789';
const lineOf = (seq: number) => `L${seq} ${PAYLOAD}`;
const LINE = /^L(\d+) (.*)$/;

/** The shared poll helper, checking every 2 ms: the reconnect time is measured with it. */
const until = (what: string, ok: () => boolean, ms: number, last?: () => string): Promise<true> =>
  poll(what, () => ok() || null, { timeoutMs: ms, intervalMs: 2, ...(last ? { last } : {}) });

/** Writes `text` to the device end at about `baud` (10 bits a byte), in 2 ms slices. */
async function paced(dev: SerialSource, text: string, baud: number): Promise<void> {
  const perSlice = Math.max(1, Math.floor((baud / 10) * 0.002));
  for (let at = 0; at < text.length; at += perSlice) {
    const start = performance.now();
    await dev.write(Buffer.from(text.slice(at, at + perSlice), 'latin1'));
    const left = 2 - (performance.now() - start);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
}

export async function runUnplug(opts: { cycles: number; baud?: number; linesPerCycle?: number; burstLines?: number }): Promise<UnplugResult> {
  const baud = opts.baud ?? 921600;
  const perCycle = opts.linesPerCycle ?? 400;
  const burst = opts.burstLines ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-unplug-'));
  const links = { a: join(dir, 'board'), b: join(dir, 'ttyACM0') };
  const cast = join(dir, 'unplug.cast');
  let pair: PtyPair | null = await createPtyPair(links);
  const mon = startHsmon(['monitor', links.b, '--baud', String(baud), '--json', '--record', cast]);
  const reconnects = () => (mon.stdout().match(/"kind":"serial\.reconnected"/g) ?? []).length;
  const whole: number[] = [];
  const inBurst = new Set<number>();
  const halves: string[] = [];
  const reconnectMs: number[] = [];
  let seq = 0;
  let bytes = 0;
  try {
    await until('hsmon to start recording', () => mon.stderr().includes('recording to'), 20000);
    for (let cycle = 0; cycle < opts.cycles; cycle++) {
      if (!pair) {
        const before = reconnects();
        pair = await createPtyPair(links);
        const t0 = performance.now();
        // The board boots at once and prints, whether the monitor has reopened the port or not.
        const dev = await openSerialSource({ path: links.a, baud, reconnect: false, preRead: null });
        await dev.start({ data: () => undefined, status: () => undefined });
        const boot = Array.from({ length: burst }, () => lineOf(seq++)).join('\r\n') + '\r\n';
        await dev.write(Buffer.from(boot, 'latin1'));
        for (let i = seq - burst; i < seq; i++) {
          whole.push(i);
          inBurst.add(i);
        }
        bytes += boot.length;
        await until('serial.reconnected', () => reconnects() > before, 10000);
        reconnectMs.push(performance.now() - t0);
        await feed(dev);
        await dev.close();
      } else {
        const dev = await openSerialSource({ path: links.a, baud, reconnect: false, preRead: null });
        await dev.start({ data: () => undefined, status: () => undefined });
        await feed(dev);
        await dev.close();
      }
      // Everything written has reached hsmon; then the cable is pulled.
      await new Promise((r) => setTimeout(r, 100));
      await pair.close();
      pair = null;
      await until(`serial.disconnected of cycle ${cycle + 1}`, () => (mon.stdout().match(/"kind":"serial\.disconnected"/g) ?? []).length > cycle, 10000, () => mon.stdout().split("\n").filter((l) => l.includes("serial.")).join("\n"));
    }
  } finally {
    mon.child.kill('SIGINT');
    await mon.exited;
    await pair?.close();
  }

  async function feed(dev: SerialSource): Promise<void> {
    const lines = Array.from({ length: perCycle }, () => lineOf(seq++));
    for (let i = seq - perCycle; i < seq; i++) whole.push(i);
    // …and half a line, cut off by the unplug.
    const half = lineOf(seq++).slice(0, 5 + (seq % 20));
    halves.push(half);
    const text = lines.join('\r\n') + '\r\n' + half;
    bytes += text.length;
    await paced(dev, text, baud);
  }

  // The recording as a player shows it: every "o" event joined, split into lines.
  const events = readFileSync(cast, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as [number, string, string]);
  const recorded = events.filter((e) => e[1] === 'o').map((e) => e[2]).join('').split(/\r\n|\n|\r/);
  const seen = new Set<number>();
  let glued = 0;
  let halvesKept = 0;
  const halfSet = new Set(halves);
  for (const l of recorded) {
    if (l === '') continue;
    if (halfSet.has(l)) {
      halvesKept++;
      continue;
    }
    const m = LINE.exec(l);
    if (m && m[2] === PAYLOAD) seen.add(Number(m[1]));
    else if ((l.match(/L\d+ /g) ?? []).length > 1 || (m && m[2] !== PAYLOAD)) glued++;
  }
  const missing = whole.filter((s) => !seen.has(s));
  const lost = missing.length;
  // Where they were: ranges of sequence numbers, and which cycle each began in.
  const ranges: string[] = [];
  for (let k = 0; k < missing.length; k++) {
    const from = missing[k]!;
    while (k + 1 < missing.length && missing[k + 1] === missing[k]! + 1) k++;
    ranges.push(from === missing[k] ? `L${from}` : `L${from}-L${missing[k]}`);
  }
  rmSync(dir, { recursive: true, force: true });
  const lostOutsideReopen = missing.filter((m) => !inBurst.has(m)).length;
  return { cycles: opts.cycles, baud, written: whole.length, lost, lostRanges: ranges, lostOutsideReopen, glued, halvesKept, reconnectMs, bytes };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}

/**
 * Where the bytes go: `bytes` written to the device end before the monitor end is opened, then
 * the monitor end opened by hsmon's serial source three ways: as serialport opens it (its
 * tcflush discards the queue), with only the pre-read (tty-preread.ts: reading the queue before
 * the flush), and with only the open that never flushes (exact-baud.ts, Linux).
 */
export async function flushDemo(bytes = 3000): Promise<{ serialportOpen: number; preReadOnly: number; noFlushOpen: number; bytes: number }> {
  const modes = {
    serialportOpen: { preRead: null, noFlushOpen: false },
    preReadOnly: { noFlushOpen: false },
    noFlushOpen: { preRead: null, noFlushOpen: true },
  } as const;
  const got = { serialportOpen: 0, preReadOnly: 0, noFlushOpen: 0 };
  for (const mode of Object.keys(modes) as (keyof typeof modes)[]) {
    const pair = await createPtyPair();
    try {
      const dev = await openSerialSource({ path: pair.a, baud: 921600, reconnect: false, preRead: null });
      await dev.start({ data: () => undefined, status: () => undefined });
      await dev.write(Buffer.alloc(bytes, 0x41));
      await new Promise((r) => setTimeout(r, 100)); // through socat into the monitor end's queue
      const mon = await openSerialSource({ path: pair.b, baud: 921600, reconnect: false, ...modes[mode] });
      let n = 0;
      await mon.start({ data: (c) => (n += c.length), status: () => undefined });
      await new Promise((r) => setTimeout(r, 200));
      got[mode] = n;
      await mon.close();
      await dev.close();
    } finally {
      await pair.close();
    }
  }
  return { ...got, bytes };
}
