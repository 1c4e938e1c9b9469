import type { PaneDescriptor } from '../types.ts';
import { certificateBindings } from './bindings.ts';
import { certificateModel } from './model.ts';

export const certificatePane: PaneDescriptor = {
  id: 'certificate',
  title: 'Certificate',
  count: (s) => (s.certificates.length ? `${s.certificates.length}` : ''),
  model: certificateModel,
  bindings: certificateBindings,
};
