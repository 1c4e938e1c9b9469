/**
 * Keys while something is open over the panes (the detail view, the help, a prompt, a y/N
 * question, the publish presets) or the next key goes to the device as raw bytes: the mode owns
 * every key (modeOf in App.tsx), and the binding table gives each its action for that mode.
 */
import type { Key } from 'ink';
import { rawKeyBytes } from '../../commands/line-input.ts';
import type { Action } from './bindings.ts';
import type { ActionEnv } from './action-env.ts';

/** True when the mode took the key (every mode but 'normal' does). */
export function performModal(act: Action, input: string, key: Key, env: ActionEnv): boolean {
  const { ui: u, dispatch: d, mode: m } = env;
  if (m === 'detail') {
    const step = act === 'up' ? -1 : act === 'down' ? 1 : act === 'page-up' ? -env.detailPage : act === 'page-down' ? env.detailPage : 0;
    if (step !== 0) d({ type: 'detail-scroll', delta: step });
    else if (act === 'first') d({ type: 'detail-scroll', delta: -1e9 });
    else if (act === 'last') d({ type: 'detail-scroll', delta: 1e9 });
    else if (act === 'close') d({ type: 'detail-close' });
    else if (act === 'quit') env.quit();
    else if (act === 'detail-save' && u.detail) {
      if (!env.saveItem) d({ type: 'detail-saved', text: 'no place to save to in this monitor' });
      else {
        d({ type: 'detail-saved', text: 'saving…' });
        env.saveItem(u.detail.doc.json).then(
          (where) => d({ type: 'detail-saved', text: `saved as JSON to ${where} (and to the clipboard where the terminal allows OSC 52)` }),
          (err: unknown) => d({ type: 'detail-saved', text: `save failed: ${err instanceof Error ? err.message : String(err)}` }),
        );
      }
    }
    return true;
  }
  if (m === 'help') {
    const step = act === 'up' ? -1 : act === 'down' ? 1 : act === 'page-up' ? -env.helpPage : act === 'page-down' ? env.helpPage : 0;
    if (step !== 0) d({ type: 'help-scroll', delta: step });
    else if (act === 'close') d({ type: 'toggle-help' });
    else if (act === 'quit') env.quit();
    return true;
  }
  if (m === 'prompt' && u.prompt) {
    if (act === 'prompt-submit') {
      const text = u.prompt.text;
      if (u.prompt.kind === 'filter') d({ type: 'set-pattern', pattern: text });
      else if (u.prompt.kind === 'goto') {
        const n = Number(text.trim());
        if (!Number.isInteger(n) || n < 1) env.say(`not a line number: ${text}`);
        else env.seek({ to: 'line', line: n - 1 });
      } else if (env.device) env.device.sendLine(text).then(() => env.say(`sent: ${text}`), env.fail('send'));
      d({ type: 'prompt-close' });
    } else if (act === 'prompt-cancel') d({ type: 'prompt-close' });
    else if (act === 'prompt-erase') d({ type: 'prompt-edit', text: u.prompt.text.slice(0, -1) });
    else if (act === 'quit') env.quit();
    else if (act === 'prompt-type' && input && !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab) d({ type: 'prompt-edit', text: u.prompt.text + input });
    return true;
  }
  if (m === 'confirm' && u.confirm) {
    const c = u.confirm;
    d({ type: 'close-overlays' });
    if (act === 'confirm-yes') env.runDevice(c.action);
    else env.say('cancelled');
    return true;
  }
  if (m === 'presets' && env.broker && u.presets) {
    if (act === 'up' || act === 'down') d({ type: 'presets-move', delta: act === 'up' ? -1 : 1, count: env.broker.presets.length });
    else if (act === 'preset-publish') {
      d({ type: 'presets-close' });
      env.publishPreset(u.presets.index);
    } else if (act === 'close') d({ type: 'presets-close' });
    else if (act === 'quit') env.quit();
    return true;
  }
  if (m === 'raw' && env.device) {
    d({ type: 'raw-next', on: false });
    const bytes = rawKeyBytes(input, key);
    if (bytes.length > 0) env.device.sendRaw(bytes).then(() => env.say(`sent ${bytes.length} raw byte${bytes.length === 1 ? '' : 's'}`), env.fail('raw send'));
    return true;
  }
  return false;
}
