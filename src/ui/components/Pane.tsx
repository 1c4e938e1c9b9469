import React from 'react';
import { Box } from 'ink';
import { paneNumber, type PaneId } from '../panes.ts';
import { Line } from './Line.tsx';
import { useTheme } from './ThemeContext.ts';

interface Props {
  id: PaneId;
  title: string;
  width: number;
  height: number;
  focused: boolean;
  /** Short text at the right of the title line (counts, mode). */
  badge?: string;
  /**
   * Cut what the body draws to the box. Rows a pane model made are already cut to its width and
   * height, and clipping costs Ink a slice of every line of every frame; a flowing paragraph
   * (an empty pane's `waiting`) can be taller than the box.
   */
  clip?: boolean;
  children: React.ReactNode;
}

/**
 * A pane's frame: a title line of exactly `width` cells, then a box of fixed size with no top
 * border. Fixed sizes keep the frame's height constant, so Ink never has to clear the screen.
 */
export function Pane({ id, title: name, width, height, focused, badge, clip = true, children }: Props): React.ReactElement {
  const theme = useTheme();
  const colour = focused ? theme.focusBorder : theme.border;
  // Without colours (NO_COLOR) a bold border is easy to miss: the focused title is bracketed.
  const marked = focused && theme.focusBorder === undefined;
  const title = marked ? `[${paneNumber(id)} ${name}]` : ` ${paneNumber(id)} ${name} `;
  const right = badge ? ` ${badge} ` : '';
  const fill = Math.max(0, width - 4 - title.length - right.length);
  const full = `┌─${title}${'─'.repeat(fill)}${right}─┐`;
  const top = full.length > width ? full.slice(0, Math.max(0, width - 1)) + '┐' : full;
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Line width={width} text={top} color={colour} bold={focused} />
      <Box
        borderStyle="single"
        borderTop={false}
        borderColor={colour}
        width={width}
        height={Math.max(1, height - 1)}
        flexDirection="column"
        overflow={clip ? 'hidden' : 'visible'}
        paddingX={0}
      >
        {children}
      </Box>
    </Box>
  );
}

/** Inner size of a pane of the given outer size. */
export const inner = (width: number, height: number): { width: number; height: number } => ({
  width: Math.max(1, width - 2),
  height: Math.max(1, height - 2),
});
