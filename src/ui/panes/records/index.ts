import type { PaneDescriptor } from '../types.ts';
import { recordsBindings } from './bindings.ts';
import { recordsModel } from './model.ts';

export const recordsPane: PaneDescriptor = {
  id: 'records',
  title: 'Records',
  count: () => '',
  model: recordsModel,
  bindings: recordsBindings,
};
