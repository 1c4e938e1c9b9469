/**
 * Numbers as the device printed them, checked where they are parsed. A UART line can say
 * anything (`msglen = ` and 400 digits, a clock of 2^64-1 from a board without an RTC): a
 * number that no field of the protocol can hold becomes a tls.anomaly naming the line, never
 * Infinity (which JSON prints as null), a rounded float beyond 2^53, or an exception.
 */
import type { Base, DeviceEvent } from './events.ts';

/** The largest value of a one-, two- and three-byte wire field (alert, record length, handshake length). */
export const U8 = 0xff;
export const U16 = 0xffff;
export const U24 = 0xffffff;

/** Decimal digits as a number when it is at most `max` (at most 2^53 - 1); null otherwise. */
export function boundedInt(digits: string | undefined, max: number = Number.MAX_SAFE_INTEGER): number | null {
  if (digits === undefined || digits.length === 0 || digits.length > 16) return null;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = Number(digits);
  return n <= max && n <= Number.MAX_SAFE_INTEGER ? n : null;
}

/** A short quote of a printed number: 400 digits are shown as their head and their count. */
export function quoteNumber(digits: string): string {
  return digits.length > 20 ? `${digits.slice(0, 12)}… (${digits.length} digits)` : digits;
}

/**
 * Reads the named wire fields of one line: their numbers in order, or null after pushing one
 * tls.anomaly that names every field out of range (the line's event is then not emitted: a
 * record of 10^400 bytes is no record).
 */
export function wireFields(out: DeviceEvent[], at: Base, what: string, fields: ReadonlyArray<readonly [name: string, digits: string | undefined, max: number]>): number[] | null {
  const values: number[] = [];
  const bad: string[] = [];
  for (const [name, digits, max] of fields) {
    const n = boundedInt(digits, max);
    if (n === null) bad.push(`${name} = ${quoteNumber(digits ?? '')} (at most ${max})`);
    else values.push(n);
  }
  if (bad.length === 0) return values;
  out.push({ kind: 'tls.anomaly', t: at.t, line: at.line, ctx: at.ctx ?? null, message: `${what} out of range: ${bad.join(', ')}` });
  return null;
}
