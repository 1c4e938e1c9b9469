/**
 * The one table of key bindings. Every key the monitor reacts to is defined here, so the help
 * overlay, the status bar hints and the input handler can never disagree. Device commands
 * (src/commands, from the config file) are appended by `deviceBindings`, never hard-coded.
 */
import type { RawKey } from '../../commands/line-input.ts';
import type { PaneId } from '../panes.ts';
import { PANE_LIST } from '../panes/index.ts';

/** What a key press asks for. The UI reducer and the App's effects carry them out. */
export type Action =
  | 'help' | 'quit' | 'focus-next' | 'focus-prev'
  | 'focus-1' | 'focus-2' | 'focus-3' | 'focus-4' | 'focus-5' | 'focus-6' | 'focus-7'
  | 'pause' | 'step-back' | 'step-forward' | 'faster' | 'slower'
  | 'next-handshake' | 'prev-handshake' | 'first' | 'last'
  | 'prev-state' | 'next-state' | 'prev-finding' | 'next-finding' | 'goto-line'
  | 'up' | 'down' | 'page-up' | 'page-down' | 'jump' | 'detail-open'
  | 'filter' | 'search-next' | 'search-prev' | 'follow' | 'clear-filter' | 'wrap' | 'scroll-left' | 'scroll-right'
  | 'raw-prefix' | 'line-mode' | 'publish-menu'
  // Modal: they act only in their mode (see Mode).
  | 'close' | 'detail-save' | 'confirm-yes' | 'confirm-no' | 'prompt-submit' | 'prompt-cancel' | 'prompt-erase' | 'prompt-type'
  | 'raw-send' | 'preset-publish'
  | `device:${string}`;

/**
 * What owns the keyboard. `normal`: the panes. The others are modal: while one is open only its
 * bindings act (a prompt takes every printable key as text, a y/n question any other key as no).
 */
export type Mode = 'normal' | 'help' | 'detail' | 'confirm' | 'prompt' | 'presets' | 'raw';

/**
 * Where a binding applies. `global` always; `replay` only while replaying a file; `device`
 * only with a live or simulated device; a pane id only while that pane has focus.
 */
export type Scope = 'global' | 'replay' | 'device' | PaneId;

export interface Binding {
  /**
   * Key names: a printable character, or `tab`, `shift+tab`, `left`, `right`, `up`, `down`,
   * `pageup`, `pagedown`, `enter`, `escape`, `backspace`, `ctrl+c`, `ctrl+t`; `any` matches a key
   * no other binding of the mode takes.
   */
  keys: string[];
  action: Action;
  scope: Scope;
  /** Shown in the help overlay and the status bar. */
  label: string;
  /** Ask y/n first (destructive device commands). */
  confirm?: string;
  /** The mode the binding acts in (default `normal`). */
  mode?: Mode;
  /** Not while replaying (← → step through a replay in every pane instead). */
  unless?: 'replay';
}

