/**
 * Where each pane goes for a terminal size: a grid of every pane from 120 columns, one pane
 * with a tab bar below that. Every size is fixed and the frame is one row shorter than the
 * terminal: Ink clears the whole screen when its output reaches the terminal's height.
 */
import type { PaneId } from './panes.ts';

export const GRID_MIN_COLUMNS = 120;
export const STATUS_ROWS = 2;

export interface Rect {
  id: PaneId;
  width: number;
  height: number;
}

export type LayoutNode = Rect | { dir: 'row' | 'column'; width: number; height: number; children: LayoutNode[] };

export type Layout =
  | { mode: 'grid'; root: LayoutNode; bodyHeight: number }
  | { mode: 'tabs'; pane: Rect; bodyHeight: number };

/** Split `total` into parts proportional to `weights`, summing exactly to `total`. */
export function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]! += 1;
  return parts;
}

export function computeLayout(columns: number, rows: number, focus: PaneId): Layout {
  const cols = Math.max(20, columns);
  const bodyHeight = Math.max(6, rows - 1 - STATUS_ROWS);
  if (cols < GRID_MIN_COLUMNS) {
    // One row for the tab bar.
    return { mode: 'tabs', pane: { id: focus, width: cols, height: bodyHeight - 1 }, bodyHeight };
  }
  const [left, right] = split(cols, [36, 64]) as [number, number];
  const [hsH, findH] = split(bodyHeight, [60, 40]) as [number, number];
  const [topH, logH] = split(bodyHeight, [45, 55]) as [number, number];
  const [recW, stackW] = split(right, [58, 42]) as [number, number];
  // Certificate, Keys and MQTT share one column; the focused one (else Certificate) gets half.
  const stackIds: PaneId[] = ['certificate', 'keys', 'mqtt'];
  const big = stackIds.includes(focus) ? focus : 'certificate';
  const stackH = split(topH, stackIds.map((id) => (id === big ? 2 : 1)));
  return {
    mode: 'grid',
    bodyHeight,
    root: {
      dir: 'row', width: cols, height: bodyHeight, children: [
        { dir: 'column', width: left, height: bodyHeight, children: [
          { id: 'handshake', width: left, height: hsH },
          { id: 'findings', width: left, height: findH },
        ] },
        { dir: 'column', width: right, height: bodyHeight, children: [
          { dir: 'row', width: right, height: topH, children: [
            { id: 'records', width: recW, height: topH },
            { dir: 'column', width: stackW, height: topH, children: stackIds.map((id, i) => ({ id, width: stackW, height: stackH[i]! })) },
          ] },
          { id: 'log', width: right, height: logH },
        ] },
      ],
    },
  };
}

/** The rectangle a pane gets in this layout, or null when it is not on screen. */
export function rectOf(layout: Layout, id: PaneId): Rect | null {
  if (layout.mode === 'tabs') return layout.pane.id === id ? layout.pane : null;
  const walk = (n: LayoutNode): Rect | null => ('id' in n ? (n.id === id ? n : null) : n.children.map(walk).find((r) => r !== null) ?? null);
  return walk(layout.root);
}
