import React from 'react';
import { Box, Text } from 'ink';
import { PANE_LIST } from '../panes/index.ts';
import { showKey, type Binding, type Mode } from '../keys/bindings.ts';
import { fit, pad } from '../format.ts';
import { useTheme } from './ThemeContext.ts';

interface Props {
  table: readonly Binding[];
  replay: boolean;
  device: boolean;
  width: number;
  height: number;
  scroll: number;
}

const MODE_TITLES: Partial<Record<Mode, string>> = {
  help: 'In this help',
  detail: 'In the detail view',
  prompt: 'While typing (filter, line to the device)',
  confirm: 'When asked y/n',
  presets: 'In the publish list',
  raw: 'After Ctrl+T',
};

/** Every binding of the table in force for this source, grouped by where and when it applies. */
export function helpLines(table: readonly Binding[], replay: boolean, device: boolean): { text: string; head: boolean }[] {
  const normal = (b: Binding): boolean => (b.mode ?? 'normal') === 'normal';
  const groups: { title: string; match: (b: Binding) => boolean }[] = [
    { title: 'Everywhere', match: (b) => normal(b) && b.scope === 'global' },
    ...(replay ? [{ title: 'Replay (every pane follows)', match: (b: Binding) => normal(b) && b.scope === 'replay' }] : []),
    ...(device ? [{ title: 'Device', match: (b: Binding) => normal(b) && b.scope === 'device' }] : []),
    ...PANE_LIST.map((p) => ({ title: `In ${p.title}`, match: (b: Binding) => normal(b) && b.scope === p.id && !(b.unless === 'replay' && replay) })),
    ...(Object.keys(MODE_TITLES) as Mode[])
      .filter((m) => (m !== 'raw' || device) && (m !== 'presets' || table.some((b) => b.action === 'publish-menu')))
      .map((m) => ({ title: MODE_TITLES[m]!, match: (b: Binding) => b.mode === m })),
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

/** Rows of help text that fit: the height minus the border and the title line. */
export const helpRoom = (height: number): number => Math.max(1, height - 3);

/**
 * The help over the whole body: one column below 100 columns (descriptions need the width),
 * two above; scrolled with ↑ ↓ when it is longer than the screen.
 */
export function HelpOverlay({ table, replay, device, width, height, scroll }: Props): React.ReactElement {
  const theme = useTheme();
  const lines = helpLines(table, replay, device);
  const rows = helpRoom(height);
  const colCount = width < 100 ? 1 : Math.min(2, Math.max(1, Math.ceil(lines.length / rows)));
  const colWidth = Math.floor((width - 2) / colCount);
  const perCol = Math.ceil(lines.length / colCount);
  const top = Math.max(0, Math.min(scroll, perCol - rows));
  const cols: (typeof lines)[] = [];
  for (let i = 0; i < colCount; i++) cols.push(lines.slice(i * perCol, (i + 1) * perCol).slice(top, top + rows));
  const more = perCol > rows ? ` · ↑ ↓ scroll (${top + 1}–${Math.min(perCol, top + rows)} of ${perCol})` : '';
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.accent}>
      <Text bold wrap="truncate">{fit(`Keys — ? or Esc closes this help, q quits${more}`, width - 2)}</Text>
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