const modal: Binding[] = [
  { keys: ['?', 'escape'], action: 'close', scope: 'global', label: 'close the help', mode: 'help' },
  { keys: ['up'], action: 'up', scope: 'global', label: 'scroll', mode: 'help' },
  { keys: ['down'], action: 'down', scope: 'global', label: 'scroll', mode: 'help' },
  { keys: ['pageup'], action: 'page-up', scope: 'global', label: 'page up', mode: 'help' },
  { keys: ['pagedown'], action: 'page-down', scope: 'global', label: 'page down', mode: 'help' },
  { keys: ['q', 'ctrl+c'], action: 'quit', scope: 'global', label: 'quit', mode: 'help' },

  { keys: ['escape', 'q'], action: 'close', scope: 'global', label: 'close the detail view', mode: 'detail' },
  { keys: ['up'], action: 'up', scope: 'global', label: 'scroll', mode: 'detail' },
  { keys: ['down'], action: 'down', scope: 'global', label: 'scroll', mode: 'detail' },
  { keys: ['pageup'], action: 'page-up', scope: 'global', label: 'page up', mode: 'detail' },
  { keys: ['pagedown', ' '], action: 'page-down', scope: 'global', label: 'page down', mode: 'detail' },
  { keys: ['g'], action: 'first', scope: 'global', label: 'top', mode: 'detail' },
  { keys: ['G'], action: 'last', scope: 'global', label: 'bottom', mode: 'detail' },
  { keys: ['y'], action: 'detail-save', scope: 'global', label: 'save as JSON (file, and clipboard by OSC 52)', mode: 'detail' },
  { keys: ['ctrl+c'], action: 'quit', scope: 'global', label: 'quit', mode: 'detail' },

  { keys: ['y', 'Y'], action: 'confirm-yes', scope: 'global', label: 'yes, do it', mode: 'confirm' },
  { keys: ['any'], action: 'confirm-no', scope: 'global', label: 'no (any other key)', mode: 'confirm' },

  { keys: ['enter'], action: 'prompt-submit', scope: 'global', label: 'apply / send', mode: 'prompt' },
  { keys: ['escape'], action: 'prompt-cancel', scope: 'global', label: 'cancel', mode: 'prompt' },
  { keys: ['backspace'], action: 'prompt-erase', scope: 'global', label: 'erase', mode: 'prompt' },
  { keys: ['ctrl+c'], action: 'quit', scope: 'global', label: 'quit', mode: 'prompt' },
  { keys: ['any'], action: 'prompt-type', scope: 'global', label: 'type', mode: 'prompt' },

  { keys: ['up'], action: 'up', scope: 'global', label: 'choose', mode: 'presets' },
  { keys: ['down'], action: 'down', scope: 'global', label: 'choose', mode: 'presets' },
  { keys: ['enter'], action: 'preset-publish', scope: 'global', label: 'publish', mode: 'presets' },
  { keys: ['escape', 'p'], action: 'close', scope: 'global', label: 'cancel', mode: 'presets' },
  { keys: ['ctrl+c'], action: 'quit', scope: 'global', label: 'quit', mode: 'presets' },

  { keys: ['any'], action: 'raw-send', scope: 'global', label: 'the key goes to the device as bytes', mode: 'raw' },
];

const replayKeys: Binding[] = [
  { keys: [' '], action: 'pause', scope: 'replay', label: 'pause / play' },
  { keys: ['left'], action: 'step-back', scope: 'replay', label: 'step back one parsed line' },
  { keys: ['right'], action: 'step-forward', scope: 'replay', label: 'step one parsed line' },
  { keys: ['+', '='], action: 'faster', scope: 'replay', label: 'faster' },
  { keys: ['-'], action: 'slower', scope: 'replay', label: 'slower' },
  { keys: ['g'], action: 'first', scope: 'replay', label: 'go to the start' },
  { keys: ['G'], action: 'last', scope: 'replay', label: 'go to the end' },
  { keys: ['['], action: 'prev-state', scope: 'replay', label: 'previous handshake state' },
  { keys: [']'], action: 'next-state', scope: 'replay', label: 'next handshake state' },
  { keys: ['{'], action: 'prev-finding', scope: 'replay', label: 'previous finding' },
  { keys: ['}'], action: 'next-finding', scope: 'replay', label: 'next finding' },
  { keys: ['#'], action: 'goto-line', scope: 'replay', label: 'go to line number' },
];

const globalKeys: Binding[] = [
  { keys: ['n'], action: 'next-handshake', scope: 'global', label: 'next handshake' },
  { keys: ['N'], action: 'prev-handshake', scope: 'global', label: 'previous handshake' },
  { keys: ['?'], action: 'help', scope: 'global', label: 'help' },
  { keys: ['tab'], action: 'focus-next', scope: 'global', label: 'next pane' },
  { keys: ['shift+tab'], action: 'focus-prev', scope: 'global', label: 'previous pane' },
  ...PANE_LIST.map((p, i): Binding => ({ keys: [String(i + 1)], action: `focus-${i + 1}` as Action, scope: 'global', label: p.title })),
  { keys: ['q', 'ctrl+c'], action: 'quit', scope: 'global', label: 'quit' },
  { keys: ['ctrl+t'], action: 'raw-prefix', scope: 'device', label: 'send next key raw to the device' },
  { keys: [':'], action: 'line-mode', scope: 'device', label: 'type a line to the device' },
];

/**
 * Modal keys first, then each pane's keys (the focused pane's meaning of a key wins over the
 * replay meaning), then replay and device keys, then the ones that act everywhere.
 */
