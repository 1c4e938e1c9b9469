/**
 * The selection and scroll state every list pane shares: which item is selected (the user's
 * choice in UiState, else the pane's default) and which rows fit around it.
 */
import type { PaneId } from '../panes.ts';
import type { UiState } from '../state/ui-state.ts';
import { fit } from '../format.ts';
import type { Row } from './types.ts';

/** The selected item: the user's row, else the pane's default (first, last, or a given index). */
export function selectedIndex(ui: UiState, pane: PaneId, count: number, fallback: 'first' | 'last' | number): number | null {
  if (count === 0) return null;
  const chosen = ui.row[pane];
  const def = fallback === 'first' ? 0 : fallback === 'last' ? count - 1 : fallback;
  return Math.max(0, Math.min(count - 1, chosen ?? def));
}

/** A row that belongs to item `item` (its first row is marked when selected). */
export interface ItemRow extends Row {
  item?: number;
}

/**
 * The rows of a list that fit in `room`, keeping the selected item's rows in view (its first
 * row at least), and marking that first row selected when the pane has focus.
 */
export function windowRows(rows: readonly ItemRow[], room: number, selected: number | null, focused: boolean): Row[] {
  const n = Math.max(0, room);
  if (n === 0) return [];
  let first = selected === null ? -1 : rows.findIndex((r) => r.item === selected);
  let last = first;
  if (first !== -1) while (last + 1 < rows.length && rows[last + 1]!.item === selected) last++;
  let start: number;
  if (rows.length <= n) start = 0;
  else if (first === -1) start = rows.length - n;
  else {
    // The whole item when it fits, centred; else its start.
    const span = last - first + 1;
    start = span >= n ? first : first - Math.floor((n - span) / 2);
    start = Math.max(0, Math.min(rows.length - n, start));
  }
  first = first === -1 ? -1 : first;
  return rows.slice(start, start + n).map((r, i) => {
    const { item: _item, ...row } = r;
    return start + i === first && focused ? { ...row, selected: true } : row;
  });
}

/** Whether any row is wider than the pane (the pane then says `…` and how to see the rest). */
export const anyCut = (rows: readonly Row[], width: number): boolean => rows.some((r) => fit(r.text, width) !== r.text);
