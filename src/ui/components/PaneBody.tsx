import React from 'react';
import { Box, Text } from 'ink';
import { fit } from '../format.ts';
import type { PaneModel } from '../panes/types.ts';
import { useTheme } from './ThemeContext.ts';
import { Waiting } from './Waiting.tsx';

/** A pane's rows as its model made them: one Text per row, cut to the width with `…`. */
export function PaneBody({ model, width }: { model: PaneModel; width: number }): React.ReactElement {
  const theme = useTheme();
  if (model.waiting) return <Waiting title={model.waiting.title} detail={model.waiting.detail} />;
  return (
    <Box flexDirection="column">
      {model.rows.map((r, i) => (
        <Text key={i} color={r.tone ? theme[r.tone] : undefined} bold={r.bold} dimColor={r.dim} inverse={r.selected} wrap="truncate">
          {fit(r.text, width)}
        </Text>
      ))}
    </Box>
  );
}
