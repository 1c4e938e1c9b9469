/** The session's public types: the contracts (src/contracts) it produces, under the names views have always imported. */
export * from '../contracts/summary.ts';
export * from '../contracts/snapshot.ts';
export type { SessionEvent, NdjsonLine } from '../contracts/events.ts';
export type { HandshakeDisplay, Rung, RungMark, RecordDisplay } from '../contracts/snapshot.ts';
