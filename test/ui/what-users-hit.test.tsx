/** The small things a first user ran into, each as they would see it. */
import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';
import { makeTheme } from '../../src/ui/theme.ts';
import type { DeviceControls } from '../../src/ui/controls.ts';
import { groupFindings } from '../../src/ui/panes/findings/model.ts';
import { corpusSession, renderApp, staticStore, KEYS, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('what users hit', () => {
  it('numbers lines sent to the device and hsmon notes on their own, device lines keep theirs', async () => {
    const s = createSession({ source: { type: 'serial', name: '/dev/ttyUSB0' } });
    s.feed(enc('boot line one\nboot line two\n'), 0);
    s.tx(enc('help\n'), 1);
    s.note('port reconnected', 2);
    s.feed(enc('after the command\n'), 3);
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('6');
    const f = r.frame();
    expect(f).toMatch(/│ *2 {3}boot line two/);
    expect(f).toMatch(/│ *t1 ▶ help/);
    expect(f).toMatch(/│ *m1 ! --- port reconnected/);
    // the device's third line is line 3, not 4 or 5
    expect(f).toMatch(/│ *3 {3}after the command/);
  });

  it('says since when the port is gone, and how long it was gone when it is back', async () => {
    const s = createSession({ source: { type: 'serial', name: '/dev/ttyUSB0', baud: 115200 } });
    s.setStatus({ state: 'open' }, 0);
    s.feed(enc('client state: MBEDTLS_SSL_CLIENT_HELLO\n'), 1000);
    s.setStatus({ state: 'reconnecting', detail: '/dev/ttyUSB0 vanished' }, 5000);
    // a second report while it is still gone keeps the first time
    s.setStatus({ state: 'reconnecting', detail: '/dev/ttyUSB0 vanished (still)' }, 9000);
    r = await renderApp(s, {}, { columns: 120, rows: 40 });
    expect(r.frame()).toContain('disconnected since 0:05.0 — reconnecting…: /dev/ttyUSB0 vanished (still)');
    s.setStatus({ state: 'open' }, 17_300);
    await r.press('6');
    // 17.3 s - 5.0 s
    await r.waitFor('--- port reconnected after 12.3 s away');
    expect(r.frame()).not.toContain('disconnected since');
  });

  it('says "garbled input — check the baud rate" while garbage arrives, not "waiting for the device"', async () => {
    const s = createSession({ source: { type: 'serial', name: '/dev/ttyUSB0', baud: 115200 } });
    s.setStatus({ state: 'open' });
    // bytes a 115200 baud line read at 9600 looks like: high bytes, no line structure
    const junk = new Uint8Array(4096);
    let x = 7;
    for (let i = 0; i < junk.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      junk[i] = 0x80 | (x >>> 24) % 0x80;
    }
    s.feed(junk, 0);
    r = await renderApp(s, {}, { columns: 120, rows: 30 });
    expect(r.frame()).toContain('garbled input — check the baud rate');
    expect(r.frame()).not.toContain('waiting for the device');
  });

  it('says "no handshake in this file" at the end of a replay without one', async () => {
    const s = createSession({ source: { type: 'file', name: 'notes.log' } });
    s.feed(enc('hello\nworld\n'), 0);
    r = await renderApp(s, {}, { columns: 120, rows: 30 });
    // Not "waiting for the device": a file has a handshake further on, or none.
    expect(r.frame()).toContain('no handshake yet');
    expect(r.frame()).not.toContain('waiting for the device');
    s.setStatus({ state: 'ended' });
    s.end();
    await r.waitFor('no handshake in this file');
  });

  it('replaces "sending:" with "sent:" once the command finished', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    let finish!: () => void;
    const device: DeviceControls = {
      commands: [{ id: 'retry', key: 'r', label: 'run the connection again' }],
      run: () => new Promise<void>((res) => (finish = res)),
      sendLine: async () => {},
      sendRaw: async () => {},
    };
    r = await renderApp(s, { device }, { columns: 120, rows: 30 });
    await r.press('r');
    expect(r.frame()).toContain('sending: run the connection again');
    finish();
    await r.waitFor('sent: run the connection again');
    expect(r.frame()).not.toContain('sending:');
  });

  it('says before the y/n question that a reset cannot work on a port without modem lines', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    const device: DeviceControls = {
      commands: [{ id: 'reset', key: 'R', label: 'reset the board', confirm: 'Reset the board?', note: '/dev/pts/3 is a pseudo-terminal: it has no DTR/RTS lines, so this reset cannot work.' }],
      run: async () => {},
      sendLine: async () => {},
      sendRaw: async () => {},
    };
    r = await renderApp(s, { device }, { columns: 160, rows: 30 });
    await r.press('R');
    expect(r.frame()).toContain('/dev/pts/3 is a pseudo-terminal: it has no DTR/RTS lines, so this reset cannot work. Reset the board? y/n');
    await r.press(KEYS.escape);
    expect(r.frame()).toContain('cancelled');
  });

  it('with NO_COLOR marks the focused pane in text', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, { theme: makeTheme({ NO_COLOR: '1' }) }, { columns: 120, rows: 30 });
    expect(r.frame()).toContain('┌─[1 Handshake]─');
    await r.press('7');
    expect(r.frame()).toContain('┌─[7 Findings]─');
    expect(r.frame()).toContain('┌─ 1 Handshake ─');
    await r.resize(80, 24);
    expect(r.frame().split('\n')[0]).toContain('[7 Findings (1)]');
  });

  it('groups identical findings from repeated attempts, every evidence line kept', async () => {
    const base = (await corpusSession('recordings/tls12_server_untrusted.log')).getSnapshot();
    const f = base.findings.find((x) => x.code === 'server-cert-untrusted')!;
    const findings = [{ ...f, line: 100, handshake: 0 }, { ...f, line: 200, handshake: 1 }, { ...f, line: 320, handshake: 2 }];
    expect(groupFindings(findings).map((g) => g.occurrences.length)).toEqual([3]);
    r = await renderApp(staticStore({ ...base, findings }), {}, { columns: 120, rows: 40 });
    await r.press('7');
    expect(r.frame()).toContain('ERROR 3 attempts: ');
    await r.press(KEYS.enter);
    expect(r.frame()).toContain('attempts');
    expect(r.frame()).toMatch(/3: line 101 \(handshake #1\), line 201 \(handshake #2\), line 321 \(handshake #3\)/);
  });
});
