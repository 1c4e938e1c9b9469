/**
 * What the user has selected and opened, apart from the data: focus, overlays, the log
 * viewport, the selected handshake and rows. A pure reducer so it is tested without a terminal.
 * Selections that follow the newest item are `null`, so new data moves them along.
 */
import { PANES, type PaneId } from '../panes.ts';

export interface UiState {
  focus: PaneId;
  help: boolean;
  /** Selected handshake index in snapshot.handshakes; null follows the newest. */
  handshake: number | null;
  /** Selected state visit in the selected handshake; null follows the current state. */
  visit: number | null;
  /** Selected row per list pane, counted from the top as drawn (records, findings, …). */
  row: Partial<Record<PaneId, number>>;
  log: {
    /** seq of the line the viewport is anchored to; null follows the end. */
    cursor: number | null;
    pattern: string;
  };
  /** A text prompt that owns the keyboard until Enter or Esc. */
  prompt: { kind: 'filter' | 'line'; text: string } | null;
  /** A device command waiting for y/n. */
  confirm: { action: string; question: string } | null;
  /** Ctrl+T pressed: the next key goes to the device raw. */
  rawNext: boolean;
  /** One line of feedback (command sent, cannot step back further, …). */
  message: string | null;
  /** The publish preset list (MQTT pane): the selected preset while it is open. */
  presets: { index: number } | null;
}

export const initialUiState: UiState = {
  focus: 'handshake',
  help: false,
  handshake: null,
  visit: null,
  row: {},
  log: { cursor: null, pattern: '' },
  prompt: null,
  confirm: null,
  rawNext: false,
  message: null,
  presets: null,
};

export type UiAction =
  | { type: 'focus'; pane: PaneId }
  | { type: 'focus-next' | 'focus-prev' | 'toggle-help' | 'close-overlays' }
  | { type: 'select-handshake'; index: number | null; count: number }
  | { type: 'select-visit'; index: number | null }
  | { type: 'row'; pane: PaneId; index: number }
  | { type: 'log-cursor'; seq: number | null }
  | { type: 'jump'; seq: number }
  | { type: 'prompt-open'; kind: 'filter' | 'line'; text?: string }
  | { type: 'prompt-edit'; text: string }
  | { type: 'prompt-close' }
  | { type: 'set-pattern'; pattern: string }
  | { type: 'confirm'; action: string; question: string }
  | { type: 'raw-next'; on: boolean }
  | { type: 'message'; text: string | null }
  | { type: 'presets-open' }
  | { type: 'presets-move'; delta: number; count: number }
  | { type: 'presets-close' };

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'focus':
      return { ...s, focus: a.pane, help: false };
    case 'focus-next':
    case 'focus-prev': {
      const i = PANES.indexOf(s.focus);
      const d = a.type === 'focus-next' ? 1 : PANES.length - 1;
      return { ...s, focus: PANES[(i + d) % PANES.length]!, help: false };
    }
    case 'toggle-help':
      return { ...s, help: !s.help };
    case 'close-overlays':
      return { ...s, help: false, confirm: null, prompt: null, rawNext: false, presets: null };
    case 'select-handshake': {
      if (a.count === 0) return s;
      const index = a.index === null ? null : Math.max(0, Math.min(a.count - 1, a.index));
      // The newest attempt selected means "follow the newest".
      return { ...s, handshake: index === a.count - 1 ? null : index, visit: null };
    }
    case 'select-visit':
      return { ...s, visit: a.index };
    case 'row':
      return { ...s, row: { ...s.row, [a.pane]: Math.max(0, a.index) } };
    case 'log-cursor':
      return { ...s, log: { ...s.log, cursor: a.seq } };
    case 'jump':
      return { ...s, focus: 'log', help: false, log: { ...s.log, cursor: a.seq } };
    case 'prompt-open':
      return { ...s, prompt: { kind: a.kind, text: a.text ?? '' } };
    case 'prompt-edit':
      return s.prompt ? { ...s, prompt: { ...s.prompt, text: a.text } } : s;
    case 'prompt-close':
      return { ...s, prompt: null };
    case 'set-pattern':
      return { ...s, log: { ...s.log, pattern: a.pattern } };
    case 'confirm':
      return { ...s, confirm: { action: a.action, question: a.question } };
    case 'raw-next':
      return { ...s, rawNext: a.on };
    case 'message':
      return { ...s, message: a.text };
    case 'presets-open':
      return { ...s, presets: { index: 0 }, focus: 'mqtt', help: false };
    case 'presets-move':
      if (!s.presets || a.count === 0) return s;
      return { ...s, presets: { index: Math.max(0, Math.min(a.count - 1, s.presets.index + a.delta)) } };
    case 'presets-close':
      return { ...s, presets: null };
  }
}

/** The pattern as a RegExp, or the reason it is not one (shown in the log pane, never thrown). */
export function compilePattern(pattern: string): { re: RegExp | null; error: string | null } {
  if (pattern === '') return { re: null, error: null };
  try {
    return { re: new RegExp(pattern, 'i'), error: null };
  } catch (err) {
    return { re: null, error: (err as Error).message.replace(/^Invalid regular expression: /, '') };
  }
}
