import React from 'react';
import { Box, Text } from 'ink';
import { fit, windowAround } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import type { PaneProps } from './pane-props.ts';

export function MqttPane({ snapshot, ui, width, height }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const m = snapshot.mqtt;
  if (!m.connected && m.messages.length === 0 && m.subscriptions.length === 0 && !m.brokerStatus) {
    return <Waiting title={'no MQTT activity yet'} detail={'the MQTT client starts after a completed TLS handshake; its connect, subscribe and publish lines show here'} />;
  }
  const head = `${m.connected ? 'connected' : 'not connected'}${m.brokerStatus ? ` · ${m.brokerStatus}` : ''}`;
  const subs = m.subscriptions.length > 0 ? `subscribed: ${m.subscriptions.map((s) => s.topic).join(', ')}` : 'no subscriptions';
  const room = Math.max(1, height - 2);
  const sel = ui.row.mqtt ?? m.messages.length - 1;
  const win = windowAround(m.messages.length, room, sel);
  return (
    <Box flexDirection="column">
      <Text color={m.connected ? theme.ok : theme.warning} bold wrap="truncate">{fit(head, width)}</Text>
      <Text wrap="truncate">{fit(subs, width)}</Text>
      {m.messages.length === 0 ? <Text color={theme.muted} wrap="truncate">{fit('no messages yet', width)}</Text> : null}
      {m.messages.slice(win.start, win.end).map((msg, i) => {
        const at = win.start + i;
        const arrow = msg.direction === 'out' ? '▶' : msg.direction === 'in' ? '◀' : '·';
        const text = `${arrow} ${msg.source === 'broker' ? 'broker' : 'device'} ${msg.topic}${msg.qos !== null ? ` q${msg.qos}` : ''}: ${msg.payload}`;
        return <Text key={`${at}`} inverse={at === sel} wrap="truncate">{fit(text, width)}</Text>;
      })}
    </Box>
  );
}
