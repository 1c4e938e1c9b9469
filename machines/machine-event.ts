import type { DeviceEvent, EventKind, EventOf } from '../parsers/events.ts';

/**
 * XState wants a `type` on events; parser events carry `kind` (their NDJSON name) and may have
 * a `type` field of their own (a handshake message type). So machines receive the parser event
 * wrapped: `{ type: kind, e: event }`.
 */
export type MachineEvent = { [K in EventKind]: { type: K; e: EventOf<K> } }[EventKind];

export const toMachineEvent = (e: DeviceEvent): MachineEvent => ({ type: e.kind, e }) as MachineEvent;