export const BINDINGS: readonly Binding[] = [...modal, ...PANE_LIST.flatMap((p) => p.bindings), ...replayKeys, ...globalKeys];

/** A device command as the UI binds it (built from src/commands definitions by the caller). */
export interface DeviceCommandBinding {
  /** Stable id, e.g. `regen-key`. */
  id: string;
  /** One printable key; must not collide with the table above (checked by `deviceBindings`). */
  key: string;
  label: string;
  /** Text of the y/n question for destructive commands (reset). */
  confirm?: string;
  /** Said before the question (e.g. that the port has no modem lines, so a reset cannot work). */
  note?: string;
}

/** Bindings for the device commands; a key already taken by the table is refused, with the reason. */
export function deviceBindings(commands: readonly DeviceCommandBinding[]): { bindings: Binding[]; refused: string[] } {
  const taken = new Set(BINDINGS.filter((b) => (b.mode ?? 'normal') === 'normal').flatMap((b) => b.keys));
  const bindings: Binding[] = [];
  const refused: string[] = [];
  for (const c of commands) {
    if (taken.has(c.key)) {
      refused.push(`${c.id}: key '${c.key}' is already bound in the monitor`);
      continue;
    }
    taken.add(c.key);
    bindings.push({
      keys: [c.key],
      action: `device:${c.id}`,
      scope: 'device',
      label: c.label,
      ...(c.confirm ? { confirm: c.confirm } : {}),
    });
  }
  return { bindings, refused };
}

/** The ink `Key` flags this module reads (the same shape the device-command helpers take). */
export type KeyFlags = RawKey;

/** The table's name for a key press. */
export function keyName(input: string, key: KeyFlags): string {
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  return input;
}

export interface Context {
  focus: PaneId;
  replay: boolean;
  device: boolean;
  /** Default `normal`. */
  mode?: Mode;
}

function active(b: Binding, ctx: Context): boolean {
  if ((b.mode ?? 'normal') !== (ctx.mode ?? 'normal')) return false;
  if (b.unless === 'replay' && ctx.replay) return false;
  if (b.scope === 'global') return true;
  if (b.scope === 'replay') return ctx.replay;
  if (b.scope === 'device') return ctx.device;
  return b.scope === ctx.focus;
}

/**
 * Priority within a mode: focused pane, then replay/device, then global; first match in the
 * table wins within a level; `any` only when no binding names the key.
 */
const rank = (b: Binding): number => (b.scope === 'global' ? 2 : b.scope === 'replay' || b.scope === 'device' ? 1 : 0);

export function resolve(table: readonly Binding[], name: string, ctx: Context): Binding | null {
  let best: Binding | null = null;
  let fallback: Binding | null = null;
  for (const b of table) {
    if (!active(b, ctx)) continue;
    if (b.keys.includes(name)) {
      if (!best || rank(b) < rank(best)) best = b;
    } else if (b.keys.includes('any') && !fallback) fallback = b;
  }
  return best ?? fallback;
}

/** The bindings in force, one per action, most specific first (status bar, help overlay). */
export function activeBindings(table: readonly Binding[], ctx: Context): Binding[] {
  const seen = new Set<string>();
  const out: Binding[] = [];
  for (const b of [...table].sort((a, c) => rank(a) - rank(c))) {
    if (!active(b, ctx)) continue;
    // A key already claimed by a more specific binding is not this binding's any more.
    const keys = b.keys.filter((k) => k === 'any' || resolve(table, k, ctx) === b);
    if (keys.length === 0 || seen.has(b.action)) continue;
    seen.add(b.action);
    out.push({ ...b, keys });
  }
  return out;
}

/** How a key is written in help and the status bar. */
export function showKey(k: string): string {
  const names: Record<string, string> = {
    ' ': 'space', left: '←', right: '→', up: '↑', down: '↓', enter: 'Enter', escape: 'Esc',
    tab: 'Tab', 'shift+tab': 'S-Tab', pageup: 'PgUp', pagedown: 'PgDn', 'ctrl+c': 'Ctrl+C', 'ctrl+t': 'Ctrl+T',
    backspace: 'Bksp', any: 'other keys',
  };
  return names[k] ?? k;
}
