import type { PaneDescriptor } from '../types.ts';
import { logAct } from './actions.ts';
import { logBindings, logLiveBindings } from './bindings.ts';
import { logModel } from './model.ts';

export const logPane: PaneDescriptor = {
  id: 'log',
  title: 'Log',
  count: () => '',
  model: logModel,
  bindings: [...logBindings, ...logLiveBindings],
  act: logAct,
};
