import type { Binding } from '../../keys/bindings.ts';
import { listBindings } from '../list-bindings.ts';

export const recordsBindings: readonly Binding[] = listBindings('records', 'record');
