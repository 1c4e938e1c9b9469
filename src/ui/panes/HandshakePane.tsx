import React from 'react';
import { Box, Text } from 'ink';
import { alertLevelName, TLS12_ORDER, TLS13_ORDER } from '../../session/protocol-names.ts';
import type { HandshakeView } from '../../session/types.ts';
import { duration, fit, pad, padStart, shortState, windowAround } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import { hasTiming, selectedHandshake, type PaneProps } from './pane-props.ts';

type Mark = 'done' | 'current' | 'failed' | 'not-reached';

interface Rung {
  state: string;
  mark: Mark;
  durationMs: number | null;
  line: number | null;
  /** Index in h.visits, for selection. */
  visit: number | null;
}

const SYMBOL: Record<Mark, string> = { done: '✓', current: '▶', failed: '✗', 'not-reached': '·' };

/**
 * The states the client went through, in the order it visited them, then the states of the
 * negotiated version's ladder it did not reach. Optional states it skipped are left out.
 */
export function ladder(h: HandshakeView): Rung[] {
  const order = h.tlsVersion === '1.3' ? TLS13_ORDER : TLS12_ORDER;
  const last = h.visits.length - 1;
  const rungs: Rung[] = h.visits.map((v, i) => {
    let mark: Mark = 'done';
    if (i === last && h.outcome === 'failed') mark = 'failed';
    else if (i === last && h.outcome === 'incomplete' && h.endT === null) mark = 'current';
    return { state: v.state, mark, durationMs: v.durationMs, line: v.line, visit: i };
  });
  if (h.outcome !== 'ok') {
    const lastVisited = h.visits[last]?.state;
    const seen = new Set(h.visits.map((v) => v.state));
    const from = lastVisited ? order.indexOf(lastVisited) : -1;
    for (const st of order.slice(from + 1)) {
      if (!seen.has(st)) rungs.push({ state: st, mark: 'not-reached', durationMs: null, line: null, visit: null });
    }
  }
  return rungs;
}

function outcomeLine(h: HandshakeView, timed: boolean): { text: string; mark: 'ok' | 'failed' | 'running' | 'incomplete' } {
  const total = timed && h.endT !== null ? ` in ${duration(h.endT - h.startT)}` : '';
  if (h.outcome === 'ok') return { text: `✓ handshake completed${total}${h.inferred ? ` (inferred: ${h.inferred})` : ''}`, mark: 'ok' };
  if (h.outcome === 'failed' && h.failedAt === 'MBEDTLS_SSL_HANDSHAKE_OVER') return { text: `✗ failed after the handshake, before any data${total}`, mark: 'failed' };
  if (h.outcome === 'failed') return { text: `✗ failed in ${shortState(h.failedAt ?? h.current ?? '?')}${h.failedIn ? ` (mbedTLS in ${shortState(h.failedIn)})` : ''}${total}`, mark: 'failed' };
  if (h.endT === null) return { text: `▶ in progress: ${h.current ? shortState(h.current) : 'waiting for the first state'}`, mark: 'running' };
  return { text: `… incomplete: the log ends in ${h.current ? shortState(h.current) : 'no state'}`, mark: 'incomplete' };
}

/** The failure in words: error name and code, the alert decoded, verify flags. */
export function failureLines(h: HandshakeView): string[] {
  const out: string[] = [];
  if (h.error) {
    out.push(`error ${h.error.name ?? 'unknown error'} (${h.error.hex})`);
    const detail = h.errors.find((e) => e.error.code === h.error?.code)?.error.text;
    if (detail) out.push(`  ${detail}`);
  }
  if (h.alert) {
    out.push(`alert ${h.alert.direction}: ${alertLevelName(h.alert.level)} ${h.alert.name} (${h.alert.description})`);
  }
  if (h.verifyFlags && h.verifyFlags.names.length > 0) {
    out.push(`verify flags 0x${h.verifyFlags.flags.toString(16)}: ${h.verifyFlags.names.join(', ')}`);
  }
  // Steps the mbedTLS client graph does not allow (lines lost): the ladder alone would hide them.
  const skips = h.anomalies.filter((a) => a.skipped !== undefined && a.skipped.length > 0);
  if (skips.length > 0) out.push(`⚠ ${skips.length === 1 ? '' : `${skips.length}× `}lines lost? skipped ${skips.at(-1)!.skipped!.map(shortState).join(', ')} (line ${skips.at(-1)!.line + 1})`);
  return out;
}

export function HandshakePane({ snapshot, ui, width, height }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const { h, index } = selectedHandshake(snapshot, ui);
  if (!h) {
    return <Waiting title={'no handshake yet'} detail={'waiting for `=> handshake` from the device (mbedTLS debug level 2 or more: mbedtls_debug_set_threshold(2))'} />;
  }
  const n = snapshot.handshakes.length;
  const timed = hasTiming(h);
  const version = h.tlsVersion ? `TLS ${h.tlsVersion}` : 'TLS version not negotiated yet';
  const head = `Attempt ${index + 1} of ${n} · ${version}`;
  const suite = h.ciphersuite ?? 'no ciphersuite chosen yet';
  const outcome = outcomeLine(h, timed);
  const outcomeColour = outcome.mark === 'ok' ? theme.ok : outcome.mark === 'failed' ? theme.error : theme.current;
  const attempts = n > 1
    ? 'attempts ' + snapshot.handshakes.map((a, i) => `${i === index ? '[' : ''}#${i + 1}${a.outcome === 'ok' ? '✓' : a.outcome === 'failed' ? '✗' : '…'}${i === index ? ']' : ''}`).join(' ')
    : null;
  const failure = failureLines(h);
  const rungs = ladder(h);
  const fixed = 3 + (attempts ? 1 : 0) + failure.length + (timed ? 0 : 1);
  const room = Math.max(1, height - fixed);
  const selectedVisit = ui.visit ?? h.visits.length - 1;
  const selRung = Math.max(0, rungs.findIndex((r) => r.visit === selectedVisit));
  const win = windowAround(rungs.length, room, selRung);
  const nameWidth = Math.max(8, Math.min(34, width - 14));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{fit(head, width)}</Text>
      <Text wrap="truncate">{fit(suite, width)}</Text>
      {attempts ? <Text color={theme.muted} wrap="truncate">{fit(attempts, width)}</Text> : null}
      <Text color={outcomeColour} bold wrap="truncate">{fit(outcome.text, width)}</Text>
      {timed ? null : <Text color={theme.muted} wrap="truncate">{fit('no timing in this log: durations unknown', width)}</Text>}
      {rungs.slice(win.start, win.end).map((r, i) => {
        const colour = r.mark === 'done' ? theme.ok : r.mark === 'failed' ? theme.error : r.mark === 'current' ? theme.current : theme.muted;
        const d = r.mark === 'not-reached' ? 'not reached' : r.mark === 'current' ? 'now' : timed ? duration(r.durationMs) : '';
        const text = `${SYMBOL[r.mark]} ${pad(fit(shortState(r.state), nameWidth), nameWidth)} ${padStart(d, 11)}`;
        const selected = win.start + i === selRung && r.visit !== null;
        return (
          <Text key={`${win.start + i}`} color={colour} inverse={selected} dimColor={r.mark === 'not-reached'} wrap="truncate">
            {fit(text, width)}
          </Text>
        );
      })}
      {failure.map((l, i) => (
        <Text key={`f${i}`} color={theme.error} wrap="truncate">{fit(l, width)}</Text>
      ))}
    </Box>
  );
}
