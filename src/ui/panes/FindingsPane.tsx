import React from 'react';
import { Box, Text } from 'ink';
import type { Finding } from '../../session/types.ts';
import { fit, lineNo } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import type { PaneProps } from './pane-props.ts';

/** Newest first: the last thing that went wrong is what the developer is looking at. */
export const findingsNewestFirst = (fs: readonly Finding[]): Finding[] => [...fs].reverse();

export function FindingsPane({ snapshot, ui, width, height, focused }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const list = findingsNewestFirst(snapshot.findings);
  if (list.length === 0) {
    const ended = snapshot.status.state === 'ended';
    return <Waiting title={ended ? 'no findings: nothing in this log matched a known failure' : 'no findings yet'} detail={ended ? 'the handshake pane shows each attempt' : 'a finding appears when the log shows a known failure (rejected certificate, alert, PSA error, leaked secret, …)'} />;
  }
  const sel = Math.min(ui.row.findings ?? 0, list.length - 1);
  const rows: { text: string; colour?: string | undefined; bold?: boolean; at: number }[] = [];
  list.forEach((f, i) => {
    const colour = f.severity === 'error' ? theme.error : f.severity === 'warning' ? theme.warning : theme.info;
    rows.push({ text: `${f.severity.toUpperCase()} ${f.message}`, colour, bold: true, at: i });
    if (f.hint) rows.push({ text: `  → ${f.hint}`, at: i });
    rows.push({ text: `  line ${lineNo(f.line)}${f.handshake !== undefined ? ` · handshake #${f.handshake + 1}` : ''} · ${f.code}`, colour: theme.muted, at: i });
  });
  const first = rows.findIndex((r) => r.at === sel);
  const start = Math.max(0, Math.min(first, rows.length - height));
  return (
    <Box flexDirection="column">
      {rows.slice(start, start + height).map((r, i) => (
        <Text key={`${start + i}`} color={r.colour} bold={r.bold} inverse={focused && r.at === sel && r.bold} wrap="truncate">
          {fit(r.text, width)}
        </Text>
      ))}
    </Box>
  );
}
