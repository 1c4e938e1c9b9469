import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainOpenError, findHolders } from '../../src/io/serial.ts';
import { poll } from '../helpers/poll.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hsmon-oe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('explainOpenError', () => {
  it('missing path: names it and points to `hsmon ports`', () => {
    expect(explainOpenError(new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), '/dev/ttyUSB9'))
      .toBe('no such device: /dev/ttyUSB9 — run `hsmon ports` to list serial ports');
  });

  it('a regular file and a directory are not serial ports', () => {
    const file = join(dir, 'capture.log');
    writeFileSync(file, 'x');
    expect(explainOpenError(new Error('Inappropriate ioctl for device'), file)).toBe(
      `not a serial port: ${file} is a regular file (to read a log, use \`hsmon replay ${file}\`)`,
    );
    expect(explainOpenError(new Error('Error: Is a directory, cannot open'), dir)).toBe(`not a serial port: ${dir} is a directory`);
  });

  it('permission denied suggests the dialout group', () => {
    const msg = explainOpenError(errno('EACCES', 'Error: Permission denied, cannot open /dev/null'), '/dev/null');
    expect(msg).toContain('permission denied: /dev/null');
    expect(msg).toContain('sudo usermod -aG dialout $USER');
    expect(msg).toContain('log out and in again');
  });

  it('busy: says who holds the device when /proc shows it', async () => {
    const dev = join(dir, 'ttyFAKE');
    writeFileSync(dev, '');
    const holder = spawn('sh', ['-c', `exec sleep 30 3<"${dev}"`], { stdio: 'ignore' });
    try {
      const holders = await poll('the holder of the device in /proc', () => {
        const h = findHolders(dev);
        return h.length > 0 ? h : null;
      }, { timeoutMs: 2000 });
      expect(holders).toContain(`sleep (pid ${holder.pid})`);
      // statSync says "file" for our stand-in, so test the busy wording through a path that is not one.
      const msg = explainOpenError(new Error('Error Resource temporarily unavailable Cannot lock port'), '/dev/null');
      expect(msg).toMatch(/^port busy: \/dev\/null — /);
      expect(msg).toContain('try again');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('other errors keep the system message on one line', () => {
    expect(explainOpenError(new Error('Error: Input/output error\n setting custom baud rate'), '/dev/null')).toBe(
      'cannot open /dev/null: Input/output error setting custom baud rate',
    );
  });
});
