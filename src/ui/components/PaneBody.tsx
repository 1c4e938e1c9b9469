import React from 'react';
import { Box } from 'ink';
import { fit } from '../format.ts';
import type { PaneModel } from '../panes/types.ts';
import { Line } from './Line.tsx';
import { useTheme } from './ThemeContext.ts';
import { Waiting } from './Waiting.tsx';

/** A pane's rows as its model made them: one Line per row, cut to the width with `…`. */
export function PaneBody({ model, width }: { model: PaneModel; width: number }): React.ReactElement {
  const theme = useTheme();
  if (model.waiting) return <Waiting title={model.waiting.title} detail={model.waiting.detail} />;
  return (
    <Box flexDirection="column">
      {model.rows.map((r, i) => (
        <Line key={i} width={width} text={fit(r.text, width)} color={r.tone ? theme[r.tone] : undefined} bold={r.bold} dim={r.dim} inverse={r.selected} />
      ))}
    </Box>
  );
}
