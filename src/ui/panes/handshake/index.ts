import type { PaneDescriptor } from '../types.ts';
import { handshakeBindings } from './bindings.ts';
import { handshakeModel } from './model.ts';

export const handshakePane: PaneDescriptor = {
  id: 'handshake',
  title: 'Handshake',
  count: (s) => (s.handshakes.length ? `${s.handshakes.length}` : ''),
  model: handshakeModel,
  bindings: handshakeBindings,
};
