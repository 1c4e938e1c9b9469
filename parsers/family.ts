import type { DeviceEvent, Line, Prefixed } from './events.ts';

/**
 * A parser for one family of device lines (mbedTLS, PSA, PEM, MQTT, app). It is fed every
 * prefixed segment of every line, in order, and returns the events it recognised (usually
 * none). It may keep state across lines (hex dumps, certificate blocks, multi-line MQTT
 * messages) but does no I/O. `flush` is called once at the end of the input.
 *
 * The returned array belongs to the caller for reading only: it may be the shared, frozen
 * NO_EVENTS (most lines produce nothing, and a new array per line and parser is measurable).
 */
export interface FamilyParser {
  feed(segment: Prefixed, line: Line): DeviceEvent[];
  flush?(): DeviceEvent[];
  /**
   * Asked before an mbedTLS hex dump row (parsers/mbedtls/hex-row.ts) is fed: false promises
   * that feeding it now would yield nothing and change nothing, so the caller may skip the
   * call. Rows are half the lines of a debug-4 log and most families have no use for them.
   * Absent: the parser is fed every row.
   */
  wantsHexRow?(): boolean;
}

/** A parser that always answers wantsHexRow (all the built-in ones). */
export type RowAwareParser = FamilyParser & { wantsHexRow(): boolean };

/** What `feed` returns for the many lines that yield no event: one shared, frozen array. */
export const NO_EVENTS: DeviceEvent[] = Object.freeze([]) as unknown as DeviceEvent[];
