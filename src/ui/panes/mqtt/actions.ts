/** The MQTT pane's own key: `p` opens the broker's publish presets. */
import type { Action } from '../../keys/bindings.ts';
import type { ActionEnv } from '../../keys/action-env.ts';

export function mqttAct(act: Action, env: ActionEnv): boolean {
  if (act !== 'publish-menu') return false;
  const broker = env.broker;
  if (!broker) env.say('no broker connection to publish through: hsmon monitor PORT --broker mqtt://HOST --topic FILTER');
  else if (broker.presets.length === 0) env.say('no publish presets: add "presets": [{"name", "topic", "payload", "qos", "retain"}] to hsmon.json');
  else env.dispatch({ type: 'presets-open' });
  return true;
}
