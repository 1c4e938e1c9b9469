import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';
import type { DeviceControls, ReplayControls, Speed } from '../../src/ui/controls.ts';
import { corpusSession, renderApp, KEYS, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

function fakeReplay(): ReplayControls & { calls: string[] } {
  let paused = false;
  let speed: Speed = 1;
  const calls: string[] = [];
  return {
    calls,
    get paused() { return paused; },
    get speed() { return speed; },
    pause() { paused = true; calls.push('pause'); },
    resume() { paused = false; calls.push('resume'); },
    step() { calls.push('step'); },
    setSpeed(s) { speed = s; calls.push(`speed ${s}`); },
    progress: () => ({ bytesRead: 512, totalBytes: 1024 }),
  };
}

describe('replay keys', () => {
  it('space pauses and plays, +/- change speed, the status bar says so', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    const replay = fakeReplay();
    r = await renderApp(s, { replay }, { columns: 100, rows: 30 });
    expect(r.frame()).toContain('replay recordings/tls12_server_untrusted.log');
    expect(r.frame()).toContain('50% · 1×');
    await r.press(' ');
    expect(r.frame()).toContain('50% · paused');
    await r.press(' ', '+', '+', '-', '-', '-');
    expect(replay.calls).toEqual(['pause', 'resume', 'speed 2', 'speed 5', 'speed 2', 'speed 1', 'speed 0.5']);
    expect(r.frame()).toContain('0.5×');
  });

  it('without the time machine, → asks the source for the next event and ← says it cannot go back', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    const replay = fakeReplay();
    r = await renderApp(s, { replay }, { columns: 100, rows: 40 });
    await r.press(KEYS.right);
    expect(replay.calls).toEqual(['pause', 'step']);
    await r.press(KEYS.left);
    expect(r.frame()).toContain('this replay cannot step back');
    expect(replay.calls).toEqual(['pause', 'step']);
  });

  it('g goes to the start, G to the end', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, { replay: fakeReplay() }, { columns: 100, rows: 30 });
    await r.press('6', 'g');
    expect(r.frame()).toContain('at line 1 ');
    await r.press('G');
    expect(r.frame()).toContain('following');
  });
});

describe('device keys', () => {
  function fakeDevice(): DeviceControls & { log: string[] } {
    const log: string[] = [];
    return {
      log,
      commands: [
        { id: 'retry-connect', key: 'r', label: 'run the connection again' },
        { id: 'reset', key: 'R', label: 'reset the board', confirm: 'Reset the board?' },
      ],
      async run(id) { log.push(`run ${id}`); },
      async sendLine(text) { log.push(`line ${text}`); },
      async sendRaw(bytes) { log.push(`raw ${[...bytes].join(',')}`); },
    };
  }

  it('runs a command, asks first for a destructive one, types a line, sends Ctrl+C raw after Ctrl+T', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    const device = fakeDevice();
    r = await renderApp(s, { device }, { columns: 100, rows: 30 });
    await r.press('r');
    await r.press('R');
    expect(r.frame()).toContain('Reset the board? y/n');
    await r.press('n');
    expect(r.frame()).toContain('cancelled');
    await r.press('R', 'y');
    await r.press(':', 'h', 'i', KEYS.enter);
    await r.press(KEYS.ctrlT, KEYS.ctrlC);
    expect(device.log).toEqual(['run retry-connect', 'run reset', 'line hi', 'raw 3']);
    // Ctrl+C after Ctrl+T went to the device; the monitor is still there
    expect(r.frame()).toContain('1 Handshake');
  });

  it('binds the device commands in the help overlay', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    r = await renderApp(s, { device: fakeDevice() }, { columns: 120, rows: 30 });
    await r.press('?');
    expect(r.frame()).toContain('run the connection again');
    expect(r.frame()).toContain('reset the board (asks first)');
  });
});

describe('quit and throttling', () => {
  it('q calls onQuit once', async () => {
    const s = await corpusSession('recordings/tls12_server_untrusted.log');
    let quits = 0;
    r = await renderApp(s, { onQuit: () => quits++ }, { columns: 100, rows: 30 });
    await r.press('q');
    expect(quits).toBe(1);
  });

  it('renders at most once per 33 ms however often the store changes (fake clock)', async () => {
    const s = createSession({ diagnosis: null, source: { type: 'file', name: 'flood' } });
    r = await renderApp(s, { throttleMs: 33 }, { columns: 100, rows: 30 });
    const before = r.frames().length;
    const line = new TextEncoder().encode('ssl_tls.c:4670: |2| => handshake\n');
    // The throttle's clock and timers are faked; React's scheduler (setImmediate) is not, so
    // the renders the throttle lets through still happen. 330 ms of changes, 3300 of them.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      for (let ms = 0; ms < 330; ms += 5) {
        for (let i = 0; i < 50; i++) s.feed(line, 0);
        vi.advanceTimersByTime(5);
        await new Promise((res) => setImmediate(res));
      }
      vi.advanceTimersByTime(33);
      await new Promise((res) => setImmediate(res));
      await new Promise((res) => setImmediate(res));
    } finally {
      vi.useRealTimers();
    }
    const renders = r.frames().length - before;
    expect(s.lines).toBe(3300);
    // One frame per 33 ms of the 363 ms that passed: 11, give or take the first and the last.
    expect(renders).toBeGreaterThanOrEqual(10);
    expect(renders).toBeLessThanOrEqual(12);
  });
});
