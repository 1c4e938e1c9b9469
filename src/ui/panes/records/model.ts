/** The records of the selected handshake against the fragment limit, newest selected. */
import type { RecordView } from '../../../session/types.ts';
import { bar, bytes, lineNo, pad, padStart, shortState } from '../../format.ts';
import { anyCut, selectedIndex, windowRows, type ItemRow } from '../selection.ts';
import { selectedHandshake } from '../handshake-select.ts';
import { displayOf } from '../handshake/model.ts';
import type { ModelInput, PaneItem, PaneModel, Row } from '../types.ts';

export function recordsModel({ snapshot, ui, width, height }: ModelInput): PaneModel {
  const { h, index } = selectedHandshake(snapshot, ui);
  if (!h) {
    return { rows: [], items: [], selected: null, waiting: { title: 'no records yet', detail: 'records appear with mbedTLS debug level 2 or more (`=> write record`, `input record: msgtype`) once a handshake starts' } };
  }
  const d = displayOf(snapshot, index);
  const limit = d.recordLimit;
  const r = h.records;
  const over = Math.max(r.in.maxLength, r.out.maxLength) > limit;
  const unknown = h.unknown.find((u) => u.field === 'records');
  const head: Row[] = [
    { text: `Handshake #${index + 1}`, bold: true },
    { text: d.limitText },
    unknown
      ? { text: `records unknown: ${unknown.reason}`, tone: 'muted' }
      : { text: `largest in ${bytes(r.in.maxLength)} · out ${bytes(r.out.maxLength)} of ${bytes(limit)} · ${r.in.count} in, ${r.out.count} out`, tone: over ? 'error' : undefined },
    ...d.fragmented.map((text): Row => ({ text, tone: 'info' })),
  ];
  const list = h.recordList;
  const barWidth = Math.max(4, Math.min(24, width - 44));
  const sel = selectedIndex(ui, 'records', list.length, 'last');
  const rows: ItemRow[] = list.map((rec, i) => {
    const info = d.records[i];
    const overLimit = info?.overLimit ?? false;
    return {
      text: `${rec.direction === 'in' ? '◀ in ' : '▶ out'} ${pad(info?.contentName ?? String(rec.contentType), 17)} ${padStart(bytes(rec.length), 8)} ${bar(rec.length, limit, barWidth)} ${rec.state ? shortState(rec.state) : ''}${rec.messages ? ` ${rec.messages.join('+')}` : ''}`.trimEnd(),
      tone: overLimit ? 'error' : rec.direction === 'out' ? 'tx' : undefined,
      item: i,
    };
  });
  const items: PaneItem[] = list.map((rec: RecordView, i) => ({
    line: rec.line,
    detail: () => ({
      title: `record ${rec.direction} (handshake #${index + 1})`,
      fields: [
        ['direction', rec.direction],
        ['content type', `${d.records[i]?.contentName ?? '?'} (${rec.contentType})`],
        ['length', `${bytes(rec.length)} of ${bytes(limit)} allowed${d.records[i]?.overLimit ? ' — OVER THE LIMIT' : ''}`],
        ['state', rec.state ?? 'before the first state'],
        ...(rec.messages ? [['messages', rec.messages.join(', ')] as [string, string]] : []),
        ['line', String(lineNo(rec.line))],
        ['limit', d.limitText],
      ],
      evidence: [rec.line],
      json: { ...rec, contentName: d.records[i]?.contentName, overLimit: d.records[i]?.overLimit, limit },
    }),
  }));
  const fixed = head.slice(0, Math.max(0, height - 1));
  const body: Row[] = list.length === 0 ? [{ text: 'no records in this handshake yet', tone: 'muted' }] : windowRows(rows, height - fixed.length, sel, true);
  const drawn = [...fixed, ...body].slice(0, height);
  return { rows: drawn, items, selected: sel, ...(anyCut(drawn, width) ? { badge: '…Enter' } : {}) };
}
