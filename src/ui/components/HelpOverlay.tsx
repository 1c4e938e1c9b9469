import React from 'react';
import { Box, Text } from 'ink';
import { PANES, PANE_TITLES, type PaneId } from '../panes.ts';
import { showKey, type Binding } from '../keys/bindings.ts';
import { fit, pad } from '../format.ts';
import { useTheme } from './ThemeContext.ts';

interface Props {
  table: readonly Binding[];
  replay: boolean;
  device: boolean;
  width: number;
  height: number;
}

/** Every binding of the table in force for this source, grouped by where it applies. */
export function helpLines(table: readonly Binding[], replay: boolean, device: boolean): { text: string; head: boolean }[] {
  const groups: { title: string; match: (b: Binding) => boolean }[] = [
    { title: 'Everywhere', match: (b) => b.scope === 'global' },
    ...(replay ? [{ title: 'Replay', match: (b: Binding) => b.scope === 'replay' }] : []),
    ...(device ? [{ title: 'Device', match: (b: Binding) => b.scope === 'device' }] : []),
    ...PANES.map((p: PaneId) => ({
      title: `In ${PANE_TITLES[p]}`,
      match: (b: Binding) => b.scope === p,
    })),
  ];
  const out: { text: string; head: boolean }[] = [];
  for (const g of groups) {
    const bs = table.filter(g.match);
    if (bs.length === 0) continue;
    out.push({ text: g.title, head: true });
    // ↑ and ↓ share a label: one line with every key for it.
    const byLabel = new Map<string, Binding & { all: string[] }>();
    for (const b of bs) {
      const e = byLabel.get(b.label);
      if (e) e.all.push(...b.keys);
      else byLabel.set(b.label, { ...b, all: [...b.keys] });
    }
    for (const b of byLabel.values()) {
      out.push({ text: `  ${pad(b.all.map(showKey).join(' '), 10)} ${b.label}${b.confirm ? ' (asks first)' : ''}`, head: false });
    }
  }
  return out;
}

export function HelpOverlay({ table, replay, device, width, height }: Props): React.ReactElement {
  const theme = useTheme();
  const lines = helpLines(table, replay, device);
  const rows = Math.max(1, height - 3);
  const colCount = Math.max(1, Math.ceil(lines.length / rows));
  const colWidth = Math.max(20, Math.floor((width - 2) / colCount));
  const cols: (typeof lines)[] = [];
  for (let i = 0; i < colCount; i++) cols.push(lines.slice(i * rows, (i + 1) * rows));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.accent}>
      <Text bold wrap="truncate">{fit('Keys — ? or Esc closes this help, q quits', width - 2)}</Text>
      <Box flexDirection="row">
        {cols.map((c, i) => (
          <Box key={i} flexDirection="column" width={colWidth}>
            {c.map((l, j) => (
              <Text key={j} bold={l.head} color={l.head ? theme.accent : undefined} wrap="truncate">{fit(l.text, colWidth - 1)}</Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
