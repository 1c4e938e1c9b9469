import React from 'react';
import { Box } from 'ink';
import type { Snapshot } from '../../session/types.ts';
import { PANE_LIST } from '../panes/index.ts';
import type { PaneId } from '../panes.ts';
import { Line } from './Line.tsx';
import { useTheme } from './ThemeContext.ts';

export interface Tab {
  id: PaneId;
  label: string;
}

/**
 * The tabs that fit in `width`, always including the focused one: the bar scrolls so the
 * focused tab is on screen, `‹` and `›` saying that more tabs lie to either side.
 */
export function visibleTabs(s: Snapshot, focus: PaneId, width: number): { tabs: Tab[]; before: boolean; after: boolean } {
  const all = PANE_LIST.map((p, i) => {
    const c = p.count(s);
    return { id: p.id, label: ` ${i + 1} ${p.title}${c ? ` (${c})` : ''} ` };
  });
  const total = (from: number, to: number): number => all.slice(from, to).reduce((a, t) => a + t.label.length, 0);
  const f = all.findIndex((t) => t.id === focus);
  let start = 0;
  let end = all.length;
  // Drop tabs from the side farther from the focused one until the rest fit (with the arrows).
  while (total(start, end) + (start > 0 ? 1 : 0) + (end < all.length ? 1 : 0) > width && end - start > 1) {
    if (f - start > end - 1 - f) start++;
    else end--;
  }
  return { tabs: all.slice(start, end), before: start > 0, after: end < all.length };
}

export function TabBar({ focus, snapshot, width, marker }: { focus: PaneId; snapshot: Snapshot; width: number; marker: boolean }): React.ReactElement {
  const theme = useTheme();
  const errors = snapshot.findings.some((f) => f.severity === 'error');
  const { tabs, before, after } = visibleTabs(snapshot, focus, width);
  return (
    <Box width={width} height={1}>
      <Line
        width={width}
        spans={[
          ...(before ? [{ text: '‹', color: theme.muted }] : []),
          ...tabs.map((t) => ({
            text: marker && t.id === focus ? t.label.replace(/^ /, '[').replace(/ $/, ']') : t.label,
            inverse: t.id === focus,
            bold: t.id === focus,
            color: t.id === 'findings' && errors ? theme.error : undefined,
          })),
          ...(after ? [{ text: '›', color: theme.muted }] : []),
        ]}
      />
    </Box>
  );
}
