/** Findings, newest first: the last thing that went wrong is what the developer looks at. */
import type { Finding } from '../../../session/types.ts';
import { lineNo } from '../../format.ts';
import type { DetailDoc } from '../../detail/doc.ts';
import { anyCut, selectedIndex, windowRows, type ItemRow } from '../selection.ts';
import type { ModelInput, PaneItem, PaneModel, Tone } from '../types.ts';

/**
 * Identical findings (same code, message and hint) from repeated attempts, as one: the first
 * as the representative, every occurrence's line and handshake kept for the detail view.
 */
export interface FindingGroup {
  finding: Finding;
  occurrences: Finding[];
}

export function groupFindings(fs: readonly Finding[]): FindingGroup[] {
  const byKey = new Map<string, FindingGroup>();
  const order: FindingGroup[] = [];
  for (const f of fs) {
    const key = `${f.code}\u0000${f.message}\u0000${f.hint}`;
    const g = byKey.get(key);
    if (g) g.occurrences.push(f);
    else {
      const ng = { finding: f, occurrences: [f] };
      byKey.set(key, ng);
      order.push(ng);
    }
  }
  // Newest first by each group's latest occurrence.
  return order.sort((a, b) => b.occurrences.at(-1)!.line - a.occurrences.at(-1)!.line);
}

const tone = (f: Finding): Tone => (f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');

export function findingDetail(g: FindingGroup): DetailDoc {
  const f = g.finding;
  const n = g.occurrences.length;
  const fields: [string, string][] = [
    ['severity', f.severity],
    ['code', f.code],
    ['message', f.message],
    ['hint', f.hint],
  ];
  if (n > 1) fields.push(['attempts', `${n}: ${g.occurrences.map((o) => `line ${lineNo(o.line)}${o.handshake !== undefined ? ` (handshake #${o.handshake + 1})` : ''}`).join(', ')}`]);
  else {
    fields.push(['line', String(lineNo(f.line))]);
    if (f.handshake !== undefined) fields.push(['handshake', `#${f.handshake + 1}`]);
  }
  const evidence = [...new Set(g.occurrences.flatMap((o) => [o.line, ...(o.lines ?? [])]))].sort((a, b) => a - b);
  if (evidence.length > 1) fields.push(['evidence lines', evidence.map(lineNo).join(', ')]);
  return { title: `${f.severity.toUpperCase()} ${f.code}`, fields, evidence, json: n > 1 ? { ...f, occurrences: g.occurrences } : f };
}

export function findingsModel({ snapshot, ui, width, height, focused }: ModelInput): PaneModel {
  const groups = groupFindings(snapshot.findings);
  if (groups.length === 0) {
    const ended = snapshot.status.state === 'ended';
    return {
      rows: [], items: [], selected: null,
      waiting: ended
        ? { title: 'no findings: nothing in this log matched a known failure', detail: 'the handshake pane shows each attempt' }
        : { title: 'no findings yet', detail: 'a finding appears when the log shows a known failure (rejected certificate, alert, PSA error, leaked secret, …)' },
    };
  }
  const sel = selectedIndex(ui, 'findings', groups.length, 'first');
  const rows: ItemRow[] = [];
  const items: PaneItem[] = [];
  groups.forEach((g, i) => {
    const f = g.finding;
    const n = g.occurrences.length;
    rows.push({ text: `${f.severity.toUpperCase()} ${n > 1 ? `${n} attempts: ` : ''}${f.message}`, tone: tone(f), bold: true, item: i });
    if (f.hint) rows.push({ text: `  → ${f.hint}`, item: i });
    const where = n > 1 ? `lines ${g.occurrences.map((o) => lineNo(o.line)).join(', ')}` : `line ${lineNo(f.line)}${f.handshake !== undefined ? ` · handshake #${f.handshake + 1}` : ''}`;
    rows.push({ text: `  ${where} · ${f.code}`, tone: 'muted', item: i });
    items.push({ line: f.line, detail: () => findingDetail(g) });
  });
  const drawn = windowRows(rows, height, sel, focused);
  return { rows: drawn, items, selected: sel, badge: `${snapshot.findings.length}${anyCut(drawn, width) ? ' …Enter' : ''}` };
}
