/** The cursor semantics of the MCP events tool, on the bounded ring itself. */
import { describe, expect, it } from 'vitest';
import { EventLog, kindMatcher } from '../../src/mcp/event-log.ts';

const ev = (i: number, kind = 'tls.state') => ({ kind, t: i, line: i });

describe('EventLog', () => {
  it('pages from a cursor without losing or repeating, and says when more wait', () => {
    const log = new EventLog(100);
    for (let i = 0; i < 10; i++) log.push(ev(i));
    const a = log.page(0, 4);
    const b = log.page(a.next, 4);
    const c = log.page(b.next, 4);
    expect([a.more, b.more, c.more]).toEqual([true, true, false]);
    expect([...a.events, ...b.events, ...c.events].map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(c.next).toBe(10);
    log.push(ev(10));
    expect(log.page(c.next, 4).events.map((e) => e.seq)).toEqual([10]);
  });

  it('counts the events the ring dropped before the reader saw them', () => {
    const log = new EventLog(5);
    for (let i = 0; i < 12; i++) log.push(ev(i));
    const p = log.page(3, 100);
    expect(p.dropped).toBe(4);
    expect(p.events.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11]);
    expect(log.at(6)).toBeUndefined();
    expect(log.at(7)).toMatchObject({ t: 7 });
  });

  it('a filtered page advances the cursor over what it skipped', () => {
    const log = new EventLog(100);
    ['tls.state', 'mqtt.message', 'tls.alert', 'psa.call', 'tls.state'].forEach((k, i) => log.push(ev(i, k)));
    const match = kindMatcher(['tls.alert', 'psa.']);
    const p = log.page(0, 1, (e) => match(e.kind));
    expect(p.events.map((e) => e.kind)).toEqual(['tls.alert']);
    expect(p.next).toBe(3);
    expect(p.more).toBe(true);
    const q = log.page(p.next, 10, (e) => match(e.kind));
    expect(q.events.map((e) => e.kind)).toEqual(['psa.call']);
    expect(q).toMatchObject({ next: 5, more: false });
  });

  it('find returns the first match at or after the cursor', () => {
    const log = new EventLog(100);
    ['a', 'b', 'a'].forEach((k, i) => log.push(ev(i, k)));
    expect(log.find(1, (e) => e.kind === 'a')?.seq).toBe(2);
    expect(log.find(3, (e) => e.kind === 'a')).toBeNull();
  });
});
