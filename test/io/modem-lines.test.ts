/**
 * A reset needs DTR/RTS; a socat pseudo-terminal (what the e2e tests and many bench setups use
 * in place of a USB bridge) has none. The monitor says so before asking to reset.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { createPtyPair } from '../../src/io/pty.ts';
import { modemLinesError, modemLinesNote } from '../../src/io/modem-lines.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipping the pty modem-line test: socat is not installed (apt-get install socat)');

describe('modem lines', () => {
  it.skipIf(!hasSocat)('names a socat pty as having no DTR/RTS, and turns its ENOTTY into words', async () => {
    const pair = await createPtyPair();
    try {
      expect(modemLinesNote(`${pair.b} @ 115200`)).toMatch(/is a pseudo-terminal \(\/dev\/pts\/\d+\): it has no DTR\/RTS lines/);
      // What the port really answers when a reset sets the lines:
      const port = new SerialPort({ path: pair.b, baudRate: 115200, autoOpen: false });
      await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
      const err = await new Promise<Error | null>((res) => port.set({ dtr: false, rts: true }, (e) => res(e ?? null)));
      await new Promise<void>((res) => port.close(() => res()));
      expect(err?.message).toMatch(/Inappropriate ioctl/);
      expect(modemLinesError(err, `${pair.b} @ 115200`).message).toBe(`${pair.b} has no DTR/RTS lines (a pseudo-terminal or a USB bridge without them): reset the board by hand`);
    } finally {
      await pair.close();
    }
  });

  it('says nothing about a path that is no pty or does not exist', () => {
    expect(modemLinesNote('/dev/null @ 9600')).toBeNull();
    expect(modemLinesNote('/no/such/port')).toBeNull();
  });
});
