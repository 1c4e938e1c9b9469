import { describe, expect, it } from 'vitest';
import { formatResetSequence, parseResetSequence } from '../../src/commands/reset-sequence.ts';

describe('parseResetSequence', () => {
  it('parses the esp-idf-monitor notation', () => {
    expect(parseResetSequence('U0,1|W0.1|D1|R0|W0.5|D0')).toEqual([
      { op: 'set', dtr: false, rts: true },
      { op: 'wait', ms: 100 },
      { op: 'set', dtr: true },
      { op: 'set', rts: false },
      { op: 'wait', ms: 500 },
      { op: 'set', dtr: false },
    ]);
  });

  it('accepts spaces and lower case', () => {
    expect(parseResetSequence(' d0 | r1 | w.05 ')).toEqual([
      { op: 'set', dtr: false },
      { op: 'set', rts: true },
      { op: 'wait', ms: 50 },
    ]);
  });

  it.each([
    ['', /empty reset sequence/],
    ['D2', /step 1 "D2": expected 0 or 1, got "2"/],
    ['D0|X1', /step 2 "X1": unknown step/],
    ['U1', /step 1 "U1": U takes DTR,RTS/],
    ['W', /step 1 "W": W takes seconds/],
    ['D0|R1|W100|R0', /step 3 "W100": waits 100 s; W takes seconds \(W0.1 is 100 ms\)/],
  ])('rejects %j with a message naming the step', (text, msg) => {
    expect(() => parseResetSequence(text)).toThrow(msg);
  });

  it('formats back to the same text', () => {
    const text = 'U0,1|W0.1|D1|R0|W0.5|D0';
    expect(formatResetSequence(parseResetSequence(text))).toBe(text);
  });
});
