import type { Binding } from '../../keys/bindings.ts';
import { listBindings } from '../list-bindings.ts';

export const mqttBindings: readonly Binding[] = listBindings('mqtt', 'message');

export const mqttOwnBindings: readonly Binding[] = [
  { keys: ['p'], action: 'publish-menu', scope: 'mqtt', label: 'publish a preset' },
];
