import type { PaneDescriptor } from '../types.ts';
import { mqttAct } from './actions.ts';
import { mqttBindings, mqttOwnBindings } from './bindings.ts';
import { mqttModel } from './model.ts';

export const mqttPane: PaneDescriptor = {
  id: 'mqtt',
  title: 'MQTT',
  count: (s) => (s.mqtt.messages.length ? `${s.mqtt.messages.length}` : ''),
  model: mqttModel,
  bindings: [...mqttOwnBindings, ...mqttBindings],
  act: mqttAct,
};
