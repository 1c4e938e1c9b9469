/**
 * No two texts draw over each other, at any width: every pane rendered on corpus logs at every
 * width from 60 to 220 columns, in the size the layout gives it (a grid from 120, tabs below).
 * Each row fits the pane, and every content row is exactly the row its model made (cut to the
 * pane with `…`) — a row drawn over another, shifted or wrapped would differ. The whole monitor
 * (panes composed, tab bar, status bar) is checked the same way at widths either side of each
 * layout change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computeLayout, type LayoutNode } from '../../src/ui/layout.ts';
import { PANES, type PaneId } from '../../src/ui/panes.ts';
import { paneById } from '../../src/ui/panes/index.ts';
import { initialUiState } from '../../src/ui/state/ui-state.ts';
import { fit } from '../../src/ui/format.ts';
import type { Snapshot } from '../../src/session/types.ts';
import React from 'react';
import { Pane, inner } from '../../src/ui/components/Pane.tsx';
import { PaneBody } from '../../src/ui/components/PaneBody.tsx';
import { rectOf } from '../../src/ui/layout.ts';
import { useTerminalSize } from '../../src/ui/hooks/useTerminalSize.ts';
import { corpusSession, render, renderApp, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

interface Placed {
  id: PaneId;
  x: number;
  y: number;
  width: number;
  height: number;
}

function place(node: LayoutNode, x: number, y: number, out: Placed[]): void {
  if ('id' in node) {
    out.push({ id: node.id, x, y, width: node.width, height: node.height });
    return;
  }
  let at = node.dir === 'row' ? x : y;
  for (const c of node.children) {
    place(c, node.dir === 'row' ? at : x, node.dir === 'row' ? y : at, out);
    at += node.dir === 'row' ? c.width : c.height;
  }
}

/** Checks one frame; returns what is wrong, empty when nothing is. */
function problems(frame: string, s: Snapshot, columns: number, rows: number, focus: PaneId, only?: Placed[]): string[] {
  const lines = frame.split('\n');
  const bad: string[] = [];
  lines.forEach((l, i) => {
    if (l.length > columns) bad.push(`row ${i} is ${l.length} wide at ${columns} columns: ${l}`);
  });
  const layout = computeLayout(columns, rows, focus);
  const placed: Placed[] = only ? [...only] : [];
  if (!only && layout.mode === 'grid') place(layout.root, 0, 0, placed);
  else if (!only && layout.mode === 'tabs') placed.push({ ...layout.pane, x: 0, y: 1 });
  for (const p of placed) {
    const w = p.width - 2;
    const h = p.height - 2;
    const model = paneById(p.id).model({ snapshot: s, ui: { ...initialUiState, focus }, width: w, height: h, focused: p.id === focus, broker: null });
    if (model.rows.length > h) bad.push(`${p.id}: ${model.rows.length} rows in ${h}`);
    if (model.waiting) continue;
    model.rows.forEach((row, i) => {
      const drawn = (lines[p.y + 1 + i] ?? '').slice(p.x + 1, p.x + 1 + w).trimEnd();
      const want = fit(row.text, w).trimEnd();
      if (drawn !== want) bad.push(`${p.id} at ${columns}×${rows}, row ${i}: drew ${JSON.stringify(drawn)}, model ${JSON.stringify(want)}`);
    });
    // Below the model's rows the pane is empty (nothing left over from a longer row).
    for (let i = model.rows.length; i < h; i++) {
      const drawn = (lines[p.y + 1 + i] ?? '').slice(p.x + 1, p.x + 1 + w).trim();
      if (drawn !== '') bad.push(`${p.id} at ${columns}×${rows}, row ${i} should be empty: ${JSON.stringify(drawn)}`);
    }
  }
  return bad;
}

const rowsFor = (columns: number): number => (columns < 100 ? 24 : columns < 160 ? 40 : 50);

/** One pane alone, at the size the layout gives it for the terminal's size. */
function PaneAlone({ id, snapshot }: { id: PaneId; snapshot: Snapshot }): React.ReactElement {
  const { columns, rows } = useTerminalSize();
  const rect = rectOf(computeLayout(columns, rows, id), id)!;
  const size = inner(rect.width, rect.height);
  const model = paneById(id).model({ snapshot, ui: { ...initialUiState, focus: id }, width: size.width, height: size.height, focused: true, broker: null });
  return (
    <Pane id={id} title={paneById(id).title} width={rect.width} height={rect.height} focused badge={model.badge}>
      <PaneBody model={model} width={size.width} />
    </Pane>
  );
}

describe('every pane at every width', () => {
  it.each([
    'recordings/tls12_server_untrusted.log',
    'test/fixtures/keys/device-transcript.log',
    'test/fixtures/mqtt/device-mqtt.log',
  ])('draws each pane of %s at 60–220 columns exactly as its model says', async (file) => {
    const snap = (await corpusSession(file)).getSnapshot();
    const bad: string[] = [];
    for (const id of PANES) {
      r = await render(<PaneAlone id={id} snapshot={snap} />, { columns: 60, rows: 24 });
      for (let columns = 60; columns <= 220 && bad.length <= 5; columns++) {
        const rows = rowsFor(columns);
        await r.resize(columns, rows);
        const rect = rectOf(computeLayout(columns, rows, id), id)!;
        bad.push(...problems(r.frame(), snap, rect.width, rows, id, [{ ...rect, x: 0, y: 0 }]));
      }
      r.unmount();
      r = null;
    }
    expect(bad.slice(0, 5)).toEqual([]);
  }, 180_000);
});

describe('the whole monitor either side of each layout change', () => {
  it.each([
    'recordings/tls12_server_untrusted.log',
    'test/fixtures/keys/device-transcript.log',
    'test/fixtures/mqtt/device-mqtt.log',
  ])('composes the panes of %s without overlap', async (file) => {
    const s = await corpusSession(file);
    const snap = s.getSnapshot();
    r = await renderApp(s, {}, { columns: 60, rows: 24 });
    const bad: string[] = [];
    for (const columns of [60, 61, 80, 99, 100, 119, 120, 121, 159, 160, 200, 220]) {
      const rows = rowsFor(columns);
      await r.resize(columns, rows);
      // In the grid every pane is on screen; focus on MQTT gives the stack column other heights.
      const foci: PaneId[] = columns < 120 ? [...PANES] : ['handshake', 'mqtt'];
      for (const focus of foci) {
        await r.press(String(PANES.indexOf(focus) + 1));
        bad.push(...problems(r.frame(), snap, columns, rows, focus));
      }
      if (bad.length > 5) break;
    }
    expect(bad.slice(0, 5)).toEqual([]);
  }, 180_000);
});
