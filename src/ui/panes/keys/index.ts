import type { PaneDescriptor } from '../types.ts';
import { keysBindings } from './bindings.ts';
import { keysModel } from './model.ts';

export const keysPane: PaneDescriptor = {
  id: 'keys',
  title: 'Keys',
  count: (s) => (s.keys.length ? `${s.keys.length}` : ''),
  model: keysModel,
  bindings: keysBindings,
};
