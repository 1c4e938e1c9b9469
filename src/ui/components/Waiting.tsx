import React from 'react';
import { Text } from 'ink';
import { useTheme } from './ThemeContext.ts';

/** What an empty pane is waiting for: one flowing paragraph, so it reads even two rows high. */
export function Waiting({ title, detail }: { title: string; detail: string }): React.ReactElement {
  const theme = useTheme();
  return (
    <Text wrap="wrap">
      <Text bold>{title}</Text>
      <Text color={theme.muted}> — {detail}</Text>
    </Text>
  );
}
