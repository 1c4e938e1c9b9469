/**
 * The one table of key bindings. Every key the monitor reacts to is defined here, so the help
 * overlay, the status bar hints and the input handler can never disagree. Device commands
 * (src/commands, from the config file) are appended by `deviceBindings`, never hard-coded.
 */
import type { RawKey } from '../../commands/line-input.ts';
import type { PaneId } from '../panes.ts';

/** What a key press asks for. The UI reducer and the App's effects carry them out. */
export type Action =
  | 'help' | 'quit' | 'focus-next' | 'focus-prev'
  | 'focus-1' | 'focus-2' | 'focus-3' | 'focus-4' | 'focus-5' | 'focus-6' | 'focus-7'
  | 'pause' | 'step-back' | 'step-forward' | 'faster' | 'slower'
  | 'next-handshake' | 'prev-handshake' | 'first' | 'last'
  | 'up' | 'down' | 'page-up' | 'page-down' | 'jump'
  | 'filter' | 'search-next' | 'search-prev' | 'follow' | 'clear-filter'
  | 'raw-prefix' | 'line-mode' | 'publish-menu'
  | `device:${string}`;

/**
 * Where a binding applies. `global` always; `replay` only while replaying a file; `device`
 * only with a live or simulated device; a pane id only while that pane has focus.
 */
export type Scope = 'global' | 'replay' | 'device' | PaneId;

export interface Binding {
  /** Key names: a printable character, or `tab`, `shift+tab`, `left`, `right`, `up`, `down`, `pageup`, `pagedown`, `enter`, `escape`, `ctrl+c`, `ctrl+t`. */
  keys: string[];
  action: Action;
  scope: Scope;
  /** Shown in the help overlay and the status bar. */
  label: string;
  /** Ask y/n first (destructive device commands). */
  confirm?: string;
}

export const BINDINGS: readonly Binding[] = [
  // Pane keys come first: the focused pane's meaning of a key wins over the replay meaning.
  { keys: ['/'], action: 'filter', scope: 'log', label: 'filter (regex)' },
  { keys: ['n'], action: 'search-next', scope: 'log', label: 'next match' },
  { keys: ['N'], action: 'search-prev', scope: 'log', label: 'previous match' },
  { keys: ['f'], action: 'follow', scope: 'log', label: 'follow' },
  { keys: ['escape'], action: 'clear-filter', scope: 'log', label: 'clear filter' },
  { keys: ['up'], action: 'up', scope: 'log', label: 'scroll' },
  { keys: ['down'], action: 'down', scope: 'log', label: 'scroll' },
  { keys: ['pageup'], action: 'page-up', scope: 'log', label: 'page up' },
  { keys: ['pagedown'], action: 'page-down', scope: 'log', label: 'page down' },
  { keys: ['up'], action: 'up', scope: 'handshake', label: 'select state' },
  { keys: ['down'], action: 'down', scope: 'handshake', label: 'select state' },
  { keys: ['enter'], action: 'jump', scope: 'handshake', label: 'show line in log' },
  { keys: ['up'], action: 'up', scope: 'records', label: 'select record' },
  { keys: ['down'], action: 'down', scope: 'records', label: 'select record' },
  { keys: ['enter'], action: 'jump', scope: 'records', label: 'show line in log' },
  { keys: ['up'], action: 'up', scope: 'findings', label: 'select finding' },
  { keys: ['down'], action: 'down', scope: 'findings', label: 'select finding' },
  { keys: ['enter'], action: 'jump', scope: 'findings', label: 'show evidence in log' },
  { keys: ['up'], action: 'up', scope: 'certificate', label: 'select certificate' },
  { keys: ['down'], action: 'down', scope: 'certificate', label: 'select certificate' },
  { keys: ['enter'], action: 'jump', scope: 'certificate', label: 'show line in log' },
  { keys: ['up'], action: 'up', scope: 'mqtt', label: 'select message' },
  { keys: ['down'], action: 'down', scope: 'mqtt', label: 'select message' },
  { keys: ['enter'], action: 'jump', scope: 'mqtt', label: 'show line in log' },
  { keys: ['p'], action: 'publish-menu', scope: 'mqtt', label: 'publish a preset' },
  { keys: ['enter'], action: 'jump', scope: 'keys', label: 'show line in log' },

  { keys: [' '], action: 'pause', scope: 'replay', label: 'pause / play' },
  { keys: ['left'], action: 'step-back', scope: 'replay', label: 'step back one event' },
  { keys: ['right'], action: 'step-forward', scope: 'replay', label: 'step one event' },
  { keys: ['+', '='], action: 'faster', scope: 'replay', label: 'faster' },
  { keys: ['-'], action: 'slower', scope: 'replay', label: 'slower' },
  { keys: ['g'], action: 'first', scope: 'replay', label: 'start' },
  { keys: ['G'], action: 'last', scope: 'replay', label: 'end (follow)' },

  { keys: ['n'], action: 'next-handshake', scope: 'global', label: 'next handshake' },
  { keys: ['N'], action: 'prev-handshake', scope: 'global', label: 'previous handshake' },
  { keys: ['?'], action: 'help', scope: 'global', label: 'help' },
  { keys: ['tab'], action: 'focus-next', scope: 'global', label: 'next pane' },
  { keys: ['shift+tab'], action: 'focus-prev', scope: 'global', label: 'previous pane' },
  { keys: ['1'], action: 'focus-1', scope: 'global', label: 'Handshake' },
  { keys: ['2'], action: 'focus-2', scope: 'global', label: 'Records' },
  { keys: ['3'], action: 'focus-3', scope: 'global', label: 'Keys' },
  { keys: ['4'], action: 'focus-4', scope: 'global', label: 'Certificate' },
  { keys: ['5'], action: 'focus-5', scope: 'global', label: 'MQTT' },
  { keys: ['6'], action: 'focus-6', scope: 'global', label: 'Log' },
  { keys: ['7'], action: 'focus-7', scope: 'global', label: 'Findings' },
  { keys: ['q', 'ctrl+c'], action: 'quit', scope: 'global', label: 'quit' },
  { keys: ['ctrl+t'], action: 'raw-prefix', scope: 'device', label: 'send next key raw to the device' },
  { keys: [':'], action: 'line-mode', scope: 'device', label: 'type a line to the device' },
];

