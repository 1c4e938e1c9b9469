import React from 'react';
import { Box, Text } from 'ink';
// Without a negotiated max_fragment_length the bars scale to the protocol's 2^14-byte record (MAX_PLAINTEXT).
import { contentTypeName, handshakeTypeName, MAX_PLAINTEXT } from '../../session/protocol-names.ts';
import { bar, bytes, fit, messageName, pad, padStart, shortState, windowAround } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import { selectedHandshake, type PaneProps } from './pane-props.ts';


export function RecordsPane({ snapshot, ui, width, height }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const { h, index } = selectedHandshake(snapshot, ui);
  if (!h) {
    return <Waiting title={'no records yet'} detail={'records appear with mbedTLS debug level 2 or more (`=> write record`, `input record: msgtype`) once a handshake starts'} />;
  }
  const limit = h.maxFragmentLength ?? MAX_PLAINTEXT;
  const mfl = h.maxFragmentLength === null && h.unknown.some((u) => u.field === 'maxFragmentLength')
    ? 'max_fragment_length unknown (debug level 3 shows it)'
    : h.maxFragmentLength !== null
    ? `max_fragment_length ${bytes(h.maxFragmentLength)}`
    : h.mflOffered !== null
      ? `max_fragment_length offered ${bytes(h.mflOffered)}, not negotiated (limit ${bytes(MAX_PLAINTEXT)})`
      : `no max_fragment_length (limit ${bytes(MAX_PLAINTEXT)})`;
  const r = h.records;
  const unknown = h.unknown.find((u) => u.field === 'records');
  const largest = unknown ? `records unknown: ${unknown.reason}` : `largest in ${bytes(r.in.maxLength)} · out ${bytes(r.out.maxLength)} of ${bytes(limit)} · ${r.in.count} in, ${r.out.count} out`;
  const over = Math.max(r.in.maxLength, r.out.maxLength) > limit;
  const fragmented = h.messages
    .filter((m) => m.fragments.length > 1)
    .map((m) => `${messageName(handshakeTypeName(m.type))} ${bytes(m.length)} in ${m.fragments.length} fragments`);
  const head = [`Handshake #${index + 1}`, mfl];
  const list = h.recordList;
  const room = Math.max(1, height - head.length - 1 - fragmented.length - (list.length === 0 ? 0 : 0));
  const selected = ui.row.records ?? list.length - 1;
  const win = windowAround(list.length, room, selected);
  const barWidth = Math.max(4, Math.min(24, width - 44));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{fit(head[0]!, width)}</Text>
      <Text wrap="truncate">{fit(head[1]!, width)}</Text>
      <Text color={over ? theme.error : undefined} wrap="truncate">{fit(largest, width)}</Text>
      {fragmented.map((f, i) => (
        <Text key={`m${i}`} color={theme.info} wrap="truncate">{fit(f, width)}</Text>
      ))}
      {list.length === 0 ? (
        <Text color={theme.muted} wrap="truncate">{fit('no records in this handshake yet', width)}</Text>
      ) : (
        list.slice(win.start, win.end).map((rec, i) => {
          const at = win.start + i;
          const text = `${rec.direction === 'in' ? '◀ in ' : '▶ out'} ${pad(contentTypeName(rec.contentType), 17)} ${padStart(bytes(rec.length), 8)} ${bar(rec.length, limit, barWidth)} ${rec.state ? shortState(rec.state) : ''}${rec.messages ? ` ${rec.messages.join('+')}` : ''}`;
          return (
            <Text key={`${at}`} inverse={at === selected} color={rec.length > limit ? theme.error : rec.direction === 'out' ? theme.tx : undefined} wrap="truncate">
              {fit(text, width)}
            </Text>
          );
        })
      )}
    </Box>
  );
}
