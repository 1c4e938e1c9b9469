import React from 'react';
import { Box, Text } from 'ink';
import { fit, lineNo, padStart } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { logWindow } from '../state/log-view.ts';
import type { PaneProps } from './pane-props.ts';

export function LogPane({ snapshot, ui, width, height }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const editing = ui.prompt?.kind === 'filter' ? ui.prompt.text : null;
  const pattern = editing ?? ui.log.pattern;
  const win = logWindow(snapshot.log, pattern, ui.log.cursor, height - 1);
  const mode = ui.log.cursor === null ? 'following' : `at line ${lineNo(ui.log.cursor)} (f: follow)`;
  let head: string;
  let headColour: string | undefined;
  if (editing !== null) {
    head = `filter /${editing}▏  Enter apply · Esc cancel${win.error ? ` · invalid: ${win.error}` : ` · ${win.matches} match${win.matches === 1 ? '' : 'es'}`}`;
    headColour = win.error ? theme.error : theme.accent;
  } else if (win.error) {
    head = `filter /${pattern}/ is not a valid regex: ${win.error} — press / to fix it`;
    headColour = theme.error;
  } else if (pattern) {
    head = `${mode} · filter /${pattern}/ ${win.matches} match${win.matches === 1 ? '' : 'es'} · n/N next/previous`;
    headColour = theme.accent;
  } else {
    head = `${mode} · ${snapshot.lines} lines · ● parsed`;
  }
  if (win.cursorLost) {
    head = `line ${lineNo(ui.log.cursor ?? 0)} is older than the ${snapshot.log.length} lines kept`;
    headColour = theme.warning;
  }
  const numWidth = String(lineNo(snapshot.log.at(-1)?.seq ?? 0)).length;
  return (
    <Box flexDirection="column">
      <Text color={headColour} wrap="truncate">{fit(head, width)}</Text>
      {snapshot.log.length === 0 ? (
        <Text color={theme.muted} wrap="truncate">{fit(`waiting for the first line from ${snapshot.source.name}`, width)}</Text>
      ) : null}
      {win.lines.map((l, i) => {
        const mark = l.dir === 'tx' ? '▶' : l.dir === 'note' ? '!' : l.parsed ? '●' : ' ';
        const colour = l.dir === 'tx' ? theme.tx : l.dir === 'note' ? theme.warning : l.parsed ? undefined : theme.muted;
        return (
          <Text key={i} color={colour} inverse={i === win.cursorAt} wrap="truncate">
            {fit(`${padStart(String(lineNo(l.seq)), numWidth)} ${mark} ${l.text.replace(/\t/g, "  ")}${l.truncated ? ' [cut]' : ''}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
