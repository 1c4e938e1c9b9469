import { describe, expect, it } from 'vitest';
import { Wakeup } from '../../src/util/wakeup.ts';

describe('Wakeup', () => {
  it('until() returns at once when ready, else at the first wake() after which it is ready', async () => {
    const w = new Wakeup();
    await w.until(() => true);
    let credits = 0;
    let done = false;
    const waiting = w.until(() => credits >= 2).then(() => (done = true));
    credits = 1;
    w.wake();
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toBe(false);
    credits = 2;
    w.wake();
    await waiting;
    expect(done).toBe(true);
  });

  it('a wake() with no one waiting is not kept for a later wait', async () => {
    const w = new Wakeup();
    w.wake();
    let woken = false;
    void w.next().then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    w.wake();
    await Promise.resolve();
    expect(woken).toBe(true);
  });
});
