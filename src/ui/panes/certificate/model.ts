/** One block per certificate (who, by whom, valid when, which key), then the server chain. */
import { lineNo } from '../../format.ts';
import { fieldsOf } from '../../detail/doc.ts';
import { anyCut, selectedIndex, windowRows, type ItemRow } from '../selection.ts';
import { selectedHandshake } from '../handshake-select.ts';
import type { ModelInput, PaneItem, PaneModel } from '../types.ts';

export function certificateModel({ snapshot, ui, width, height }: ModelInput): PaneModel {
  const { h, index } = selectedHandshake(snapshot, ui);
  const peers = h?.peerCertificates ?? [];
  const certs = snapshot.certificates;
  if (certs.length === 0 && peers.length === 0) {
    return { rows: [], items: [], selected: null, waiting: { title: 'no certificate seen yet', detail: 'the device prints one as PEM after key generation; the server\'s arrives in the handshake (`peer certificate #1` at debug level 3)' } };
  }
  const rows: ItemRow[] = [];
  const items: PaneItem[] = [];
  certs.forEach((c) => {
    const i = items.length;
    const what = c.kind === 'csr' ? 'CSR' : 'certificate';
    rows.push({ text: `${c.source === 'pem' ? 'device' : 'handshake'} ${what} · line ${lineNo(c.line)}${c.selfSigned ? ' · self-signed' : ''}`, bold: true, item: i });
    rows.push({ text: `  subject ${c.subject}`, item: i });
    rows.push({ text: `  issuer  ${c.issuer}`, item: i });
    if (c.notBefore || c.notAfter) {
      const clock = c.clock === 'device' ? 'device clock' : 'host clock';
      const state = c.expired ? `EXPIRED (${clock})` : c.notYetValid ? `NOT YET VALID (${clock})` : c.daysLeft !== undefined ? `${c.daysLeft} days left (${clock})` : '';
      rows.push({ text: `  valid   ${c.notBefore.slice(0, 10)} … ${c.notAfter.slice(0, 10)}${state ? ` · ${state}` : ''}`, tone: c.expired || c.notYetValid ? 'error' : undefined, item: i });
    }
    rows.push({ text: `  key     ${c.keyAlgorithm} · ${c.signatureAlgorithm}${c.kind === 'csr' && c.signatureValid !== undefined ? ` · signature ${c.signatureValid ? 'valid' : 'INVALID'}` : ''}`, item: i });
    for (const m of c.keyMatch ?? []) {
      const other = m.with === 'csr' ? `the CSR at line ${lineNo(m.line)}` : `the key the device exported at line ${lineNo(m.line)}`;
      rows.push(m.result === 'match' ? { text: `  ✓ same key as ${other}`, tone: 'ok', item: i } : { text: `  ✗ NOT the key of ${other} (${m.reason})`, tone: 'error', item: i });
    }
    for (const hint of c.hints ?? []) rows.push({ text: `  ${hint.broker === 'any' ? '' : `${hint.broker}: `}${hint.message}`, tone: hint.severity === 'info' ? 'muted' : 'warning', item: i });
    if (c.sha256) rows.push({ text: `  sha256  ${c.sha256}`, tone: 'muted', item: i });
    items.push({
      line: c.line,
      detail: () => ({
        title: `${c.source === 'pem' ? 'device' : 'handshake'} ${what} at line ${lineNo(c.line)}`,
        fields: fieldsOf(c, ['line']).concat([['line', String(lineNo(c.line))]]),
        evidence: [c.line, ...(c.keyMatch ?? []).map((m) => m.line)],
        json: c,
      }),
    });
  });
  if (peers.length > 0) {
    rows.push({ text: `server chain in handshake #${index + 1}`, bold: true });
    peers.forEach((p, k) => {
      const i = items.length;
      rows.push({ text: `  #${k + 1} subject ${p.subject ?? '?'}`, item: i });
      rows.push({ text: `     issuer  ${p.issuer ?? '?'}`, item: i });
      items.push({
        line: null,
        detail: () => ({ title: `server certificate #${k + 1} in handshake #${index + 1}`, fields: [['subject', p.subject ?? '?'], ['issuer', p.issuer ?? '?']], evidence: [], json: p }),
      });
    });
  } else if (h) {
    rows.push({ text: `handshake #${index + 1}: no server certificate printed (debug level 3 shows it)`, tone: 'muted' });
  }
  const sel = selectedIndex(ui, 'certificate', items.length, 'first');
  const drawn = windowRows(rows, height, sel, true);
  return { rows: drawn, items, selected: sel, ...(anyCut(drawn, width) ? { badge: '…Enter' } : {}) };
}
