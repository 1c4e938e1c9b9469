/**
 * The device watch behind serial reconnects: a change in the folder that holds the device path
 * is noticed by fs.watch at once; a folder that does not exist yet (no /dev/serial/by-id before
 * the first USB serial device) is covered by the poll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchDevicePaths } from '../../src/io/device-watch.ts';
import { poll } from '../helpers/poll.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('watchDevicePaths', () => {
  it('a device link appearing in its folder is noticed by the watch, before any poll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-watch-'));
    dirs.push(dir);
    let hints = 0;
    // A poll period far beyond the test's deadline: only the watch can call back in time.
    const w = watchDevicePaths([join(dir, 'ttyACM0')], 3_600_000, () => hints++);
    try {
      writeFileSync(join(dir, 'ttyACM0'), '');
      await poll('a hint from fs.watch', () => hints > 0, { timeoutMs: 5000 });
    } finally {
      w.stop();
    }
    expect(hints).toBeGreaterThan(0);
  });

  it('a folder that does not exist yet: the poll calls back every period, and stop() ends it', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let hints = 0;
    const w = watchDevicePaths(['/dev/serial/by-id-hsmon-missing/usb-board'], 20, () => hints++);
    vi.advanceTimersByTime(100);
    expect(hints).toBe(5);
    w.stop();
    vi.advanceTimersByTime(100);
    expect(hints).toBe(5);
  });
});
