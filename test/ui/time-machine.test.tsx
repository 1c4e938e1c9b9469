/**
 * Replay as a time machine: after every seek (g, G, # line, ] [ states, } { findings, → ←
 * parsed lines) the panes are exactly the panes of a fresh session fed the recording up to
 * that point — the status bar aside, which says where the replay is.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';
import type { Session } from '../../src/session/session.ts';
import { TimeMachine } from '../../src/session/time-machine.ts';
import { textRecording } from '../../src/session/recording.ts';
import { replayPlayer, type ReplayPlayer } from '../../src/cli/replay-player.ts';
import { renderApp, KEYS, type Rendered } from './helpers/render.tsx';
import { manualTape } from '../helpers/manual-tape.ts';

const root = resolve(import.meta.dirname, '../..');
const opened: { r: Rendered; player?: ReplayPlayer }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.r.unmount();
    o.player?.close();
  }
});

const newSession = (file: string): Session => {
  const s = createSession({ source: { type: 'file', name: file } });
  return s;
};

/** The session a user would have after the first `lines` lines of the file (all of it: ended). */
function freshAt(file: string, lines: number): Session {
  const bytes = readFileSync(resolve(root, file));
  const s = newSession(file);
  s.setStatus({ state: 'open' });
  let end = 0;
  for (let i = 0; i < lines && end < bytes.length; i++) {
    const nl = bytes.indexOf(10, end);
    end = nl === -1 ? bytes.length : nl + 1;
  }
  s.feed(bytes.subarray(0, end), 0);
  if (end >= bytes.length) {
    s.setStatus({ state: 'ended' });
    s.end();
  }
  return s;
}

async function machine(file: string): Promise<{ r: Rendered; tm: TimeMachine }> {
  const tm = new TimeMachine(textRecording(readFileSync(resolve(root, file))), () => newSession(file));
  const player = replayPlayer(tm, { speed: 1, paused: true });
  const r = await renderApp(tm, { replay: player }, { columns: 120, rows: 40 });
  opened.push({ r, player });
  return { r, tm };
}

/** Everything above the status bar (its two rows say where the replay is, the fresh one cannot). */
const panes = (frame: string): string => frame.split('\n').slice(0, -2).join('\n');

/**
 * The panes equal `want`. A seek's status message and its panes come in two frames (the key's,
 * then the frame for the new data), so the panes may follow the message a moment later.
 */
async function expectPanes(r: Rendered, want: string): Promise<void> {
  await r.waitFor((f) => panes(f) === want, 5000).catch(() => undefined);
  expect(panes(r.frame())).toBe(want);
}

async function freshPanes(file: string, lines: number, keys: string[] = []): Promise<string> {
  const r = await renderApp(freshAt(file, lines), {}, { columns: 120, rows: 40 });
  opened.push({ r });
  await r.press(...keys);
  return panes(r.frame());
}

const FILE = 'recordings/tls12_server_untrusted.log';

