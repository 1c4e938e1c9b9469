/**
 * The protocol facts the panes show about one handshake, worked out here so that views read
 * them and import no parsers/ or machines/ tables: the state ladder (done / failed / current /
 * not reached), the failure in words, the record size limit and which records exceed it, and
 * the handshake messages that came in several fragments.
 */
import { TLS12_ORDER, TLS13_ORDER } from '../../machines/handshake-states.ts';
import { alertLevelName } from '../../parsers/tables/alerts.ts';
import { contentTypeName } from '../../parsers/tables/content-types.ts';
import { handshakeTypeName } from '../../parsers/tables/handshake-types.ts';
import { MAX_PLAINTEXT } from '../../parsers/tables/mfl.ts';
import { goneDuring, type PortGaps } from './port-gaps.ts';
import type { HandshakeDisplay, HandshakeView, Rung, RungMark } from './types.ts';

const short = (s: string): string => s.replace(/^MBEDTLS_SSL_/, '');

const camel = (tableName: string): string =>
  tableName.split('_').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/**
 * The states the client went through, in the order it visited them, then the states of the
 * negotiated version's ladder it did not reach. Optional states it skipped are left out. The
 * time the port was gone during a state is shown beside its time, not counted into it.
 */
export function ladder(h: HandshakeView, gaps?: PortGaps): Rung[] {
  const order = h.tlsVersion === '1.3' ? TLS13_ORDER : TLS12_ORDER;
  const last = h.visits.length - 1;
  const rungs: Rung[] = h.visits.map((v, i) => {
    let mark: RungMark = 'done';
    if (i === last && h.outcome === 'failed') mark = 'failed';
    else if (i === last && h.outcome === 'incomplete' && h.endT === null) mark = 'current';
    const portGoneMs = goneDuring(v, gaps);
    return { state: v.state, mark, durationMs: v.durationMs === null ? null : v.durationMs - portGoneMs, portGoneMs, line: v.line, visit: i };
  });
  if (h.outcome !== 'ok') {
    const lastVisited = h.visits[last]?.state;
    const seen = new Set(h.visits.map((v) => v.state));
    const from = lastVisited ? order.indexOf(lastVisited) : -1;
    for (const st of order.slice(from + 1)) {
      if (!seen.has(st)) rungs.push({ state: st, mark: 'not-reached', durationMs: null, portGoneMs: 0, line: null, visit: null });
    }
  }
  return rungs;
}

export function failureLines(h: HandshakeView): string[] {
  const out: string[] = [];
  if (h.error) {
    out.push(`error ${h.error.name ?? 'unknown error'} (${h.error.hex})`);
    const detail = h.errors.find((e) => e.error.code === h.error?.code)?.error.text;
    if (detail) out.push(`  ${detail}`);
  }
  if (h.alert) out.push(`alert ${h.alert.direction}: ${alertLevelName(h.alert.level)} ${h.alert.name} (${h.alert.description})`);
  if (h.verifyFlags && h.verifyFlags.names.length > 0) {
    out.push(`verify flags 0x${h.verifyFlags.flags.toString(16)}: ${h.verifyFlags.names.join(', ')}`);
  }
  // Steps the mbedTLS client graph does not allow (lines lost): the ladder alone would hide them.
  const skips = h.anomalies.filter((a) => a.skipped !== undefined && a.skipped.length > 0);
  if (skips.length > 0) out.push(`⚠ ${skips.length === 1 ? '' : `${skips.length}× `}lines lost? skipped ${skips.at(-1)!.skipped!.map(short).join(', ')} (line ${skips.at(-1)!.line + 1})`);
  return out;
}

export function handshakeDisplay(h: HandshakeView, gaps?: PortGaps): HandshakeDisplay {
  const limit = h.maxFragmentLength ?? MAX_PLAINTEXT;
  const limitText = h.maxFragmentLength === null && h.unknown.some((u) => u.field === 'maxFragmentLength')
    ? 'max_fragment_length unknown (debug level 3 shows it)'
    : h.maxFragmentLength !== null
    ? `max_fragment_length ${h.maxFragmentLength} B`
    : h.mflOffered !== null
      ? `max_fragment_length offered ${h.mflOffered} B, not negotiated (limit ${MAX_PLAINTEXT} B)`
      : `no max_fragment_length (limit ${MAX_PLAINTEXT} B)`;
  return {
    ladder: ladder(h, gaps),
    failure: failureLines(h),
    recordLimit: limit,
    limitText,
    records: h.recordList.map((r) => ({ contentName: contentTypeName(r.contentType), overLimit: r.length > limit })),
    fragmented: h.messages
      .filter((m) => m.fragments.length > 1)
      .map((m) => `${camel(handshakeTypeName(m.type))} ${m.length} B in ${m.fragments.length} fragments`),
  };
}

/**
 * Done handshakes are the same objects in every snapshot: each is worked out once, and again
 * only when the port gaps it was worked out with are not the ones given.
 */
const cache = new WeakMap<HandshakeView, { d: HandshakeDisplay; gaps: PortGaps | undefined }>();

export function cachedDisplay(h: HandshakeView, gaps?: PortGaps): HandshakeDisplay {
  const c = cache.get(h);
  if (c && c.gaps === gaps) return c.d;
  const d = handshakeDisplay(h, gaps);
  cache.set(h, { d, gaps });
  return d;
}
