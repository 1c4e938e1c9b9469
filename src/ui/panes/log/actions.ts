/** The Log pane's own keys: its cursor, the filter and search, follow, wrap and sideways scroll. */
import type { Action } from '../../keys/bindings.ts';
import type { ActionEnv } from '../../keys/action-env.ts';
import { moveCursor, searchFrom } from '../../state/log-view.ts';

export function logAct(act: Action, env: ActionEnv): boolean {
  const { snapshot: s, ui: u, dispatch: d } = env;
  switch (act) {
    case 'up':
    case 'down':
    case 'page-up':
    case 'page-down': {
      const delta = act === 'up' ? -1 : act === 'down' ? 1 : (act === 'page-up' ? -1 : 1) * env.page;
      d({ type: 'log-cursor', seq: moveCursor(s.log, u.log.pattern, u.log.cursor, delta) });
      return true;
    }
    case 'filter':
      d({ type: 'prompt-open', kind: 'filter', text: u.log.pattern });
      return true;
    case 'search-next':
    case 'search-prev': {
      if (!u.log.pattern) {
        env.say('no pattern: press / to type one');
        return true;
      }
      const found = searchFrom(s.log, u.log.pattern, u.log.cursor, act === 'search-next' ? 1 : -1);
      if (found === null) env.say(`no ${act === 'search-next' ? 'later' : 'earlier'} line matches /${u.log.pattern}/`);
      else d({ type: 'log-cursor', seq: found });
      return true;
    }
    case 'follow':
      d({ type: 'log-cursor', seq: null });
      return true;
    case 'clear-filter':
      d({ type: 'set-pattern', pattern: '' });
      return true;
    case 'wrap':
      d({ type: 'log-wrap' });
      return true;
    case 'scroll-left':
    case 'scroll-right':
      if (u.log.wrap) env.say('lines are wrapped: w to cut them and scroll sideways');
      else d({ type: 'log-hscroll', delta: act === 'scroll-left' ? -20 : 20 });
      return true;
    default:
      return false;
  }
}
