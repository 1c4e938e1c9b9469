/**
 * What the user has selected and opened, apart from the data: focus, overlays, the log
 * viewport, the selected handshake and rows. A pure reducer so it is tested without a terminal.
 * Selections that follow the newest item are `null`, so new data moves them along.
 */
import { PANES, type PaneId } from '../panes.ts';
import type { DetailDoc } from '../detail/doc.ts';

export interface UiState {
  focus: PaneId;
  help: boolean;
  /** Selected handshake index in snapshot.handshakes; null follows the newest. */
  handshake: number | null;
  /** Selected item per list pane (rung, record, finding, …); absent: the pane's default. */
  row: Partial<Record<PaneId, number>>;
  log: {
    /** seq of the line the viewport is anchored to; null follows the end. */
    cursor: number | null;
    pattern: string;
    /** Long lines wrap instead of being cut. */
    wrap: boolean;
    /** Columns scrolled to the right when not wrapping. */
    hscroll: number;
  };
  /** The detail view over the panes: the item in full, scrolled by `scroll` rows. */
  detail: { doc: DetailDoc; scroll: number; saved: string | null } | null;
  /** Rows the help overlay is scrolled by. */
  helpScroll: number;
  /** A text prompt that owns the keyboard until Enter or Esc. */
  prompt: { kind: 'filter' | 'line' | 'goto'; text: string } | null;
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
  row: {},
  log: { cursor: null, pattern: '', wrap: false, hscroll: 0 },
  detail: null,
  helpScroll: 0,
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
  | { type: 'detail-open'; doc: DetailDoc }
  | { type: 'detail-scroll'; delta: number }
  | { type: 'detail-saved'; text: string }
  | { type: 'detail-close' }
  | { type: 'help-scroll'; delta: number }
  | { type: 'log-wrap' }
  | { type: 'log-hscroll'; delta: number }
  | { type: 'reset-rows' }
  | { type: 'row'; pane: PaneId; index: number }
  | { type: 'log-cursor'; seq: number | null }
  | { type: 'jump'; seq: number }
  | { type: 'prompt-open'; kind: 'filter' | 'line' | 'goto'; text?: string }
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
      return { ...s, help: !s.help, helpScroll: 0 };
    case 'help-scroll':
      return { ...s, helpScroll: Math.max(0, s.helpScroll + a.delta) };
    case 'detail-open':
      return { ...s, detail: { doc: a.doc, scroll: 0, saved: null } };
    case 'detail-scroll':
      return s.detail ? { ...s, detail: { ...s.detail, scroll: Math.max(0, s.detail.scroll + a.delta) } } : s;
    case 'detail-saved':
      return s.detail ? { ...s, detail: { ...s.detail, saved: a.text } } : s;
    case 'detail-close':
      return { ...s, detail: null };
    case 'log-wrap':
      return { ...s, log: { ...s.log, wrap: !s.log.wrap, hscroll: 0 } };
    case 'log-hscroll':
      return { ...s, log: { ...s.log, hscroll: Math.max(0, s.log.hscroll + a.delta) } };
    case 'reset-rows':
      // After a seek the lists are other lists: every pane goes back to its default item.
      return { ...s, row: {}, handshake: null, log: { ...s.log, cursor: null } };
    case 'close-overlays':
      return { ...s, help: false, confirm: null, prompt: null, rawNext: false, presets: null, detail: null };
    case 'select-handshake': {
      if (a.count === 0) return s;
      const index = a.index === null ? null : Math.max(0, Math.min(a.count - 1, a.index));
      // The newest attempt selected means "follow the newest".
      const { handshake: _h, records: _r, certificate: _c, ...row } = s.row;
      return { ...s, handshake: index === a.count - 1 ? null : index, row };
    }
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

/** A filter: every one of its terms (regexes joined by `&`) matches the line. */
export interface Matcher {
  test(text: string): boolean;
}

/**
 * The pattern as a matcher, or the reason it is not one (shown in the log pane, never thrown).
 * `a|b` is a regex alternation; `a&b` requires both terms; `\&` is a literal ampersand.
 */
export function compilePattern(pattern: string): { re: Matcher | null; error: string | null } {
  if (pattern === '') return { re: null, error: null };
  try {
    const terms = pattern.split(/(?<!\\)&/).filter((t) => t !== '').map((t) => new RegExp(t.replace(/\\&/g, '&'), 'i'));
    if (terms.length === 0) return { re: null, error: null };
    return { re: { test: (text) => terms.every((r) => r.test(text)) }, error: null };
  } catch (err) {
    return { re: null, error: (err as Error).message.replace(/^Invalid regular expression: /, '') };
  }
}
