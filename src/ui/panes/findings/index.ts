import type { PaneDescriptor } from '../types.ts';
import { findingsBindings } from './bindings.ts';
import { findingsModel } from './model.ts';

export const findingsPane: PaneDescriptor = {
  id: 'findings',
  title: 'Findings',
  count: (s) => (s.findings.length ? `${s.findings.length}` : ''),
  model: findingsModel,
  bindings: findingsBindings,
};
