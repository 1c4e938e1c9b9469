/** The PSA keys the device printed and its psa_* calls; a failure is selected first. */
import { lineNo, pad } from '../../format.ts';
import { fieldsOf } from '../../detail/doc.ts';
import { anyCut, selectedIndex, windowRows, type ItemRow } from '../selection.ts';
import type { ModelInput, PaneItem, PaneModel } from '../types.ts';

export function keysModel({ snapshot, ui, width, height }: ModelInput): PaneModel {
  const { keys, psaCalls } = snapshot;
  if (keys.length === 0 && psaCalls.length === 0) {
    return { rows: [], items: [], selected: null, waiting: { title: 'no keys seen yet', detail: 'waiting for the device to print PSA key ids and psa_* results (key generation, import, signing in CERTIFICATE_VERIFY)' } };
  }
  const rows: ItemRow[] = [];
  const items: PaneItem[] = [];
  let firstBad = -1;
  keys.forEach((k) => {
    const bad = k.lastStatus !== null && k.lastStatus !== 'PSA_SUCCESS';
    const i = items.length;
    if (bad && firstBad === -1) firstBad = i;
    rows.push({
      text: `key ${k.id} ${k.type ?? 'type ?'}${k.bits ? ` ${k.bits} bits` : ''} · ${k.alg ?? 'alg ?'} · ${k.lifetime ?? 'lifetime ?'}${k.lastStatus ? ` · ${k.lastStatus}` : ''}`,
      tone: bad ? 'error' : undefined,
      item: i,
    });
    items.push({ line: null, detail: () => ({ title: `PSA key ${k.id}`, fields: fieldsOf(k as unknown as Record<string, unknown>), evidence: [], json: k }) });
  });
  if (psaCalls.length > 0) rows.push({ text: `PSA calls (${psaCalls.length})`, bold: true });
  psaCalls.forEach((c) => {
    const i = items.length;
    if (c.status !== 0 && firstBad === -1) firstBad = i;
    rows.push({ text: `${pad(c.fn, 26)} ${c.name ?? String(c.status)}  line ${lineNo(c.line)}`, tone: c.status === 0 ? undefined : 'error', item: i });
    items.push({
      line: c.line,
      detail: () => ({
        title: `${c.fn} → ${c.name ?? c.status}`,
        fields: [['function', c.fn], ['status', `${c.name ?? '?'} (${c.status})`], ['line', String(lineNo(c.line))]],
        evidence: [c.line],
        json: c,
      }),
    });
  });
  const sel = selectedIndex(ui, 'keys', items.length, firstBad === -1 ? 'last' : firstBad);
  const drawn = windowRows(rows, height, sel, true);
  return { rows: drawn, items, selected: sel, ...(anyCut(drawn, width) ? { badge: '…Enter' } : {}) };
}
