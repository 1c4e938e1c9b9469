/**
 * An attempt that ended long ago, as the session keeps it for the summary and the attempt list
 * (HandshakeTracker keeps up to 2000): its summary fields and the few the views read, without
 * the per-record and per-visit detail, and without strings that hold on to the log's lines.
 * A name cut from a line (a ciphersuite, a certificate subject) is a view into that line, which
 * then stays in memory for as long as the attempt does; state names become the table's copies.
 * About 1 KB an attempt instead of 10, so memory no longer grows with a long log's length.
 */
import { sharedStateName } from '../../parsers/tables/states.ts';
import { ownCopy } from '../../parsers/own-copy.ts';
import type { HandshakeView } from './types.ts';

/** How many of the attempt's errors and anomalies a compacted view keeps (the last ones). */
const KEEP_NOTES = 3;

export function compactView(v: HandshakeView): HandshakeView {
  const durations: Record<string, number> = {};
  for (const [state, ms] of Object.entries(v.stateDurationsMs)) durations[sharedStateName(state)] = ms;
  return {
    ...v,
    connection: own(v.connection),
    ciphersuite: own(v.ciphersuite),
    states: v.states.map(sharedStateName),
    failedAt: v.failedAt === null ? null : sharedStateName(v.failedAt),
    current: v.current === null ? null : sharedStateName(v.current),
    stateDurationsMs: durations,
    peerCertificates: v.peerCertificates.map((c) => ({ subject: own(c.subject), issuer: own(c.issuer) })),
    visits: [],
    recordList: [],
    messages: [],
    offeredCiphersuites: v.offeredCiphersuites.map((c) => ({ id: c.id, name: ownCopy(c.name) })),
    errors: v.errors.slice(-KEEP_NOTES),
    anomalies: v.anomalies.slice(-KEEP_NOTES),
  };
}

function own(s: string | null): string | null {
  return s === null ? null : ownCopy(s);
}
