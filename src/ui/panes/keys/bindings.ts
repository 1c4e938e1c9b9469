import type { Binding } from '../../keys/bindings.ts';
import { listBindings } from '../list-bindings.ts';

export const keysBindings: readonly Binding[] = listBindings('keys', 'key');
