import type { DeviceEvent, Line, Prefixed } from './events.ts';

/**
 * A parser for one family of device lines (mbedTLS, PSA, PEM, MQTT, app). It is fed every
 * prefixed segment of every line, in order, and returns the events it recognised (usually
 * none). It may keep state across lines (hex dumps, certificate blocks, multi-line MQTT
 * messages) but does no I/O. `flush` is called once at the end of the input.
 */
export interface FamilyParser {
  feed(segment: Prefixed, line: Line): DeviceEvent[];
  flush?(): DeviceEvent[];
}
