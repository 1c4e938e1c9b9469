import React, { useMemo, useReducer, useRef, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import { rawKeyBytes } from '../commands/line-input.ts';
import type { Snapshot } from '../session/types.ts';
import { nextSpeed, showSpeed, type BrokerControls, type DeviceControls, type ReplayControls, type SnapshotStore } from './controls.ts';
import { activeBindings, BINDINGS, deviceBindings, keyName, resolve, type Action, type Binding, type Context } from './keys/bindings.ts';
import { computeLayout, type LayoutNode } from './layout.ts';
import { PANES, type PaneId } from './panes.ts';
import { initialUiState, uiReducer, type UiAction, type UiState } from './state/ui-state.ts';
import { moveCursor, searchFrom } from './state/log-view.ts';
import { findingsNewestFirst } from './panes/FindingsPane.tsx';
import { selectedHandshake, type PaneProps } from './panes/pane-props.ts';
import { HandshakePane } from './panes/HandshakePane.tsx';
import { RecordsPane } from './panes/RecordsPane.tsx';
import { KeysPane } from './panes/KeysPane.tsx';
import { CertificatePane } from './panes/CertificatePane.tsx';
import { MqttPane } from './panes/MqttPane.tsx';
import { LogPane } from './panes/LogPane.tsx';
import { FindingsPane } from './panes/FindingsPane.tsx';
import { Pane, inner } from './components/Pane.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { TabBar } from './components/TabBar.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { ThemeContext } from './components/ThemeContext.ts';
import { useThrottledSnapshot } from './hooks/useThrottledSnapshot.ts';
import { useTerminalSize } from './hooks/useTerminalSize.ts';
import { makeTheme, type Theme } from './theme.ts';

export interface AppProps {
  store: SnapshotStore;
  replay?: ReplayControls | null;
  device?: DeviceControls | null;
  /** A broker connection: `p` in the MQTT pane publishes its presets. */
  broker?: BrokerControls | null;
  /** Called once when the user quits (q, Ctrl+C); the caller closes the source. */
  onQuit?: () => void;
  theme?: Theme;
  /**
   * Minimum ms between two renders caused by new data. 40 ms: at most 25 a second, which
   * leaves room for the renders of key presses within 30 frames a second.
   */
  throttleMs?: number;
  initialFocus?: PaneId;
}

const BODIES: Record<PaneId, (p: PaneProps) => React.ReactElement> = {
  handshake: HandshakePane,
  records: RecordsPane,
  keys: KeysPane,
  certificate: CertificatePane,
  mqtt: MqttPane,
  log: LogPane,
  findings: FindingsPane,
};

function badge(id: PaneId, s: Snapshot, ui: UiState): string | undefined {
  if (id === 'log' && ui.log.pattern) return `/${ui.log.pattern}/`;
  if (id === 'handshake' && s.handshakes.length > 1) return `${selectedHandshake(s, ui).index + 1}/${s.handshakes.length}`;
  if (id === 'findings' && s.findings.length > 0) return `${s.findings.length}`;
  return undefined;
}

/** Rows in the list a pane selects from, for ↑/↓ bounds. */
function listLength(id: PaneId, s: Snapshot, ui: UiState): number {
  const { h } = selectedHandshake(s, ui);
  switch (id) {
    case 'records': return h?.recordList.length ?? 0;
    case 'findings': return s.findings.length;
    case 'certificate': return s.certificates.length;
    case 'mqtt': return s.mqtt.messages.length;
    default: return 0;
  }
}

/** The source line behind what is selected in a pane (Enter jumps there in the log). */
function selectedLine(id: PaneId, s: Snapshot, ui: UiState): number | null {
  const { h } = selectedHandshake(s, ui);
  switch (id) {
    case 'handshake': {
      if (!h) return null;
      if (ui.visit === null && h.outcome === 'failed') return h.errors.at(-1)?.line ?? h.endLine;
      return h.visits[ui.visit ?? h.visits.length - 1]?.line ?? h.startLine;
    }
    case 'records': return h?.recordList[ui.row.records ?? h.recordList.length - 1]?.line ?? null;
    case 'findings': return findingsNewestFirst(s.findings)[ui.row.findings ?? 0]?.line ?? null;
    case 'certificate': return s.certificates[ui.row.certificate ?? 0]?.line ?? null;
    case 'mqtt': return s.mqtt.messages[ui.row.mqtt ?? s.mqtt.messages.length - 1]?.line ?? null;
    case 'keys': return s.psaCalls.at(-1)?.line ?? null;
    case 'log': return null;
  }
}

function renderNode(node: LayoutNode, s: Snapshot, ui: UiState, key: string, broker: BrokerControls | null): React.ReactElement {
  if ('id' in node) {
    const Body = BODIES[node.id];
    const size = inner(node.width, node.height);
    const focused = ui.focus === node.id;
    return (
      <Pane key={key} id={node.id} width={node.width} height={node.height} focused={focused} badge={badge(node.id, s, ui)}>
        <Body snapshot={s} ui={ui} width={size.width} height={size.height} focused={focused} broker={broker} />
      </Pane>
    );
  }
  return (
    <Box key={key} flexDirection={node.dir} width={node.width} height={node.height} flexShrink={0}>
      {node.children.map((c, i) => renderNode(c, s, ui, `${key}.${i}`, broker))}
    </Box>
  );
}

export function App({ store, replay = null, device = null, broker = null, onQuit, theme, throttleMs = 40, initialFocus }: AppProps): React.ReactElement {
  const { exit } = useApp();
  const snapshot = useThrottledSnapshot(store, throttleMs);
  const size = useTerminalSize();
  const [ui, dispatch] = useReducer(uiReducer, initialFocus ? { ...initialUiState, focus: initialFocus } : initialUiState);
  // Controls (pause, speed) live outside React; a tick re-renders after using one.
  const [, setTick] = useState(0);
  const bump = (): void => setTick((n) => n + 1);
  const snapRef = useRef(snapshot);
  snapRef.current = snapshot;
  const uiRef = useRef(ui);
  uiRef.current = ui;
  const quitting = useRef(false);

  const deviceTable = useMemo(() => deviceBindings(device?.commands ?? []), [device]);
  const table = useMemo<Binding[]>(() => [...BINDINGS, ...deviceTable.bindings], [deviceTable]);
  const ctx: Context = { focus: ui.focus, replay: replay !== null, device: device !== null };
  const layout = computeLayout(size.columns, size.rows, ui.focus);
  const themeValue = useMemo(() => theme ?? makeTheme(), [theme]);

  const quit = (): void => {
    if (quitting.current) return;
    quitting.current = true;
    onQuit?.();
    exit();
  };

  const say = (text: string | null): void => dispatch({ type: 'message', text });
  const fail = (what: string) => (err: unknown): void => say(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);

  const runDevice = (id: string): void => {
    if (!device) return;
    const c = device.commands.find((x) => x.id === id);
    say(`sending: ${c?.label ?? id}`);
    device.run(id).catch(fail(c?.label ?? id));
  };

  const publishPreset = (index: number): void => {
    const preset = broker?.presets[index];
    if (!broker || !preset) return;
    const what = `'${preset.payload}' on ${preset.topic} (QoS ${preset.qos}${preset.retain ? ', retained' : ''})`;
    say(`publishing ${what}…`);
    broker.publish(preset.topic, preset.payload, { qos: preset.qos, retain: preset.retain }).then(
      () => say(`published ${what} to ${broker.address}`),
      (err: unknown) => say(`publish failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`),
    );
  };

  const perform = (b: Binding): void => {
    const s = snapRef.current;
    const u = uiRef.current;
    const act: Action = b.action;
    const d = (a: UiAction): void => dispatch(a);
    if (act !== 'quit') say(null);
    if (act.startsWith('device:')) {
      const id = act.slice('device:'.length);
      if (b.confirm) d({ type: 'confirm', action: id, question: b.confirm });
      else runDevice(id);
      return;
    }
    if (act.startsWith('focus-') && /^focus-\d$/.test(act)) {
      d({ type: 'focus', pane: PANES[Number(act.slice(6)) - 1]! });
      return;
    }
    const { h, index } = selectedHandshake(s, u);
    const visitAt = u.visit ?? (h ? h.visits.length - 1 : -1);
    switch (act) {
      case 'quit': quit(); return;
      case 'help': d({ type: 'toggle-help' }); return;
      case 'focus-next': d({ type: 'focus-next' }); return;
      case 'focus-prev': d({ type: 'focus-prev' }); return;
      case 'pause':
        if (!replay) return;
        if (replay.paused) replay.resume();
        else replay.pause();
        bump();
        return;
      case 'step-forward': {
        if (!replay) return;
        if (h && u.visit !== null && u.visit < h.visits.length - 1) {
          const v = h.visits[u.visit + 1]!;
          d({ type: 'select-visit', index: u.visit + 1 === h.visits.length - 1 ? null : u.visit + 1 });
          d({ type: 'log-cursor', seq: u.visit + 1 === h.visits.length - 1 ? null : v.line });
          return;
        }
        if (!replay.paused) replay.pause();
        replay.step();
        bump();
        return;
      }
      case 'step-back': {
        if (!replay || !h) return;
        if (!replay.paused) {
          replay.pause();
          bump();
        }
        if (visitAt <= 0) {
          say('first state of this handshake (N: previous handshake)');
          return;
        }
        const v = h.visits[visitAt - 1]!;
        d({ type: 'select-visit', index: visitAt - 1 });
        d({ type: 'log-cursor', seq: v.line });
        return;
      }
      case 'faster':
      case 'slower':
        if (!replay) return;
        replay.setSpeed(nextSpeed(replay.speed, act === 'faster' ? 1 : -1));
        say(`speed ${showSpeed(replay.speed)}`);
        bump();
        return;
      case 'next-handshake':
      case 'prev-handshake':
        if (s.handshakes.length === 0) {
          say('no handshake yet');
          return;
        }
        d({ type: 'select-handshake', index: index + (act === 'next-handshake' ? 1 : -1), count: s.handshakes.length });
        return;
      case 'first':
        d({ type: 'select-handshake', index: 0, count: s.handshakes.length });
        d({ type: 'log-cursor', seq: s.log[0]?.seq ?? null });
        return;
      case 'last':
        d({ type: 'select-handshake', index: null, count: s.handshakes.length });
        d({ type: 'log-cursor', seq: null });
        return;
      case 'up':
      case 'down':
      case 'page-up':
      case 'page-down': {
        const delta = act === 'up' ? -1 : act === 'down' ? 1 : (act === 'page-up' ? -1 : 1) * Math.max(1, size.rows - 8);
        if (u.focus === 'log') {
          d({ type: 'log-cursor', seq: moveCursor(s.log, u.log.pattern, u.log.cursor, delta) });
        } else if (u.focus === 'handshake') {
          if (!h || h.visits.length === 0) return;
          const next = Math.max(0, Math.min(h.visits.length - 1, visitAt + delta));
          d({ type: 'select-visit', index: next === h.visits.length - 1 ? null : next });
        } else {
          const n = listLength(u.focus, s, u);
          if (n === 0) return;
          const fromEnd = u.focus === 'records' || u.focus === 'mqtt';
          const cur = u.row[u.focus] ?? (fromEnd ? n - 1 : 0);
          d({ type: 'row', pane: u.focus, index: Math.max(0, Math.min(n - 1, cur + delta)) });
        }
        return;
      }
      case 'jump': {
        const line = selectedLine(u.focus, s, u);
        if (line === null) say('nothing selected to show in the log');
        else d({ type: 'jump', seq: line });
        return;
      }
      case 'filter':
        d({ type: 'prompt-open', kind: 'filter', text: u.log.pattern });
        return;
      case 'search-next':
      case 'search-prev': {
        if (!u.log.pattern) {
          say('no pattern: press / to type one');
          return;
        }
        const found = searchFrom(s.log, u.log.pattern, u.log.cursor, act === 'search-next' ? 1 : -1);
        if (found === null) say(`no ${act === 'search-next' ? 'later' : 'earlier'} line matches /${u.log.pattern}/`);
        else d({ type: 'log-cursor', seq: found });
        return;
      }
      case 'follow': d({ type: 'log-cursor', seq: null }); return;
      case 'clear-filter': d({ type: 'set-pattern', pattern: '' }); return;
      case 'raw-prefix':
        d({ type: 'raw-next', on: true });
        say('next key goes to the device as raw bytes');
        return;
      case 'line-mode':
        d({ type: 'prompt-open', kind: 'line' });
        return;
      case 'publish-menu':
        if (!broker) say('no broker connection to publish through: hsmon monitor PORT --broker mqtt://HOST --topic FILTER');
        else if (broker.presets.length === 0) say('no publish presets: add "presets": [{"name", "topic", "payload", "qos", "retain"}] to hsmon.json');
        else d({ type: 'presets-open' });
        return;
      default:
        return;
    }
  };

  useInput((input: string, key: Key) => {
    const u = uiRef.current;
    if (u.prompt) {
      if (key.return) {
        if (u.prompt.kind === 'filter') dispatch({ type: 'set-pattern', pattern: u.prompt.text });
        else if (device) {
          const text = u.prompt.text;
          device.sendLine(text).then(() => say(`sent: ${text}`), fail('send'));
        }
        dispatch({ type: 'prompt-close' });
      } else if (key.escape) dispatch({ type: 'prompt-close' });
      else if (key.backspace || key.delete) dispatch({ type: 'prompt-edit', text: u.prompt.text.slice(0, -1) });
      else if (key.ctrl && input === 'c') quit();
      else if (input && !key.ctrl && !key.meta) dispatch({ type: 'prompt-edit', text: u.prompt.text + input });
      return;
    }
    if (u.presets && broker) {
      const name = keyName(input, key);
      if (name === 'up' || name === 'down') dispatch({ type: 'presets-move', delta: name === 'up' ? -1 : 1, count: broker.presets.length });
      else if (name === 'enter') {
        dispatch({ type: 'presets-close' });
        publishPreset(u.presets.index);
      } else if (name === 'escape' || name === 'p') dispatch({ type: 'presets-close' });
      else if (name === 'ctrl+c') quit();
      return;
    }
    if (u.confirm) {
      const c = u.confirm;
      dispatch({ type: 'close-overlays' });
      if (input === 'y' || input === 'Y') runDevice(c.action);
      else say('cancelled');
      return;
    }
    if (u.rawNext && device) {
      dispatch({ type: 'raw-next', on: false });
      const bytes = rawKeyBytes(input, key);
      if (bytes.length > 0) device.sendRaw(bytes).then(() => say(`sent ${bytes.length} raw byte${bytes.length === 1 ? '' : 's'}`), fail('raw send'));
      return;
    }
    const name = keyName(input, key);
    if (u.help) {
      if (name === '?' || name === 'escape') dispatch({ type: 'toggle-help' });
      else if (name === 'q' || name === 'ctrl+c') quit();
      return;
    }
    const b = resolve(table, name, { focus: u.focus, replay: replay !== null, device: device !== null });
    if (b) perform(b);
  });

  const keys = activeBindings(table, ctx).filter((b) => b.scope !== 'global' || ['help', 'quit', 'focus-next'].includes(b.action));
  const message = ui.confirm
    ? `${ui.confirm.question} y/n`
    : ui.prompt?.kind === 'line'
      ? `send to device: ${ui.prompt.text}▏ (Enter send · Esc cancel)`
      : ui.presets && broker
        ? `publish to ${broker.address}: ↑/↓ choose · Enter publish · Esc cancel`
        : ui.message ?? (deviceTable.refused.length > 0 ? deviceTable.refused.join('; ') : null);

  let body: React.ReactElement;
  if (ui.help) {
    body = <HelpOverlay table={table} replay={replay !== null} device={device !== null} width={size.columns} height={layout.bodyHeight} />;
  } else if (layout.mode === 'tabs') {
    const p = layout.pane;
    body = (
      <Box flexDirection="column" width={size.columns} height={layout.bodyHeight}>
        <TabBar focus={ui.focus} snapshot={snapshot} width={size.columns} />
        {renderNode(p, snapshot, ui, 'tab', broker)}
      </Box>
    );
  } else {
    body = renderNode(layout.root, snapshot, ui, 'g', broker);
  }
  return (
    <ThemeContext.Provider value={themeValue}>
      <Box flexDirection="column" width={size.columns} height={layout.bodyHeight + 2}>
        {body}
        <StatusBar snapshot={snapshot} replay={replay} keys={keys} message={message} width={size.columns} />
      </Box>
    </ThemeContext.Provider>
  );
}
