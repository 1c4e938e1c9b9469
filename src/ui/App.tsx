import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import { rawKeyBytes } from '../commands/line-input.ts';
import type { Snapshot } from '../session/types.ts';
import { nextSpeed, showSpeed, type BrokerControls, type DeviceControls, type ReplayControls, type SeekTarget, type SnapshotStore } from './controls.ts';
import { activeBindings, BINDINGS, deviceBindings, keyName, resolve, type Action, type Binding, type Context, type Mode } from './keys/bindings.ts';
import { computeLayout, rectOf, type Layout, type LayoutNode } from './layout.ts';
import { PANES, type PaneId } from './panes.ts';
import { paneById } from './panes/index.ts';
import type { PaneModel } from './panes/types.ts';
import { initialUiState, uiReducer, type UiAction, type UiState } from './state/ui-state.ts';
import { moveCursor, searchFrom } from './state/log-view.ts';
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

  const perform = (b: Binding, input: string, key: Key): void => {
    const s = snapRef.current;
    const u = uiRef.current;
    const act: Action = b.action;
    const d = (a: UiAction): void => dispatch(a);
    const m = modeOf(u, device !== null, broker !== null);
    const page = Math.max(1, size.rows - 8);
    if (m === 'detail') {
      const step = act === 'up' ? -1 : act === 'down' ? 1 : act === 'page-up' ? -detailRoom(layoutRef.current.bodyHeight) : act === 'page-down' ? detailRoom(layoutRef.current.bodyHeight) : 0;
      if (step !== 0) d({ type: 'detail-scroll', delta: step });
      else if (act === 'first') d({ type: 'detail-scroll', delta: -1e9 });
      else if (act === 'last') d({ type: 'detail-scroll', delta: 1e9 });
      else if (act === 'close') d({ type: 'detail-close' });
      else if (act === 'quit') quit();
      else if (act === 'detail-save' && u.detail) {
        if (!saveItem) d({ type: 'detail-saved', text: 'no place to save to in this monitor' });
        else {
          d({ type: 'detail-saved', text: 'saving…' });
          saveItem(u.detail.doc.json).then(
            (where) => d({ type: 'detail-saved', text: `saved as JSON to ${where} (and to the clipboard where the terminal allows OSC 52)` }),
            (err: unknown) => d({ type: 'detail-saved', text: `save failed: ${err instanceof Error ? err.message : String(err)}` }),
          );
        }
      }
      return;
    }
    if (m === 'help') {
      const step = act === 'up' ? -1 : act === 'down' ? 1 : act === 'page-up' ? -helpRoom(layoutRef.current.bodyHeight) : act === 'page-down' ? helpRoom(layoutRef.current.bodyHeight) : 0;
      if (step !== 0) d({ type: 'help-scroll', delta: step });
      else if (act === 'close') d({ type: 'toggle-help' });
      else if (act === 'quit') quit();
      return;
    }
    if (m === 'prompt' && u.prompt) {
      if (act === 'prompt-submit') {
        const text = u.prompt.text;
        if (u.prompt.kind === 'filter') d({ type: 'set-pattern', pattern: text });
        else if (u.prompt.kind === 'goto') {
          const n = Number(text.trim());
          if (!Number.isInteger(n) || n < 1) say(`not a line number: ${text}`);
          else seek({ to: 'line', line: n - 1 });
        } else if (device) device.sendLine(text).then(() => say(`sent: ${text}`), fail('send'));
        d({ type: 'prompt-close' });
      } else if (act === 'prompt-cancel') d({ type: 'prompt-close' });
      else if (act === 'prompt-erase') d({ type: 'prompt-edit', text: u.prompt.text.slice(0, -1) });
      else if (act === 'quit') quit();
      else if (act === 'prompt-type' && input && !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab) d({ type: 'prompt-edit', text: u.prompt.text + input });
      return;
    }
    if (m === 'confirm' && u.confirm) {
      const c = u.confirm;
      d({ type: 'close-overlays' });
      if (act === 'confirm-yes') runDevice(c.action);
      else say('cancelled');
      return;
    }
    if (m === 'presets' && broker && u.presets) {
      if (act === 'up' || act === 'down') d({ type: 'presets-move', delta: act === 'up' ? -1 : 1, count: broker.presets.length });
      else if (act === 'preset-publish') {
        d({ type: 'presets-close' });
        publishPreset(u.presets.index);
      } else if (act === 'close') d({ type: 'presets-close' });
      else if (act === 'quit') quit();
      return;
    }
    if (m === 'raw' && device) {
      d({ type: 'raw-next', on: false });
      const bytes = rawKeyBytes(input, key);
      if (bytes.length > 0) device.sendRaw(bytes).then(() => say(`sent ${bytes.length} raw byte${bytes.length === 1 ? '' : 's'}`), fail('raw send'));
      return;
    }

    if (act !== 'quit') say(null);
    if (act.startsWith('device:')) {
      const id = act.slice('device:'.length);
      if (b.confirm) {
        const note = device?.commands.find((c) => c.id === id)?.note;
        d({ type: 'confirm', action: id, question: note ? `${note} ${b.confirm}` : b.confirm });
      } else runDevice(id);
      return;
    }
    if (/^focus-\d$/.test(act)) {
      d({ type: 'focus', pane: PANES[Number(act.slice(6)) - 1]! });
      return;
    }
    const focusModel = (): PaneModel => paneModel(u.focus, layoutRef.current, s, u, broker).model;
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
      case 'step-forward':
      case 'step-back':
        if (!replay) return;
        if (replay.seek) seek({ to: 'parsed', dir: act === 'step-forward' ? 1 : -1 });
        else if (act === 'step-forward') {
          if (!replay.paused) replay.pause();
          replay.step();
          bump();
        } else say('this replay cannot step back');
        return;
      case 'prev-state':
      case 'next-state':
      case 'prev-finding':
      case 'next-finding':
        if (replay?.seek) seek({ to: act.endsWith('state') ? 'state' : 'finding', dir: act.startsWith('next') ? 1 : -1 });
        return;
      case 'goto-line':
        if (replay?.seek) d({ type: 'prompt-open', kind: 'goto' });
        return;
      case 'faster':
      case 'slower':
        if (!replay) return;
        replay.setSpeed(nextSpeed(replay.speed, act === 'faster' ? 1 : -1));
        say(`speed ${replay.linesPerSecond ? `${replay.linesPerSecond} lines/s` : showSpeed(replay.speed)}`);
        bump();
        return;
      case 'next-handshake':
      case 'prev-handshake': {
        if (s.handshakes.length === 0) {
          say('no handshake yet');
          return;
        }
        const index = u.handshake ?? s.handshakes.length - 1;
        d({ type: 'select-handshake', index: index + (act === 'next-handshake' ? 1 : -1), count: s.handshakes.length });
        return;
      }
      case 'first':
        if (replay?.seek) seek({ to: 'start' });
        else {
          d({ type: 'select-handshake', index: 0, count: s.handshakes.length });
          d({ type: 'log-cursor', seq: s.log[0]?.seq ?? null });
        }
        return;
      case 'last':
        if (replay?.seek) seek({ to: 'end' });
        else {
          d({ type: 'select-handshake', index: null, count: s.handshakes.length });
          d({ type: 'log-cursor', seq: null });
        }
        return;
      case 'up':
      case 'down':
      case 'page-up':
      case 'page-down': {
        const delta = act === 'up' ? -1 : act === 'down' ? 1 : (act === 'page-up' ? -1 : 1) * page;
        if (u.focus === 'log') {
          d({ type: 'log-cursor', seq: moveCursor(s.log, u.log.pattern, u.log.cursor, delta) });
          return;
        }
        const model = focusModel();
        if (model.items.length === 0) return;
        const cur = model.selected ?? 0;
        d({ type: 'row', pane: u.focus, index: Math.max(0, Math.min(model.items.length - 1, cur + delta)) });
        return;
      }
      case 'detail-open': {
        const model = focusModel();
        const item = model.selected === null ? undefined : model.items[model.selected];
        if (!item) say(u.focus === 'log' ? 'move the cursor onto a line first (↑)' : 'nothing selected to open');
        else d({ type: 'detail-open', doc: item.detail() });
        return;
      }
      case 'jump': {
        const model = focusModel();
        const line = model.selected === null ? null : model.items[model.selected]?.line ?? null;
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
      case 'wrap': d({ type: 'log-wrap' }); return;
      case 'scroll-left':
      case 'scroll-right':
        if (u.log.wrap) say('lines are wrapped: w to cut them and scroll sideways');
        else d({ type: 'log-hscroll', delta: act === 'scroll-left' ? -20 : 20 });
        return;
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
    const m = modeOf(u, device !== null, broker !== null);
    const b = resolve(table, keyName(input, key), { focus: u.focus, replay: replay !== null, device: device !== null, mode: m });
    if (!b) return;
    perform(b, input, key);
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

