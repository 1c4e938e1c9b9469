import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { Snapshot } from '../session/types.ts';
import type { BrokerControls, DeviceControls, ReplayControls, SeekTarget, SnapshotStore } from './controls.ts';
import { activeBindings, BINDINGS, deviceBindings, keyName, resolve, type Binding, type Context, type Mode } from './keys/bindings.ts';
import type { ActionEnv } from './keys/action-env.ts';
import { perform } from './keys/perform.ts';
import { computeLayout, rectOf, type Layout, type LayoutNode } from './layout.ts';
import type { PaneId } from './panes.ts';
import { paneById } from './panes/index.ts';
import type { PaneModel } from './panes/types.ts';
import { initialUiState, uiReducer, type UiState } from './state/ui-state.ts';
import { Pane, inner } from './components/Pane.tsx';
import { PaneBody } from './components/PaneBody.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { TabBar } from './components/TabBar.tsx';
import { HelpOverlay, helpRoom } from './components/HelpOverlay.tsx';
import { DetailOverlay, detailRoom } from './detail/DetailOverlay.tsx';
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
  /** `y` in the detail view: writes the item as JSON, resolves with where it went. */
  saveItem?: ((item: unknown) => Promise<string>) | null;
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

/** The model of one pane at the size the layout gives it. */
function paneModel(id: PaneId, layout: Layout, s: Snapshot, ui: UiState, broker: BrokerControls | null): { model: PaneModel; width: number; height: number } {
  const rect = rectOf(layout, id) ?? { width: 80, height: 10 };
  const size = inner(rect.width, rect.height);
  return { model: paneById(id).model({ snapshot: s, ui, width: size.width, height: size.height, focused: ui.focus === id, broker }), ...size };
}

function renderNode(node: LayoutNode, layout: Layout, s: Snapshot, ui: UiState, key: string, broker: BrokerControls | null): React.ReactElement {
  if ('id' in node) {
    const { model, width } = paneModel(node.id, layout, s, ui, broker);
    const focused = ui.focus === node.id;
    return (
      <Pane key={key} id={node.id} title={paneById(node.id).title} width={node.width} height={node.height} focused={focused} badge={model.badge} clip={model.waiting !== undefined}>
        <PaneBody model={model} width={width} />
      </Pane>
    );
  }
  return (
    <Box key={key} flexDirection={node.dir} width={node.width} height={node.height} flexShrink={0}>
      {node.children.map((c, i) => renderNode(c, layout, s, ui, `${key}.${i}`, broker))}
    </Box>
  );
}

/** Who owns the keyboard now: the innermost thing open. */
export function modeOf(ui: UiState, device: boolean, broker: boolean): Mode {
  if (ui.prompt) return 'prompt';
  if (ui.confirm) return 'confirm';
  if (ui.presets && broker) return 'presets';
  if (ui.rawNext && device) return 'raw';
  if (ui.detail) return 'detail';
  if (ui.help) return 'help';
  return 'normal';
}

export function App({ store, replay = null, device = null, broker = null, saveItem = null, onQuit, theme, throttleMs = 40, initialFocus }: AppProps): React.ReactElement {
  const { exit } = useApp();
  const { snapshot, takeNow } = useThrottledSnapshot(store, throttleMs);
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
  const mode = modeOf(ui, device !== null, broker !== null);
  const ctx: Context = { focus: ui.focus, replay: replay !== null, device: device !== null, mode };
  const layout = computeLayout(size.columns, size.rows, ui.focus);
  const themeValue = useMemo(() => theme ?? makeTheme(), [theme]);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  const quit = (): void => {
    if (quitting.current) return;
    quitting.current = true;
    onQuit?.();
    exit();
  };

  const say = (text: string | null): void => dispatch({ type: 'message', text });
  // A long seek goes on in the background: its progress, then where it landed.
  useEffect(() => replay?.onSeekMessage?.((text) => {
    dispatch({ type: 'message', text });
    takeNow();
  }), [replay, takeNow]);
  const fail = (what: string) => (err: unknown): void => say(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);

  const runDevice = (id: string): void => {
    if (!device) return;
    const c = device.commands.find((x) => x.id === id);
    const label = c?.label ?? id;
    say(`sending: ${label}`);
    device.run(id).then(() => {
      // A finished command clears its "sending:" line (unless something else was said since).
      if (uiRef.current.message === `sending: ${label}`) say(`sent: ${label}`);
    }, fail(label));
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

  const seek = (target: SeekTarget): void => {
    if (!replay?.seek) return;
    if (!replay.paused) replay.pause();
    const said = replay.seek(target);
    dispatch({ type: 'reset-rows' });
    say(said);
    bump();
  };

  /** What the key's action may read and do, in the frame on screen now. */
  const actionEnv = (u: UiState): ActionEnv => ({
    snapshot: snapRef.current,
    ui: u,
    mode: modeOf(u, device !== null, broker !== null),
    replay,
    device,
    broker,
    saveItem,
    dispatch,
    say,
    fail,
    quit,
    seek,
    bump,
    runDevice,
    publishPreset,
    focusModel: () => paneModel(u.focus, layoutRef.current, snapRef.current, u, broker).model,
    page: Math.max(1, size.rows - 8),
    detailPage: detailRoom(layoutRef.current.bodyHeight),
    helpPage: helpRoom(layoutRef.current.bodyHeight),
  });

  useInput((input: string, key: Key) => {
    const u = uiRef.current;
    const m = modeOf(u, device !== null, broker !== null);
    const b = resolve(table, keyName(input, key), { focus: u.focus, replay: replay !== null, device: device !== null, mode: m });
    if (!b) return;
    perform(b, input, key, actionEnv(u));
    // After the key's action: its frame shows what a seek (or step) made, with its message.
    takeNow();
  });

  const keys = mode === 'normal'
    ? activeBindings(table, ctx).filter((b) => b.scope !== 'global' || ['help', 'quit', 'focus-next'].includes(b.action))
    : activeBindings(table, ctx);
  const message = ui.confirm
    ? `${ui.confirm.question} y/n`
    : ui.prompt?.kind === 'line'
      ? `send to device: ${ui.prompt.text}▏ (Enter send · Esc cancel)`
      : ui.prompt?.kind === 'goto'
        ? `go to line: ${ui.prompt.text}▏ (Enter go · Esc cancel)`
        : ui.presets && broker
          ? `publish to ${broker.address}: ↑/↓ choose · Enter publish · Esc cancel`
          : ui.message ?? (deviceTable.refused.length > 0 ? deviceTable.refused.join('; ') : null);

  let body: React.ReactElement;
  if (ui.detail) {
    body = <DetailOverlay doc={ui.detail.doc} log={snapshot.log} scroll={ui.detail.scroll} saved={ui.detail.saved} width={size.columns} height={layout.bodyHeight} />;
  } else if (ui.help) {
    body = <HelpOverlay table={table} replay={replay !== null} device={device !== null} width={size.columns} height={layout.bodyHeight} scroll={ui.helpScroll} />;
  } else if (layout.mode === 'tabs') {
    body = (
      <Box flexDirection="column" width={size.columns} height={layout.bodyHeight}>
        <TabBar focus={ui.focus} snapshot={snapshot} width={size.columns} marker={themeValue.focusBorder === undefined} />
        {renderNode(layout.pane, layout, snapshot, ui, 'tab', broker)}
      </Box>
    );
  } else {
    body = renderNode(layout.root, layout, snapshot, ui, 'g', broker);
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

