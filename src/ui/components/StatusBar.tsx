import React from 'react';
import { Box } from 'ink';
import type { Snapshot } from '../../session/types.ts';
import { showSpeed, type ReplayControls } from '../controls.ts';
import { clock, fit } from '../format.ts';
import { showKey, type Binding } from '../keys/bindings.ts';
import { Line } from './Line.tsx';
import { useTheme } from './ThemeContext.ts';
import { brokerText } from './broker-text.ts';

export { brokerText };

interface Props {
  snapshot: Snapshot;
  replay: ReplayControls | null;
  /** Bindings in force for the focused pane, most specific first. */
  keys: Binding[];
  message: string | null;
  width: number;
}

const STATE_WORDS: Record<string, string> = {
  connecting: 'connecting…',
  open: 'open',
  reconnecting: 'disconnected — reconnecting…',
  closed: 'closed',
  ended: 'end of file',
  error: 'error',
};

export function sourceText(s: Snapshot): string {
  const src = s.source;
  if (src.type === 'serial') return `${src.name}${src.baud ? ` @ ${src.baud} baud` : ''}`;
  if (src.type === 'file') return `replay ${src.name}`;
  if (src.type === 'sim') return `simulator ${src.name}`;
  return src.name;
}

export function StatusBar({ snapshot, replay, keys, message, width }: Props): React.ReactElement {
  const theme = useTheme();
  const st = snapshot.status;
  const words = st.state === 'reconnecting' && st.since !== undefined ? `disconnected since ${clock(st.since)} — reconnecting…` : STATE_WORDS[st.state] ?? st.state;
  const state = `${words}${st.detail ? `: ${st.detail}` : ''}`;
  const parts = [sourceText(snapshot), state];
  const broker = brokerText(snapshot.mqtt.brokerStatus);
  if (snapshot.source.recordingStopped) parts.push(`recording stopped: ${snapshot.source.recordingStopped}`);
  else if (snapshot.source.recordingPath) parts.push(`recording → ${snapshot.source.recordingPath}`);
  if (snapshot.source.damage) parts.push(snapshot.source.damage);
  if (replay) {
    const p = replay.progress();
    const pct = p.totalBytes > 0 ? Math.floor((p.bytesRead * 100) / p.totalBytes) : 100;
    const t = snapshot.replay?.t;
    // A plain log has no timing: its pace is lines per second; a .cast plays at its own times.
    const lps = replay.linesPerSecond;
    const pace = lps === undefined || replay.speed === 'max' ? showSpeed(replay.speed) : `${lps} lines/s`;
    const read = p.read === undefined ? '' : ` · read ${Math.floor(p.read * 100)}%`;
    parts.push(`${t ? `${clock(t)} · ` : ''}${pct}%${read} · ${replay.paused ? `paused (${pace})` : pace}`);
  }
  parts.push(`${snapshot.lines} lines`);
  // The device's one-line story is worth showing, after what identifies the source.
  if (snapshot.device) parts.push(snapshot.device);
  const stateColour = st.state === 'reconnecting' || st.state === 'error' ? theme.error : st.state === 'open' ? theme.ok : theme.muted;
  const brokerColour = !broker ? undefined : broker.state === 'connected' ? theme.ok : broker.state === 'connecting' ? theme.muted : theme.error;
  const used = parts[0]!.length + 2 + parts[1]!.length + 1;
  const brokerPart = broker ? ` · ${broker.text}` : '';
  const keyText = keys
    .slice(0, 14)
    .map((b) => `${b.keys.map(showKey).join('/')} ${b.label}`)
    .join(' · ');
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Line
        width={width}
        spans={[
          { text: fit(` ${parts[0]} `, width), inverse: true },
          { text: fit(` ${parts.slice(1, 2).join('')}`, Math.max(0, width - parts[0]!.length - 2)), color: stateColour },
          ...(broker ? [{ text: fit(brokerPart, Math.max(0, width - used)), color: brokerColour }] : []),
          { text: fit(` · ${parts.slice(2).join(' · ')}`, Math.max(0, width - used - brokerPart.length)) },
        ]}
      />
      <Line width={width} text={fit(message ?? keyText, width)} color={message ? theme.accent : theme.muted} />
    </Box>
  );
}
