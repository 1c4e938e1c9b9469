// Numbers a device prints are checked where they are parsed (issue 15): 400 digits, 2^64 - 1 from a
// board without an RTC, values wider than their wire field. Each becomes a tls.anomaly on its line;
// no event carries Infinity, NaN or an unsafe integer, and nothing throws.
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, Line } from '../../parsers/events.ts';
import { boundedInt, quoteNumber, wireFields } from '../../parsers/device-number.ts';
import { createParsers } from '../../src/session/parsers.ts';
import { segments } from './mbedtls-helpers.ts';

const D400 = '9'.repeat(400);

/** Every built-in family, as the session feeds them. */
function runAll(lines: readonly string[]): DeviceEvent[] {
  const parsers = createParsers({});
  const out: DeviceEvent[] = [];
  lines.forEach((text, seq) => {
    const line: Line = { seq, t: seq, text };
    for (const s of segments(text)) for (const p of parsers) out.push(...p.feed(s, line));
  });
  for (const p of parsers) out.push(...(p.flush?.() ?? []));
  return out;
}

/** Every number anywhere in an event is a safe integer or a finite float. */
function numbersOf(v: unknown, acc: number[] = []): number[] {
  if (typeof v === 'number') acc.push(v);
  else if (Array.isArray(v)) v.forEach((x) => numbersOf(x, acc));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => numbersOf(x, acc));
  return acc;
}

describe('boundedInt', () => {
  it.each([
    ['0', 255, 0],
    ['255', 255, 255],
    ['256', 255, null],
    ['9007199254740991', undefined, 9007199254740991],
    ['9007199254740992', undefined, null],
    [D400, undefined, null],
    ['', undefined, null],
    ['12a', undefined, null],
  ])('boundedInt(%j, %j) = %j', (digits, max, want) => {
    expect(boundedInt(digits, max)).toBe(want);
  });

  it('quotes a long number by its head and its length', () => {
    expect(quoteNumber(D400)).toBe('999999999999… (400 digits)');
    expect(quoteNumber('123')).toBe('123');
  });

  it('wireFields names every field out of range in one anomaly', () => {
    const out: DeviceEvent[] = [];
    expect(wireFields(out, { t: 5, line: 7 }, 'x', [['a', '1', 255], ['b', '300', 255], ['c', D400, 65535]])).toBeNull();
    expect(out).toEqual([{ kind: 'tls.anomaly', t: 5, line: 7, ctx: null, message: 'x out of range: b = 300 (at most 255), c = 999999999999… (400 digits) (at most 65535)' }]);
  });
});

describe('absurd numbers from the device', () => {
  const lines = [
    // The line a board without an RTC prints: (mbedtls_time_t)-1 as an unsigned 64-bit number.
    'ssl_client.c:0724: |3| client hello, current time: 18446744073709551615',
    `ssl_msg.c:3242: |3| handshake message: msglen = ${D400}, type = 2, hslen = 122`,
    `ssl_msg.c:4803: |3| got an alert message, type: [2:${D400}]`,
    `ssl_msg.c:4815: |1| is a fatal alert message (msg ${D400})`,
    `ssl_msg.c:5025: |2| send alert level=${D400} message=40`,
    `ssl_msg.c:3999: |3| input record: msgtype = 22, version = [0x303], msglen = ${D400}`,
    'ssl_msg.c:3031: |3| output record: msgtype = 22, version = [3:3], msglen = 70000',
    `ssl_tls.c:4567: |3| dumping 'input record from network' (${D400} bytes)`,
    `ssl_msg.c:1234: |1| alloc(${D400} bytes) failed`,
    `hsmon: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=${D400}`,
    `Retrying in ${D400} ms. Retries left: -${D400}`,
  ];

  it('become one tls.anomaly per line, and no event holds a number that is not a safe integer', () => {
    const events = runAll(lines);
    for (const n of numbersOf(events)) expect(Number.isSafeInteger(n), String(n)).toBe(true);
    const anomalies = events.filter((e) => e.kind === 'tls.anomaly');
    // Lines 0–8 (grep -c 'out of range\|no date' would count one per line): the clock, the
    // handshake message, three alerts, two records, the dump and the alloc.
    expect(anomalies.map((a) => a.line)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(anomalies[0]).toMatchObject({ message: 'device clock is no date: current time 18446744073709551615 s since 1970' });
    expect(anomalies[1]).toMatchObject({ message: 'handshake message out of range: msglen = 999999999999… (400 digits) (at most 16777215)' });
    expect(anomalies[6]).toMatchObject({ message: 'output record out of range: msglen = 70000 (at most 65535)' });
    // None of those lines yields its own kind of event.
    expect(events.filter((e) => ['device.clock', 'tls.hsmsg', 'tls.alert', 'tls.record', 'tls.hexdump'].includes(e.kind))).toEqual([]);
    // The key keeps its valid fields; the absurd size is null.
    expect(events.find((e) => e.kind === 'psa.key')).toMatchObject({ id: 1, type: 'ECC_KEY_PAIR(SECP_R1)', bits: null });
    expect(events.find((e) => e.kind === 'mqtt.retry')).toMatchObject({ delayMs: null, retriesLeft: null });
  });

  it('the largest clock a Date holds is still a date; one second more is not', () => {
    // 8.64e12 s is 8.64e15 ms, the end of ECMAScript time: +275760-09-13T00:00:00.000Z.
    const clock = (s: string) => runAll([`ssl_client.c:0724: |3| client hello, current time: ${s}`]).filter((e) => e.kind === 'device.clock' || e.kind === 'tls.anomaly');
    expect(clock('8640000000000')).toMatchObject([{ kind: 'device.clock', iso: '+275760-09-13T00:00:00.000Z' }]);
    expect(clock('8640000000001')).toMatchObject([{ kind: 'tls.anomaly' }]);
  });
});
