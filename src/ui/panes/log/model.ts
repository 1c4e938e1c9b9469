/** The device's lines as it printed them, with the filter, the cursor, wrap and side scroll. */
import { lineNo, padStart, wrapText } from '../../format.ts';
import { logWindow } from '../../state/log-view.ts';
import { anyCut } from '../selection.ts';
import type { ModelInput, PaneItem, PaneModel, Row } from '../types.ts';

export function logModel({ snapshot, ui, width, height }: ModelInput): PaneModel {
  const editing = ui.prompt?.kind === 'filter' ? ui.prompt.text : null;
  const pattern = editing ?? ui.log.pattern;
  const room = Math.max(0, height - 1);
  const win = logWindow(snapshot.log, pattern, ui.log.cursor, room);
  const mode = ui.log.cursor === null ? 'following' : `at line ${lineNo(ui.log.cursor)} (f: follow)`;
  const count = `${win.matches} match${win.matches === 1 ? '' : 'es'}`;
  let head: Row;
  if (win.cursorLost) head = { text: `line ${lineNo(ui.log.cursor ?? 0)} is older than the ${snapshot.log.length} lines kept`, tone: 'warning' };
  else if (editing !== null) head = { text: `filter /${editing}▏  Enter apply · Esc cancel${win.error ? ` · invalid: ${win.error}` : ` · ${count}`} · a|b either, a&b both`, tone: win.error ? 'error' : 'accent' };
  else if (win.error) head = { text: `filter /${pattern}/ is not a valid regex: ${win.error} — press / to fix it`, tone: 'error' };
  else if (pattern) head = { text: `${mode} · filter /${pattern}/ ${count} · n/N next/previous`, tone: 'accent' };
  else head = { text: `${mode} · ${snapshot.lines} lines · ● parsed${ui.log.wrap ? ' · wrapped (w)' : ui.log.hscroll > 0 ? ` · → ${ui.log.hscroll} (<)` : ''}` };
  // Lines hsmon sent (tx) and its notes have their own numbers: `t3`, `m1`.
  const num = (l: (typeof win.lines)[number]): string => (l.dir === 'rx' ? String(lineNo(l.seq)) : `${l.dir === 'tx' ? 't' : 'm'}${l.n ?? ''}`);
  const numWidth = Math.max(String(lineNo(snapshot.log.at(-1)?.seq ?? 0)).length, ...win.lines.map((l) => num(l).length));
  const body: Row[][] = win.lines.map((l, i) => {
    const mark = l.dir === 'tx' ? '▶' : l.dir === 'note' ? '!' : l.parsed ? '●' : ' ';
    const tone = l.dir === 'tx' ? 'tx' : l.dir === 'note' ? 'warning' : l.parsed ? undefined : 'muted';
    const prefix = `${padStart(num(l), numWidth)} ${mark} `;
    const text = `${l.text.replace(/\t/g, '  ')}${l.truncated ? ' [cut]' : ''}`;
    const selected = i === win.cursorAt;
    if (ui.log.wrap) {
      const parts = wrapText(text, Math.max(1, width - prefix.length));
      return parts.map((p, k) => ({ text: `${k === 0 ? prefix : ' '.repeat(prefix.length)}${p}`, tone, selected }));
    }
    return [{ text: prefix + text.slice(ui.log.hscroll), tone, selected }];
  });
  let rows = body.flat();
  if (rows.length > room) {
    // Wrapped lines take more rows than the window has: keep the cursor line's rows, else the end.
    const cursorRow = rows.findIndex((r) => r.selected);
    const start = cursorRow === -1 ? rows.length - room : Math.max(0, Math.min(rows.length - room, cursorRow - Math.floor(room / 2)));
    rows = rows.slice(start, start + room);
  }
  if (snapshot.log.length === 0 && room > 0) rows = [{ text: `waiting for the first line from ${snapshot.source.name}`, tone: 'muted' }];
  const cursorLine = ui.log.cursor === null ? null : snapshot.log.find((l) => l.seq === ui.log.cursor) ?? null;
  const items: PaneItem[] = cursorLine
    ? [{
        line: cursorLine.seq,
        detail: () => ({
          title: `line ${lineNo(cursorLine.seq)}`,
          fields: [['text', cursorLine.text], ['from', cursorLine.dir === 'rx' ? 'the device' : cursorLine.dir === 'tx' ? 'hsmon, to the device' : 'hsmon (a note)'], ['parsed', cursorLine.parsed ? 'yes' : 'no']],
          evidence: [cursorLine.seq],
          json: cursorLine,
        }),
      }]
    : [];
  const drawn = [head, ...rows].slice(0, height);
  const badge = [pattern && !win.error ? `/${pattern}/ ${win.matches}` : '', !ui.log.wrap && anyCut(drawn.slice(1), width) ? '… w' : ''].filter(Boolean).join(' ');
  return { rows: drawn, items, selected: items.length ? 0 : null, ...(badge ? { badge } : {}) };
}
