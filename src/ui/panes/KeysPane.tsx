import React from 'react';
import { Box, Text } from 'ink';
import { fit, lineNo, pad } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import type { PaneProps } from './pane-props.ts';

export function KeysPane({ snapshot, width, height }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const { keys, psaCalls } = snapshot;
  if (keys.length === 0 && psaCalls.length === 0) {
    return <Waiting title={'no keys seen yet'} detail={'waiting for the device to print PSA key ids and psa_* results (key generation, import, signing in CERTIFICATE_VERIFY)'} />;
  }
  const keyLines = keys.map((k) => {
    const bad = k.lastStatus !== null && k.lastStatus !== 'PSA_SUCCESS';
    return {
      text: `key ${k.id} ${k.type ?? 'type ?'}${k.bits ? ` ${k.bits} bits` : ''} · ${k.alg ?? 'alg ?'} · ${k.lifetime ?? 'lifetime ?'}${k.lastStatus ? ` · ${k.lastStatus}` : ''}`,
      bad,
    };
  });
  const room = Math.max(0, height - keyLines.length - 1);
  const calls = psaCalls.slice(-room);
  return (
    <Box flexDirection="column">
      {keyLines.slice(0, height).map((k, i) => (
        <Text key={`k${i}`} color={k.bad ? theme.error : undefined} wrap="truncate">{fit(k.text, width)}</Text>
      ))}
      {calls.length > 0 && room > 0 ? <Text bold wrap="truncate">{fit(`PSA calls (${psaCalls.length})`, width)}</Text> : null}
      {calls.map((c, i) => (
        <Text key={`c${i}`} color={c.status === 0 ? undefined : theme.error} wrap="truncate">
          {fit(`${pad(c.fn, 26)} ${c.name ?? String(c.status)}  line ${lineNo(c.line)}`, width)}
        </Text>
      ))}
    </Box>
  );
}
