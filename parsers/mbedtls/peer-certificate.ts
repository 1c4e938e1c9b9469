import type { DeviceEvent, Prefixed } from '../events.ts';
import type { MbedtlsState } from './mbedtls-state.ts';

/** The `peer certificate #N:` block being read: x509_crt_info's `key : value` lines. */
export interface PeerBlock {
  t: number;
  line: number;
  ctx: string | null;
  file: string | undefined;
  srcLine: number | undefined;
  index: number;
  fields: Map<string, string>;
}

// The label's class holds the space and no other blank, so label and blanks cannot trade characters.
const RE_CERT_INFO = /^([A-Za-z][A-Za-z0-9 .]*)[^\S ]*: ?(.*)$/;
const RE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Whether a line continues the open block (printed from the same file and line); records its field. */
export function isPeerInfoLine(s: MbedtlsState, segment: Prefixed, body: string): boolean {
  const p = s.peer;
  if (p === null || segment.file !== p.file || segment.srcLine !== p.srcLine) return false;
  if (body.startsWith('value of ') || body.startsWith('peer certificate #')) return false;
  if (body.startsWith('    ')) return true; // subject alt name / policies continuation
  const m = RE_CERT_INFO.exec(body);
  if (m === null) return false;
  const key = m[1]!.trim();
  if (!p.fields.has(key)) p.fields.set(key, m[2] ?? '');
  return true;
}

/** Ends the open block, if any, with its tls.peer_certificate event. */
export function flushPeer(s: MbedtlsState, out: DeviceEvent[]): void {
  const p = s.peer;
  if (p === null) return;
  s.peer = null;
  const f = p.fields;
  let keySize: string | null = null;
  for (const [k, v] of f) {
    if (k.endsWith(' key size')) keySize = `${k.slice(0, -' key size'.length)} ${v}`;
  }
  // x509_crt_info writes into a 1024-byte buffer and debug_print_line_by_line drops a last
  // partial line, so a cut block is one that lacks a field x509_crt_info always prints.
  const required = ['cert. version', 'serial number', 'issuer name', 'subject name', 'issued  on', 'expires on', 'signed using'];
  const truncated = required.some((k) => !f.has(k)) || keySize === null;
  out.push({
    kind: 'tls.peer_certificate', t: p.t, line: p.line, ctx: p.ctx, index: p.index,
    subject: f.get('subject name') ?? null, issuer: f.get('issuer name') ?? null,
    serial: f.get('serial number') ?? null, notBefore: isoDate(f.get('issued  on')),
    notAfter: isoDate(f.get('expires on')), signedUsing: f.get('signed using') ?? null,
    keySize, truncated,
  });
}

/** `2026-11-22 14:06:30` (x509 time, UTC) → ISO-8601; anything else is kept as printed. */
export function isoDate(s: string | undefined): string | null {
  if (s === undefined) return null;
  const m = RE_DATE.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : s;
}
