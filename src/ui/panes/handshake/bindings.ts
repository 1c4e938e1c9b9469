import type { Binding } from '../../keys/bindings.ts';
import { listBindings } from '../list-bindings.ts';

export const handshakeBindings: readonly Binding[] = listBindings('handshake', 'state');
