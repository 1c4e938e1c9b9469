import React from 'react';
import { Box, Text } from 'ink';
import type { MqttEntry } from '../../mqtt/history.ts';
import type { PublishPreset } from '../../mqtt/presets.ts';
import { duration, fit, windowAround } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import { brokerText } from '../components/StatusBar.tsx';
import type { PaneProps } from './pane-props.ts';

/** `LED on  ledstatus  q1 retain  TURN ON`: what pressing Enter would send. */
export function presetText(p: PublishPreset): string {
  return `${p.name}  ${p.topic}  q${p.qos}${p.retain ? ' retain' : ''}  ${p.payload}`;
}

/** The other side of a correlated message: "⇄ 4 ms" (device publish → broker, broker → device). */
function linkText(e: MqttEntry | undefined): string {
  const l = e?.links[0];
  return l ? `  ⇄ ${duration(Math.abs(l.latencyMs))}` : '';
}

export function MqttPane({ snapshot, ui, width, height, focused, broker }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const m = snapshot.mqtt;
  if (ui.presets && broker) {
    const room = Math.max(1, height - 1);
    const win = windowAround(broker.presets.length, room, ui.presets.index);
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate">{fit(`publish a preset to ${broker.address}`, width)}</Text>
        {broker.presets.slice(win.start, win.end).map((p, i) => {
          const at = win.start + i;
          const sel = at === ui.presets!.index;
          return <Text key={`${at}`} inverse={sel} wrap="truncate">{fit(`${sel ? '▶' : ' '} ${presetText(p)}`, width)}</Text>;
        })}
      </Box>
    );
  }
  if (!m.connected && m.messages.length === 0 && m.subscriptions.length === 0 && !m.brokerStatus && !broker) {
    return <Waiting title={'no MQTT activity yet'} detail={'the MQTT client starts after a completed TLS handshake; its connect, subscribe and publish lines show here'} />;
  }
  // The broker's full line is in the status bar; here its state beside the device's is enough.
  const brokerState = brokerText(m.brokerStatus)?.state;
  const head = `${m.connected ? 'connected' : 'not connected'}${brokerState ? ` · broker ${brokerState}` : ''}`;
  const subs = m.subscriptions.length > 0 ? `subscribed: ${m.subscriptions.map((s) => s.topic).join(', ')}` : 'no subscriptions';
  // Only while focused (`p` works only then) and when it leaves room for messages.
  const hint = broker && focused && height >= 6 ? `p: publish a preset (${broker.presets.map((p) => p.name).join(', ') || 'none'})` : null;
  const room = Math.max(1, height - (hint ? 3 : 2));
  const sel = ui.row.mqtt ?? m.messages.length - 1;
  const win = windowAround(m.messages.length, room, sel);
  // entries run parallel to messages (both the history, oldest first) and carry the links.
  const entries = m.entries && m.entries.length === m.messages.length ? m.entries : null;
  return (
    <Box flexDirection="column">
      <Text color={m.connected ? theme.ok : theme.warning} bold wrap="truncate">{fit(head, width)}</Text>
      <Text wrap="truncate">{fit(subs, width)}</Text>
      {hint ? <Text color={theme.muted} wrap="truncate">{fit(hint, width)}</Text> : null}
      {m.messages.length === 0 ? <Text color={theme.muted} wrap="truncate">{fit('no messages yet', width)}</Text> : null}
      {m.messages.slice(win.start, win.end).map((msg, i) => {
        const at = win.start + i;
        const arrow = msg.direction === 'out' ? '▶' : msg.direction === 'in' ? '◀' : '·';
        const text = `${arrow} ${msg.source === 'broker' ? 'broker' : 'device'} ${msg.topic}${msg.qos !== null ? ` q${msg.qos}` : ''}: ${msg.payload}${linkText(entries?.[at])}`;
        return <Text key={`${at}`} inverse={at === sel} wrap="truncate">{fit(text, width)}</Text>;
      })}
    </Box>
  );
}
