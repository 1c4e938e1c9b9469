/**
 * Buffers and fragments: a record bigger than the input buffer, a server that ignores
 * max_fragment_length, a handshake message split across records that an old mbedTLS cannot
 * put back together.
 */
import { evidenceLines, handshakeRule, shortState, stateAt } from '../rule.ts';
import type { HandshakeView, RecordView } from '../../contracts/snapshot.ts';

const INVALID_RECORD = -0x7200;
const FEATURE_UNAVAILABLE = -0x7080;
const CHANGE_CIPHER_SPEC = 20;
/** Encryption adds at most this much to a record (RFC 5246 §6.2.3: 2048; real suites far less). */
const CIPHER_OVERHEAD = 256;
/** The full TLS record size servers that do not negotiate MFL send (2^14). */
const FULL_RECORD = 16384;

/** Incoming records over `limit` (plaintext limit; allowance for encryption after the server's CCS). */
function oversize(h: HandshakeView, limit: number, direction: 'in' | 'out'): RecordView[] {
  let encrypted = false;
  const out: RecordView[] = [];
  for (const r of h.recordList) {
    if (r.direction !== direction) continue;
    if (r.length > limit + (encrypted ? CIPHER_OVERHEAD : 0)) out.push(r);
    if (r.contentType === CHANGE_CIPHER_SPEC) encrypted = true;
  }
  return out;
}

const largestIn = (h: HandshakeView): RecordView | null =>
  h.recordList.reduce<RecordView | null>((m, r) => (r.direction === 'in' && (!m || r.length > m.length) ? r : m), null);

interface TooBig {
  state: string | null;
  record: RecordView | null;
  lineText: 'bad message length' | 'requesting more data than fits' | null;
  mflOffered: number | null;
  mflNegotiated: number | null;
}

export const recordExceedsBuffer = handshakeRule<TooBig>({
  code: 'record-exceeds-buffer',
  severity: 'error',
  family: 'buffers',
  test({ h, hf }) {
    const diag = hf.diagnostics.find((d) => d.what === 'bad-message-length' || d.what === 'buffer-too-small');
    const err = h.errors.find((e) => e.error.code === INVALID_RECORD);
    if (!diag && !err) return null;
    const at = diag?.line ?? err!.line;
    const record = largestIn(h);
    return {
      lines: evidenceLines(at, err?.line, record?.line),
      data: {
        state: stateAt(h, at),
        record,
        lineText: diag ? (diag.what === 'bad-message-length' ? 'bad message length' : 'requesting more data than fits') : null,
        mflOffered: h.mflOffered,
        mflNegotiated: h.maxFragmentLength,
      },
    };
  },
  message(_ctx, d) {
    const rec = d.record ? `An incoming record of ${d.record.length} bytes (line ${d.record.line + 1})` : 'An incoming record';
    const said = [d.lineText ? `\`${d.lineText}\`` : null, '-0x7200 INVALID_RECORD'].filter(Boolean).join(', ');
    const mfl = d.mflOffered !== null && d.mflNegotiated === null
      ? ` The device asked for max_fragment_length ${d.mflOffered} but the server did not confirm it and sends full-size records (AWS IoT does not negotiate MFL).`
      : d.mflOffered === null
        ? ' The device did not ask for a smaller max_fragment_length.'
        : '';
    return `${rec} did not fit the device's input buffer (MBEDTLS_SSL_IN_CONTENT_LEN) in ${shortState(d.state)}: ${said}.${mfl}`;
  },
  hint(_ctx, d) {
    const need = d.record ? Math.max(d.record.length, 0) : FULL_RECORD;
    return `Raise MBEDTLS_SSL_IN_CONTENT_LEN to at least ${need} (${FULL_RECORD} for servers that ignore max_fragment_length, such as AWS IoT), or connect to a server that honours max_fragment_length and request it (mbedtls_ssl_conf_max_frag_len()).`;
  },
});

interface Mfl {
  limit: number;
  negotiated: boolean;
  records: RecordView[];
  direction: 'in' | 'out';
}