/** A device command as the UI binds it (built from src/commands definitions by the caller). */
export interface DeviceCommandBinding {
  /** Stable id, e.g. `regen-key`. */
  id: string;
  /** One printable key; must not collide with the table above (checked by `deviceBindings`). */
  key: string;
  label: string;
  /** Text of the y/n question for destructive commands (reset). */
  confirm?: string;
}

/** Bindings for the device commands; a key already taken by the table is refused, with the reason. */
export function deviceBindings(commands: readonly DeviceCommandBinding[]): { bindings: Binding[]; refused: string[] } {
  const taken = new Set(BINDINGS.flatMap((b) => b.keys));
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
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  return input;
}

export interface Context {
  focus: PaneId;
  replay: boolean;
  device: boolean;
}

function active(b: Binding, ctx: Context): boolean {
  if (b.scope === 'global') return true;
  if (b.scope === 'replay') return ctx.replay;
  if (b.scope === 'device') return ctx.device;
  return b.scope === ctx.focus;
}

/** Precedence: focused pane, then replay/device, then global; first match in the table wins within a level. */
const rank = (b: Binding): number => (b.scope === 'global' ? 2 : b.scope === 'replay' || b.scope === 'device' ? 1 : 0);

export function resolve(table: readonly Binding[], name: string, ctx: Context): Binding | null {
  let best: Binding | null = null;
  for (const b of table) {
    if (!b.keys.includes(name) || !active(b, ctx)) continue;
    if (!best || rank(b) < rank(best)) best = b;
  }
  return best;
}

/** The bindings in force, one per action, most specific first (status bar, help overlay). */
export function activeBindings(table: readonly Binding[], ctx: Context): Binding[] {
  const seen = new Set<string>();
  const out: Binding[] = [];
  for (const b of [...table].sort((a, c) => rank(a) - rank(c))) {
    if (!active(b, ctx)) continue;
    // A key already claimed by a more specific binding is not this binding's any more.
    const keys = b.keys.filter((k) => resolve(table, k, ctx) === b);
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
  };
  return names[k] ?? k;
}
