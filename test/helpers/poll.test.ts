/** The wait helper every e2e test uses: what it returns, and what its failure says. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { nextEvent, poll } from './poll.ts';

describe('poll', () => {
  it('resolves with the first truthy value of the probe', async () => {
    let n = 0;
    await expect(poll('the third check', () => (++n >= 3 ? { n } : null), { intervalMs: 1 })).resolves.toEqual({ n: 3 });
  });

  it('names what it waited for, the deadline, the last state and the last error', async () => {
    const err = await poll('the port to open', () => {
      throw new Error('EBUSY');
    }, { timeoutMs: 30, intervalMs: 5, last: () => 'status: reconnecting' }).catch((e: Error) => e);
    expect(String(err)).toBe('Error: timed out after 30 ms waiting for the port to open; the last check threw: EBUSY; last seen:\nstatus: reconnecting');
  });

  it('nextEvent gives the event arguments, or says which event did not come', async () => {
    const em = new EventEmitter();
    const got = nextEvent(em, 'data', 'the first chunk');
    em.emit('data', 'a', 1);
    await expect(got).resolves.toEqual(['a', 1]);
    await expect(nextEvent(em, 'close', 'the port to close', 20)).rejects.toThrow("timed out after 20 ms waiting for the port to close ('close')");
    expect(em.listenerCount('close')).toBe(0);
  });
});
