import React from 'react';
import { Box, Text } from 'ink';
import { PANES, PANE_TITLES, paneNumber, type PaneId } from '../panes.ts';
import type { Snapshot } from '../../session/types.ts';
import { useTheme } from './ThemeContext.ts';

/** Counts beside the tab names tell which hidden pane has something new. */
function count(id: PaneId, s: Snapshot): string {
  switch (id) {
    case 'handshake': return s.handshakes.length ? `${s.handshakes.length}` : '';
    case 'records': return '';
    case 'keys': return s.keys.length ? `${s.keys.length}` : '';
    case 'certificate': return s.certificates.length ? `${s.certificates.length}` : '';
    case 'mqtt': return s.mqtt.messages.length ? `${s.mqtt.messages.length}` : '';
    case 'log': return '';
    case 'findings': return s.findings.length ? `${s.findings.length}` : '';
  }
}

export function TabBar({ focus, snapshot, width }: { focus: PaneId; snapshot: Snapshot; width: number }): React.ReactElement {
  const theme = useTheme();
  const errors = snapshot.findings.some((f) => f.severity === 'error');
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {PANES.map((id) => {
          const c = count(id, snapshot);
          const label = ` ${paneNumber(id)} ${PANE_TITLES[id]}${c ? ` (${c})` : ''} `;
          const colour = id === 'findings' && errors ? theme.error : undefined;
          return (
            <Text key={id} inverse={id === focus} bold={id === focus} color={colour}>
              {label}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}
