/**
 * No bytes lost on reconnect, through a socat pty and the real `hsmon monitor`: the short CI
 * version of the fault script's unplug test (npm run faults runs 50 cycles), and the direct
 * check of where the bytes went before: serialport's open flushes what the tty holds.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { flushDemo, runUnplug } from '../bench/faults/unplug.ts';
import { createPtyPair } from '../../src/io/pty.ts';
import { openSerialSource } from '../../src/io/serial.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped test/e2e/unplug.test.ts: socat is not installed');

describe.runIf(hasSocat)('serial reconnect without loss', () => {
  it("serialport's open flushes the bytes a tty holds; hsmon's open (stand-in rate, then stty) keeps them", async () => {
    const r = await flushDemo(3000);
    expect(r.serialportOpen).toBe(0); // tcflush(TCIOFLUSH) in bindings-cpp's setBaudRate
    expect(r.preReadOnly).toBe(3000); // read before the flush (the fallback off Linux)
    expect(r.noFlushOpen).toBe(3000); // the termios2 path of bindings-cpp has no tcflush
  });

  it('the port ends up at the exact rate asked for, not the stand-in it was opened with', async () => {
    const pair = await createPtyPair();
    try {
      // (Rates outside the table, 74880, are set through termios2 and stty shows them as 0.)
      for (const baud of [921600, 115200]) {
        const src = await openSerialSource({ path: pair.b, baud, reconnect: false });
        // What the kernel holds for the line, read back the way a user would check it.
        const speed = /speed (\d+) baud/.exec(spawnSync('stty', ['-F', pair.b], { encoding: 'utf8' }).stdout)?.[1];
        await src.close();
        expect(Number(speed)).toBe(baud);
      }
    } finally {
      await pair.close();
    }
  });

  it('5 unplug/replug cycles at 921600 baud: nothing lost (boot bursts written during the reopen included), none glued, each half line its own', async () => {
    const r = await runUnplug({ cycles: 5, linesPerCycle: 200, burstLines: 50 });
    expect(r.written).toBe(5 * 200 + 4 * 50);
    // The open no longer flushes (exact-baud.ts): a boot burst that arrives while hsmon reopens
    // the port stays in the tty's queue until it reads it.
    expect(r.lost, r.lostRanges.join(' ')).toBe(0);
    expect(r.glued).toBe(0);
    expect(r.halvesKept).toBe(5);
    expect(r.reconnectMs).toHaveLength(4);
  }, 120_000);
});
