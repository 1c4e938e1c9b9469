import React from 'react';
import { Box } from 'ink';
import type { LogLineView } from '../../session/types.ts';
import { fit } from '../format.ts';
import { Line } from '../components/Line.tsx';
import { useTheme } from '../components/ThemeContext.ts';
import type { DetailDoc } from './doc.ts';
import { detailRows } from './lines.ts';

interface Props {
  doc: DetailDoc;
  log: readonly LogLineView[];
  scroll: number;
  saved: string | null;
  width: number;
  height: number;
}

/** Rows the overlay has for text: its height minus the border, the title and the footer. */
export const detailRoom = (height: number): number => Math.max(1, height - 4);

/** The whole item over the panes, wrapped to the full width and scrolled with ↑ ↓ PgUp PgDn. */
export function DetailOverlay({ doc, log, scroll, saved, width, height }: Props): React.ReactElement {
  const theme = useTheme();
  const inner = Math.max(10, width - 2);
  // What the double border leaves; `inner` keeps ten cells for the wrapping below.
  const cells = Math.max(0, width - 2);
  const rows = detailRows(doc, log, inner);
  const room = detailRoom(height);
  const top = Math.max(0, Math.min(scroll, rows.length - room));
  const shown = rows.slice(top, top + room);
  const more = rows.length > room ? ` · rows ${top + 1}–${top + shown.length} of ${rows.length} (↑ ↓ PgUp PgDn)` : '';
  const footer = saved ?? `Esc close · y save as JSON${more}`;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.accent}>
      <Line width={cells} text={fit(doc.title, inner)} bold color={theme.accent} />
      <Box flexDirection="column" height={room}>
        {shown.map((r, i) => (
          <Line key={i} width={cells} text={fit(r.text, inner)} color={r.tone ? theme[r.tone] : undefined} bold={r.bold} />
        ))}
      </Box>
      <Line width={cells} text={fit(footer, inner)} color={saved ? theme.ok : theme.muted} />
    </Box>
  );
}
