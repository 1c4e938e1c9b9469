/** The selected attempt: its version and suite, the outcome, the state ladder, the failure. */
import type { HandshakeDisplay, HandshakeView, Rung } from '../../../session/types.ts';
import { duration, lineNo, pad, padStart, shortState, fit } from '../../format.ts';
import { anyCut, selectedIndex, windowRows, type ItemRow } from '../selection.ts';
import { hasTiming, selectedHandshake } from '../handshake-select.ts';
import type { ModelInput, PaneItem, PaneModel, Row } from '../types.ts';

const SYMBOL: Record<Rung['mark'], string> = { done: '✓', current: '▶', failed: '✗', 'not-reached': '·' };

const EMPTY: HandshakeDisplay = { ladder: [], failure: [], recordLimit: 16384, limitText: '', records: [], fragmented: [] };

export function displayOf(s: ModelInput['snapshot'], index: number): HandshakeDisplay {
  return s.handshakeDisplay?.(index) ?? EMPTY;
}

function outcomeRow(h: HandshakeView, timed: boolean): Row {
  const total = timed && h.endT !== null ? ` in ${duration(h.endT - h.startT)}` : '';
  if (h.outcome === 'ok') return { text: `✓ handshake completed${total}${h.inferred ? ` (inferred: ${h.inferred})` : ''}`, tone: 'ok', bold: true };
  if (h.outcome === 'failed' && h.failedAt === 'MBEDTLS_SSL_HANDSHAKE_OVER') return { text: `✗ failed after the handshake, before any data${total}`, tone: 'error', bold: true };
  if (h.outcome === 'failed') return { text: `✗ failed in ${shortState(h.failedAt ?? h.current ?? '?')}${h.failedIn ? ` (mbedTLS in ${shortState(h.failedIn)})` : ''}${total}`, tone: 'error', bold: true };
  if (h.endT === null) return { text: `▶ in progress: ${h.current ? shortState(h.current) : 'waiting for the first state'}`, tone: 'current', bold: true };
  return { text: `… incomplete: the log ends in ${h.current ? shortState(h.current) : 'no state'}`, tone: 'current', bold: true };
}

function rungDetail(h: HandshakeView, index: number, r: Rung, failure: string[]): PaneItem['detail'] {
  return () => {
    const v = r.visit !== null ? h.visits[r.visit] : undefined;
    const errors = h.errors.filter((e) => e.state === r.state);
    const fields: [string, string][] = [
      ['state', r.state],
      ['handshake', `#${index + 1}${h.tlsVersion ? ` · TLS ${h.tlsVersion}` : ''}`],
      ['mark', r.mark === 'not-reached' ? 'not reached' : r.mark],
    ];
    if (v) {
      fields.push(['line', String(lineNo(v.line))], ['records', `${v.recordsIn} in, ${v.recordsOut} out`]);
      if (r.durationMs !== null && hasTiming(h)) fields.push(['time in state', duration(r.durationMs)]);
      if (r.portGoneMs > 0) fields.push(['port gone', `${duration(r.portGoneMs)} during this state (not counted in the time in state)`]);
    }
    for (const e of errors) fields.push(['error', `${e.fn}: ${e.error.name ?? 'unknown'} (${e.error.hex})${e.error.text ? ` — ${e.error.text}` : ''} at line ${lineNo(e.line)}`]);
    if (r.mark === 'failed') for (const f of failure) fields.push(['failure', f.trim()]);
    return {
      title: `${shortState(r.state)} (handshake #${index + 1})`,
      fields,
      evidence: [...(v ? [v.line] : []), ...errors.map((e) => e.line)],
      json: { ...r, ...(v ? { visit: v } : {}), errors },
    };
  };
}

export function handshakeModel({ snapshot, ui, width, height }: ModelInput): PaneModel {
  const { h, index } = selectedHandshake(snapshot, ui);
  if (!h) {
    return { rows: [], items: [], selected: null, waiting: { title: 'no handshake yet', detail: 'waiting for `=> handshake` from the device (mbedTLS debug level 2 or more: mbedtls_debug_set_threshold(2))' } };
  }
  const n = snapshot.handshakes.length;
  const d = displayOf(snapshot, index);
  const timed = hasTiming(h);
  const head: Row[] = [
    { text: `Attempt ${index + 1} of ${n} · ${h.tlsVersion ? `TLS ${h.tlsVersion}` : 'TLS version not negotiated yet'}`, bold: true },
    { text: h.ciphersuite ?? 'no ciphersuite chosen yet' },
  ];
  if (n > 1) {
    head.push({ text: 'attempts ' + snapshot.handshakes.map((a, i) => `${i === index ? '[' : ''}#${i + 1}${a.outcome === 'ok' ? '✓' : a.outcome === 'failed' ? '✗' : '…'}${i === index ? ']' : ''}`).join(' '), tone: 'muted' });
  }
  head.push(outcomeRow(h, timed));
  if (!timed) head.push({ text: 'no timing in this log: durations unknown', tone: 'muted' });
  const failure: Row[] = d.failure.map((text) => ({ text, tone: 'error' }));
  const rungs = d.ladder;
  // Default: the state the client is in now (or failed in), the last visited one.
  const lastVisited = rungs.reduce((acc, r, i) => (r.visit !== null ? i : acc), 0);
  const sel = selectedIndex(ui, 'handshake', rungs.length, lastVisited);
  const nameWidth = Math.max(8, Math.min(34, width - 14));
  const ladderRows: ItemRow[] = rungs.map((r, i) => {
    const dur = r.mark === 'not-reached' ? 'not reached' : r.mark === 'current' ? 'now' : timed ? duration(r.durationMs) : '';
    return {
      text: `${SYMBOL[r.mark]} ${pad(fit(shortState(r.state), nameWidth), nameWidth)} ${padStart(dur, 11)}${r.portGoneMs > 0 ? ` + port gone ${duration(r.portGoneMs)}` : ''}`.trimEnd(),
      tone: r.mark === 'done' ? 'ok' : r.mark === 'failed' ? 'error' : r.mark === 'current' ? 'current' : 'muted',
      dim: r.mark === 'not-reached',
      item: i,
    };
  });
  const items: PaneItem[] = rungs.map((r) => ({ line: r.line, detail: rungDetail(h, index, r, d.failure) }));
  // Head and failure first; the ladder gets what is left (at least one row).
  const fixedHead = head.slice(0, Math.max(0, height - 1));
  const failRoom = Math.max(0, Math.min(failure.length, height - fixedHead.length - 1));
  const room = Math.max(0, height - fixedHead.length - failRoom);
  const rows = [...fixedHead, ...windowRows(ladderRows, room, sel, true), ...failure.slice(0, failRoom)].slice(0, height);
  const attemptBadge = n > 1 ? `${index + 1}/${n}` : undefined;
  const cut = anyCut(rows, width) || failRoom < failure.length;
  const badge = [attemptBadge, cut ? '…Enter' : undefined].filter(Boolean).join(' ') || undefined;
  return { rows, items, selected: sel, ...(badge ? { badge } : {}) };
}

