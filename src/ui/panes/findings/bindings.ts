import type { Binding } from '../../keys/bindings.ts';
import { listBindings } from '../list-bindings.ts';

export const findingsBindings: readonly Binding[] = listBindings('findings', 'finding');