describe('replay time machine', () => {
  it('g goes to the start (the first line, an empty Handshake pane), G to the end, # to a line: the same panes as a fresh session', async () => {
    const { r, tm } = await machine(FILE);
    await r.press('G');
    await r.waitFor('at the end');
    expect(tm.pos).toBe(335); // wc -l recordings/tls12_server_untrusted.log → 335
    await expectPanes(r, await freshPanes(FILE, 335));
    expect(r.frame()).toContain('✗ failed in SERVER_CERTIFICATE');
    await r.press('g');
    await r.waitFor('no handshake yet');
    expect(r.frame()).toContain('1 ● build version: Mbed TLS 3.6.6');
    await expectPanes(r, await freshPanes(FILE, 1));
    await r.press('#', '2', '2', '1', KEYS.enter);
    // line 221: `client state: MBEDTLS_SSL_SERVER_HELLO` (grep -n 'client state' → 12, 16, 221, 259)
    await r.waitFor('at line 221');
    await expectPanes(r, await freshPanes(FILE, 221));
    expect(r.frame()).toContain('▶ SERVER_HELLO');
    // back again: a fresh session is fed from the start
    await r.press('#', '1', '6', KEYS.enter);
    await r.waitFor('at line 16');
    await expectPanes(r, await freshPanes(FILE, 16));
  });

  it('] and [ step through the handshake states, every pane following', async () => {
    const { r, tm } = await machine(FILE);
    await r.press(']');
    // The first `client state:` line is line 12: HELLO_REQUEST (grep -n 'client state' → 12, 16, 221, 259)
    expect(tm.session.lines).toBe(12);
    expect(r.frame()).toContain('▶ HELLO_REQUEST');
    await expectPanes(r, await freshPanes(FILE, 12));
    await r.press(']', ']');
    // The third state, SERVER_HELLO, is entered at line 186 (`handshake state: 1 -> 2`) at the latest
    expect(tm.session.lines).toBeLessThanOrEqual(221);
    expect(r.frame()).toContain('▶ SERVER_HELLO');
    await expectPanes(r, await freshPanes(FILE, tm.session.lines));
    await r.press('[');
    expect(r.frame()).toContain('▶ CLIENT_HELLO');
    await expectPanes(r, await freshPanes(FILE, tm.session.lines));
    await r.press('[', '[');
    expect(r.frame()).toContain('no earlier handshake state');
  });

  it('→ and ← step one parsed line at a time', async () => {
    const { r, tm } = await machine(FILE);
    await r.press(KEYS.right);
    const first = tm.session.lines;
    // it stopped on a line the log pane marks parsed (●), the first of them
    await r.press('6');
    expect(r.frame()).toMatch(new RegExp(`│ *${first} ● `));
    expect(r.frame()).not.toMatch(/│ *\d+ ● [^│]*│[^]*│ *\d+ ● /);
    await expectPanes(r, await freshPanes(FILE, first, ['6']));
    await r.press(KEYS.right, KEYS.right);
    // lines 1, 6 and 9 are the first parsed ones (the version line, then debug lines glued to
    // the application's: grep -n 'ssl_\|version' | head -3)
    const at = tm.session.lines;
    expect([first, at]).toEqual([1, 9]);
    await r.press(KEYS.left);
    expect(tm.session.lines).toBeLessThan(at);
    await expectPanes(r, await freshPanes(FILE, tm.session.lines));
  });

  it('} goes to where the next finding appears, { back to the previous one', async () => {
    const fixture = 'test/fixtures/keys/device-transcript.log';
    // The first finding appears at the first line after which a fresh session has one.
    let first = 0;
    while (freshAt(fixture, first).getSnapshot().findings.length === 0) first++;
    const { r, tm } = await machine(fixture);
    await r.press('}');
    expect(tm.session.lines).toBe(first);
    await expectPanes(r, await freshPanes(fixture, first));
    await r.press('}');
    const second = tm.session.lines;
    expect(second).toBeGreaterThan(first);
    expect(tm.getSnapshot().findings.length).toBeGreaterThan(freshAt(fixture, first).getSnapshot().findings.length);
    await r.press('{');
    expect(tm.session.lines).toBe(first);
    await expectPanes(r, await freshPanes(fixture, first));
    await r.press('7');
    expect(r.frame()).toContain('psa-algorithm-unsupported');
  });

  it('a seek that needs much of the file read goes on in the background with its progress, then lands', async () => {
    // The failing log 100 times over (33 500 lines, 2.3 MB): more than one 30 ms slice of parsing.
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-seek-'));
    const big = join(dir, 'big.log');
    const unit = readFileSync(resolve(root, FILE));
    writeFileSync(big, Buffer.concat(Array.from({ length: 100 }, () => unit)));
    try {
      // Reading ahead off, and a threshold of 10 lines: G on a fresh replay must read them all.
      const tm = new TimeMachine(textRecording(readFileSync(big)), () => newSession(big));
      const player = replayPlayer(tm, { speed: 1, paused: true, readAhead: false, backgroundSeek: 10 });
      const r = await renderApp(tm, { replay: player }, { columns: 120, rows: 40 });
      opened.push({ r, player });
      await r.press('G');
      // 335 lines × 100 (wc -l recordings/tls12_server_untrusted.log → 335)
      await r.waitFor('at the end: line 33500', 30_000);
      expect(r.frames().some((f) => f.includes('reading the file to get there:'))).toBe(true);
      expect(tm.pos).toBe(33_500);
      // The panes follow with the next frame for data.
      await r.waitFor('✗ failed in SERVER_CERTIFICATE');
      // Within what has been read, a seek is done at once.
      await r.press('#', '2', '2', '1', KEYS.enter);
      expect(r.frame()).toContain('at line 221');
      expect(r.frame()).toContain('▶ SERVER_HELLO');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with the tape read on another thread: max speed waits for it, G lands once it is all read', async () => {
    const bytes = readFileSync(resolve(root, FILE));
    const m = manualTape(bytes, 3);
    const tm = new TimeMachine(textRecording(bytes), () => newSession(FILE), { readElsewhere: m.readElsewhere });
    // One core, busy reading: the seek waits for the whole read before it feeds anything.
    const player = replayPlayer(tm, { speed: 'max', cores: 1 });
    const r = await renderApp(tm, { replay: player }, { columns: 120, rows: 40 });
    opened.push({ r, player });
    // Nothing read yet: max speed has nothing to play.
    expect(tm.pos).toBe(0);
    m.deliver();
    const first = m.chunks[0]!.itemEnd.length;
    await r.waitFor(() => tm.pos === first);
    expect(tm.starved).toBe(true);
    const said: string[] = [];
    player.onSeekMessage!((text) => said.push(text));
    await r.press('G');
    expect(r.frame()).toContain('reading the file to get there:');
    while (m.left > 0) m.deliver();
    // Not fed in the turn of the message that completed the tape: it lands a slice at a time,
    // and says so.
    expect(tm.pos).toBe(first);
    expect(said.at(-1)).toMatch(/^the file is read: going there, \d+%$/);
    // 335 lines (wc -l recordings/tls12_server_untrusted.log)
    await r.waitFor('at the end: line 335');
    await r.waitFor('✗ failed in SERVER_CERTIFICATE');
    await expectPanes(r, await freshPanes(FILE, 335));
    player.close();
    expect(m.closed).toBe(true);
  });

  /** A paused replay whose tape two threads read (the redacting and the parsing worker) on `cores` cores, and G pressed. */
  const waitingG = async (cores: number) => {
    const bytes = readFileSync(resolve(root, FILE));
    const m = manualTape(bytes, 3);
    m.threads = 2;
    const tm = new TimeMachine(textRecording(bytes), () => newSession(FILE), { readElsewhere: m.readElsewhere });
    const player = replayPlayer(tm, { speed: 1, paused: true, cores });
    const r = await renderApp(tm, { replay: player }, { columns: 120, rows: 40 });
    opened.push({ r, player });
    const said: string[] = [];
    player.onSeekMessage!((text) => said.push(text));
    await r.press('G');
    return { m, tm, r, said };
  };

  it('a G that waits for the read feeds what is read as soon as a core is spare, and lands at the end', async () => {
    const { m, tm, r, said } = await waitingG(2);
    m.deliver();
    // Both cores read: two turns of the event loop later (a feed is started with setImmediate),
    // nothing has been fed here.
    for (let k = 0; k < 2; k++) await new Promise((res) => setImmediate(res));
    expect(tm.pos).toBe(0);
    // The redacting worker is done: a core is spare, and what is read is fed while the rest is read.
    m.threads = 1;
    m.deliver();
    const two = m.chunks[0]!.itemEnd.length + m.chunks[1]!.itemEnd.length;
    await r.waitFor(() => tm.pos === two);
    expect(r.frame()).toContain('reading the file to get there:');
    while (m.left > 0) m.deliver();
    expect(said.at(-1)).toMatch(/^the file is read: going there, \d+%$/);
    // 335 lines (wc -l recordings/tls12_server_untrusted.log)
    await r.waitFor('at the end: line 335');
    await expectPanes(r, await freshPanes(FILE, 335));
  });

  it('on a machine with a core more than the read takes, a waiting G feeds each part as it is read', async () => {
    const { m, tm, r } = await waitingG(3);
    m.deliver();
    await r.waitFor(() => tm.pos === m.chunks[0]!.itemEnd.length);
    while (m.left > 0) m.deliver();
    await r.waitFor('at the end: line 335');
    await expectPanes(r, await freshPanes(FILE, 335));
  });

  it('while the worker reads the file, the status bar says how much it has read', async () => {
    const bytes = readFileSync(resolve(root, FILE));
    const m = manualTape(bytes, 3);
    const tm = new TimeMachine(textRecording(bytes), () => newSession(FILE), { readElsewhere: m.readElsewhere });
    const player = replayPlayer(tm, { speed: 1, paused: true });
    const r = await renderApp(tm, { replay: player }, { columns: 160, rows: 40 });
    opened.push({ r, player });
    expect(r.frame()).toContain('· read 0% ·');
    m.deliver();
    // The first chunk's lines are on the tape, the last of them held back until the next chunk
    // says where it ends: read up to the start of line `first` (its byte offset, by hand).
    const first = m.chunks[0]!.itemEnd.length;
    let offset = 0;
    for (let k = 0; k < first; k++) offset = bytes.indexOf(10, offset) + 1;
    await r.waitFor(`· read ${Math.floor((offset * 100) / bytes.length)}% ·`);
    while (m.left > 0) m.deliver();
    await r.waitFor(() => !r.frame().includes('· read '));
    expect(r.frame()).toMatch(/0% · paused \(50 lines\/s\)/);
  });

  it('the status bar\'s read percent costs a frame only every 5 points', async () => {
    const bytes = readFileSync(resolve(root, FILE));
    // 40 parts: 2.5 points of the file each, a frame each if every percent were shown.
    const m = manualTape(bytes, 40);
    const tm = new TimeMachine(textRecording(bytes), () => newSession(FILE), { readElsewhere: m.readElsewhere });
    let ticks = 0;
    const player = replayPlayer(tm, { speed: 1, paused: true, onTick: () => ticks++ });
    ticks = 0;
    while (m.left > 0) m.deliver();
    // 100 / 5 steps and the end.
    expect(ticks).toBeGreaterThan(5);
    expect(ticks).toBeLessThanOrEqual(21);
    player.close();
    // While a G waits for the read, its message carries the percent: no frame of its own for it.
    const m2 = manualTape(bytes, 40);
    const tm2 = new TimeMachine(textRecording(bytes), () => newSession(FILE), { readElsewhere: m2.readElsewhere });
    const waiting = replayPlayer(tm2, { speed: 1, paused: true, cores: 1, onTick: () => ticks++ });
    const said: string[] = [];
    waiting.onSeekMessage!((text) => said.push(text));
    expect(waiting.seek!({ to: 'end' })).toMatch(/^reading the file to get there: 0%/);
    ticks = 0;
    while (m2.left > 1) m2.deliver();
    expect(ticks).toBe(0);
    expect(said[0]).toMatch(/^reading the file to get there: [1-9]\d*%/);
    m2.deliver();
    // All read: the status bar drops its percent.
    expect(ticks).toBe(1);
    waiting.close();
  });

  it('when the thread recording the tape fails, it parses here and goes back to where it was in the background', async () => {
    const bytes = readFileSync(resolve(root, FILE));
    const m = manualTape(bytes, 3);
    const tm = new TimeMachine(textRecording(bytes), () => newSession(FILE), { readElsewhere: m.readElsewhere });
    const player = replayPlayer(tm, { speed: 1, paused: true, backgroundSeek: 10 });
    const r = await renderApp(tm, { replay: player }, { columns: 120, rows: 40 });
    opened.push({ r, player });
    m.deliver();
    const first = m.chunks[0]!.itemEnd.length;
    tm.advance(first);
    expect(tm.pos).toBe(first);
    m.fail('the parse worker stopped (exit code 1)');
    expect(tm.readsElsewhere).toBe(false);
    // Not parsed back there in the same call (that could take tens of seconds): a seek in slices.
    expect(tm.pos).toBe(0);
    await r.waitFor(`at line ${first}`);
    expect(tm.pos).toBe(first);
    await expectPanes(r, await freshPanes(FILE, first));
  });

  it('plays a plain log at a pace in lines per second, shown in the status bar; + and - change it', async () => {
    const { r } = await machine(FILE);
    expect(r.frame()).toContain('paused (50 lines/s)');
    await r.press('+');
    expect(r.frame()).toContain('speed 100 lines/s');
    await r.press('-', '-');
    expect(r.frame()).toContain('speed 25 lines/s');
  });
});