export const mflNotHonored = handshakeRule<Mfl>({
  code: 'mfl-not-honored',
  severity: 'warning',
  family: 'buffers',
  test({ h, hf }) {
    const diag = hf.diagnostics.find((d) => d.what === 'fragment-too-large');
    const negotiated = h.maxFragmentLength;
    const limit = negotiated ?? h.mflOffered;
    if (limit === null) return null;
    const incoming = oversize(h, limit, 'in');
    // mbedTLS 3.6.6 itself sends its Certificate whole despite a negotiated MFL (Mbed-TLS/mbedtls#10787).
    const outgoing = negotiated !== null ? oversize(h, limit, 'out') : [];
    const records = incoming.length ? incoming : outgoing;
    if (records.length === 0 && !diag) return null;
    return {
      lines: evidenceLines(records[0]?.line ?? diag!.line, diag?.line, ...records.slice(1, 10).map((r) => r.line)),
      data: { limit, negotiated: negotiated !== null, records, direction: incoming.length || records.length === 0 ? 'in' : 'out' },
    };
  },
  message({ h }, d) {
    const biggest = d.records.reduce((m, r) => Math.max(m, r.length), 0);
    const n = d.records.length;
    if (d.direction === 'out') {
      return `The device sent ${n} record${n === 1 ? '' : 's'} of up to ${biggest} bytes although max_fragment_length ${d.limit} was negotiated (first in ${shortState(d.records[0]?.state)}); the peer may answer record_overflow (alert 22).`;
    }
    const first = d.records[0];
    const where = first ? `, first in ${shortState(first.state ?? stateAt(h, first.line))}` : '';
    const records = `${n} record${n === 1 ? '' : 's'} larger than`;
    return d.negotiated
      ? `The server sent ${records} the negotiated max_fragment_length ${d.limit} (up to ${biggest} bytes${where}): it does not honour the extension.`
      : `The device asked for max_fragment_length ${d.limit}; the server did not confirm it and sent ${records} that (up to ${biggest} bytes${where}).`;
  },
  hint(_ctx, d) {
    if (d.direction === 'out') return 'Upgrade mbedTLS past 3.6.6 (Mbed-TLS/mbedtls#10787) or keep MBEDTLS_SSL_OUT_CONTENT_LEN at the negotiated length so outgoing records are split.';
    return `Size MBEDTLS_SSL_IN_CONTENT_LEN for the records this server really sends (${FULL_RECORD} when it ignores max_fragment_length), or use a server/broker endpoint that honours max_fragment_length.`;
  },
});

interface Frag {
  type: number | null;
  hslen: number | null;
  msglen: number | null;
  build: string | null;
  version: string | null;
}

/** `3.6.6` → true when at least 3.6.6, the first release with full handshake defragmentation. */
function defragments(build: string | null): boolean {
  if (!build) return false;
  const [a = 0, b = 0, c = 0] = build.split('.').map(Number);
  return a > 3 || (a === 3 && (b > 6 || (b === 6 && c >= 6)));
}

export const handshakeFragmentationUnsupported = handshakeRule<Frag>({
  code: 'handshake-fragmentation-unsupported',
  severity: 'error',
  family: 'buffers',
  test({ h, hf, facts }) {
    const diag = hf.diagnostics.find((d) => d.what === 'fragmentation-unsupported');
    const err = h.errors.find((e) => e.error.code === FEATURE_UNAVAILABLE);
    const split = h.messages.find((m) => m.fragments.length === 1 && (m.fragments[0] ?? m.length) < m.length);
    // Without mbedTLS's own words, a split message and FEATURE_UNAVAILABLE mean this only before 3.6.6.
    if (!diag && !(err && split && !defragments(facts.mbedtlsBuild))) return null;
    return {
      lines: evidenceLines(diag?.line ?? split!.line, split?.line, err?.line),
      data: { type: split?.type ?? null, hslen: split?.length ?? null, msglen: split?.fragments[0] ?? null, build: facts.mbedtlsBuild, version: h.mbedtlsVersion },
    };
  },
  message(_ctx, d) {
    const which = d.hslen !== null ? ` (handshake message type ${d.type}: hslen ${d.hslen} > msglen ${d.msglen})` : '';
    const lib = d.build ? `mbedTLS ${d.build}` : d.version ? `this mbedTLS ${d.version}` : 'this mbedTLS';
    return `The server split a handshake message across several records${which} and ${lib} cannot put it back together: "TLS handshake fragmentation not supported", -0x7080 FEATURE_UNAVAILABLE.`;
  },
  hint() {
    return 'Upgrade mbedTLS to 3.6.6 or later (full handshake message reassembly); until then the server must send each handshake message in one record: no small max_fragment_length/record_size_limit on the server side, a shorter certificate chain, and MBEDTLS_SSL_IN_CONTENT_LEN large enough for the whole message.';
  },
});
