/** The device's MQTT client and the broker side: connection, subscriptions, messages. */
import type { MqttEntry } from '../../../mqtt/history.ts';
import type { PublishPreset } from '../../../mqtt/presets.ts';
import { duration, lineNo, windowAround } from '../../format.ts';
import { brokerText } from '../../components/broker-text.ts';
import { anyCut, selectedIndex, windowRows, type ItemRow } from '../selection.ts';
import type { ModelInput, PaneItem, PaneModel, Row } from '../types.ts';

/** `LED on  ledstatus  q1 retain  TURN ON`: what pressing Enter would send. */
export function presetText(p: PublishPreset): string {
  return `${p.name}  ${p.topic}  q${p.qos}${p.retain ? ' retain' : ''}  ${p.payload}`;
}

/** The other side of a correlated message: "⇄ 4 ms" (device publish → broker, broker → device). */
function linkText(e: MqttEntry | undefined): string {
  const l = e?.links[0];
  return l ? `  ⇄ ${duration(Math.abs(l.latencyMs))}` : '';
}

export function mqttModel({ snapshot, ui, width, height, focused, broker }: ModelInput): PaneModel {
  const m = snapshot.mqtt;
  if (ui.presets && broker) {
    const room = Math.max(0, height - 1);
    const win = windowAround(broker.presets.length, room, ui.presets.index);
    const rows: Row[] = [{ text: `publish a preset to ${broker.address}`, bold: true }];
    broker.presets.slice(win.start, win.end).forEach((p, i) => {
      const sel = win.start + i === ui.presets!.index;
      rows.push({ text: `${sel ? '▶' : ' '} ${presetText(p)}`, selected: sel });
    });
    return { rows: rows.slice(0, height), items: [], selected: null };
  }
  if (!m.connected && m.messages.length === 0 && m.subscriptions.length === 0 && !m.brokerStatus && !broker) {
    return { rows: [], items: [], selected: null, waiting: { title: 'no MQTT activity yet', detail: 'the MQTT client starts after a completed TLS handshake; its connect, subscribe and publish lines show here' } };
  }
  // The broker's full line is in the status bar; here its state beside the device's is enough.
  const brokerState = brokerText(m.brokerStatus)?.state;
  const head: Row[] = [
    { text: `${m.connected ? 'connected' : 'not connected'}${brokerState ? ` · broker ${brokerState}` : ''}`, tone: m.connected ? 'ok' : 'warning', bold: true },
    { text: m.subscriptions.length > 0 ? `subscribed: ${m.subscriptions.map((s) => s.topic).join(', ')}` : 'no subscriptions' },
  ];
  // Only while focused (`p` works only then) and when it leaves room for messages.
  if (broker && focused && height >= 6) head.push({ text: `p: publish a preset (${broker.presets.map((p) => p.name).join(', ') || 'none'})`, tone: 'muted' });
  const entries = m.entries && m.entries.length === m.messages.length ? m.entries : null;
  const sel = selectedIndex(ui, 'mqtt', m.messages.length, 'last');
  const rows: ItemRow[] = m.messages.map((msg, at) => {
    const arrow = msg.direction === 'out' ? '▶' : msg.direction === 'in' ? '◀' : '·';
    return { text: `${arrow} ${msg.source === 'broker' ? 'broker' : 'device'} ${msg.topic}${msg.qos !== null ? ` q${msg.qos}` : ''}: ${msg.payload}${linkText(entries?.[at])}`, item: at };
  });
  const items: PaneItem[] = m.messages.map((msg, at) => ({
    line: msg.line,
    detail: () => ({
      title: `MQTT ${msg.source} message on ${msg.topic}`,
      fields: [
        ['source', msg.source],
        ['direction', msg.direction ?? 'unknown'],
        ['topic', msg.topic],
        ['qos', msg.qos === null ? 'unknown' : String(msg.qos)],
        ['payload', msg.payload],
        ...(msg.line !== null ? [['line', String(lineNo(msg.line))] as [string, string]] : []),
        ...(entries?.[at]?.links ?? []).map((l): [string, string] => ['linked', JSON.stringify(l)]),
      ],
      evidence: msg.line !== null ? [msg.line] : [],
      json: entries?.[at] ?? msg,
    }),
  }));
  const fixed = head.slice(0, Math.max(0, height - 1));
  const body: Row[] = m.messages.length === 0 ? [{ text: 'no messages yet', tone: 'muted' }] : windowRows(rows, height - fixed.length, sel, true);
  const drawn = [...fixed, ...body].slice(0, height);
  return { rows: drawn, items, selected: sel, ...(anyCut(drawn, width) ? { badge: '…Enter' } : {}) };
}
