/** The detail view as rows of at most `width` cells: pure, so the test reads what is drawn. */
import type { LogLineView } from '../../session/types.ts';
import { lineNo, padStart, wrapText } from '../format.ts';
import type { Row } from '../panes/types.ts';
import { evidenceWithContext, type DetailDoc } from './doc.ts';

export function detailRows(doc: DetailDoc, log: readonly LogLineView[], width: number): Row[] {
  const rows: Row[] = [];
  const labelWidth = Math.min(16, Math.max(...doc.fields.map(([k]) => k.length), 4) + 1);
  const textWidth = Math.max(10, width - labelWidth - 1);
  for (const [label, value] of doc.fields) {
    const parts = wrapText(value, textWidth);
    parts.forEach((p, i) => rows.push({ text: `${i === 0 ? label.padEnd(labelWidth) : ' '.repeat(labelWidth)} ${p}`, bold: i === 0 && label === 'message' }));
  }
  if (doc.evidence.length > 0) {
    rows.push({ text: '' }, { text: 'Evidence (▶ the cited lines, with two lines around each)', bold: true });
    const ev = evidenceWithContext(log, doc.evidence);
    if (ev.length === 0) rows.push({ text: `lines ${doc.evidence.map(lineNo).join(', ')} are older than the lines kept`, tone: 'muted' });
    const numWidth = String(lineNo(Math.max(...doc.evidence))).length + 1;
    for (const e of ev) {
      if (!e) {
        rows.push({ text: '  ⋮', tone: 'muted' });
        continue;
      }
      const prefix = `${e.cited ? '▶' : ' '} ${padStart(String(lineNo(e.seq)), numWidth)} `;
      wrapText(e.text, Math.max(10, width - prefix.length)).forEach((p, i) =>
        rows.push({ text: `${i === 0 ? prefix : ' '.repeat(prefix.length)}${p}`, tone: e.cited ? undefined : 'muted', bold: e.cited }),
      );
    }
  }
  return rows;
}
