/**
 * What a key does, once the binding table (bindings.ts) has named its action: the open mode's
 * keys first (modal-actions.ts), then the focused pane's own (its descriptor's `act`), then the
 * actions every pane shares (selection, the detail view, focus, replay, device commands).
 */
import type { Key } from 'ink';
import { nextSpeed, showSpeed } from '../controls.ts';
import { PANES } from '../panes.ts';
import { paneById } from '../panes/index.ts';
import type { Binding } from './bindings.ts';
import type { ActionEnv } from './action-env.ts';
import { performModal } from './modal-actions.ts';

export function perform(b: Binding, input: string, key: Key, env: ActionEnv): void {
  const act = b.action;
  if (performModal(act, input, key, env)) return;
  const { snapshot: s, ui: u, dispatch: d, replay } = env;
  if (act !== 'quit') env.say(null);
  if (act.startsWith('device:')) {
    const id = act.slice('device:'.length);
    if (b.confirm) {
      const note = env.device?.commands.find((c) => c.id === id)?.note;
      d({ type: 'confirm', action: id, question: note ? `${note} ${b.confirm}` : b.confirm });
    } else env.runDevice(id);
    return;
  }
  if (/^focus-\d$/.test(act)) {
    d({ type: 'focus', pane: PANES[Number(act.slice(6)) - 1]! });
    return;
  }
  if (paneById(u.focus).act?.(act, env)) return;
  switch (act) {
    case 'quit': env.quit(); return;
    case 'help': d({ type: 'toggle-help' }); return;
    case 'focus-next': d({ type: 'focus-next' }); return;
    case 'focus-prev': d({ type: 'focus-prev' }); return;
    case 'pause':
      if (!replay) return;
      if (replay.paused) replay.resume();
      else replay.pause();
      env.bump();
      return;
    case 'step-forward':
    case 'step-back':
      if (!replay) return;
      if (replay.seek) env.seek({ to: 'parsed', dir: act === 'step-forward' ? 1 : -1 });
      else if (act === 'step-forward') {
        if (!replay.paused) replay.pause();
        replay.step();
        env.bump();
      } else env.say('this replay cannot step back');
      return;
    case 'prev-state':
    case 'next-state':
    case 'prev-finding':
    case 'next-finding':
      if (replay?.seek) env.seek({ to: act.endsWith('state') ? 'state' : 'finding', dir: act.startsWith('next') ? 1 : -1 });
      return;
    case 'goto-line':
      if (replay?.seek) d({ type: 'prompt-open', kind: 'goto' });
      return;
    case 'faster':
    case 'slower':
      if (!replay) return;
      replay.setSpeed(nextSpeed(replay.speed, act === 'faster' ? 1 : -1));
      env.say(`speed ${replay.linesPerSecond ? `${replay.linesPerSecond} lines/s` : showSpeed(replay.speed)}`);
      env.bump();
      return;
    case 'next-handshake':
    case 'prev-handshake': {
      if (s.handshakes.length === 0) {
        env.say('no handshake yet');
        return;
      }
      const index = u.handshake ?? s.handshakes.length - 1;
      d({ type: 'select-handshake', index: index + (act === 'next-handshake' ? 1 : -1), count: s.handshakes.length });
      return;
    }
    case 'first':
      if (replay?.seek) env.seek({ to: 'start' });
      else {
        d({ type: 'select-handshake', index: 0, count: s.handshakes.length });
        d({ type: 'log-cursor', seq: s.log[0]?.seq ?? null });
      }
      return;
    case 'last':
      if (replay?.seek) env.seek({ to: 'end' });
      else {
        d({ type: 'select-handshake', index: null, count: s.handshakes.length });
        d({ type: 'log-cursor', seq: null });
      }
      return;
    case 'up':
    case 'down':
    case 'page-up':
    case 'page-down': {
      const delta = act === 'up' ? -1 : act === 'down' ? 1 : (act === 'page-up' ? -1 : 1) * env.page;
      const model = env.focusModel();
      if (model.items.length === 0) return;
      const cur = model.selected ?? 0;
      d({ type: 'row', pane: u.focus, index: Math.max(0, Math.min(model.items.length - 1, cur + delta)) });
      return;
    }
    case 'detail-open': {
      const model = env.focusModel();
      const item = model.selected === null ? undefined : model.items[model.selected];
      if (!item) env.say(u.focus === 'log' ? 'move the cursor onto a line first (↑)' : 'nothing selected to open');
      else d({ type: 'detail-open', doc: item.detail() });
      return;
    }
    case 'jump': {
      const model = env.focusModel();
      const line = model.selected === null ? null : model.items[model.selected]?.line ?? null;
      if (line === null) env.say('nothing selected to show in the log');
      else d({ type: 'jump', seq: line });
      return;
    }
    case 'raw-prefix':
      d({ type: 'raw-next', on: true });
      env.say('next key goes to the device as raw bytes');
      return;
    case 'line-mode':
      d({ type: 'prompt-open', kind: 'line' });
      return;
    default:
      return;
  }
}
