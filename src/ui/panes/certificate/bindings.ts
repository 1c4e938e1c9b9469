import type { Binding } from '../../keys/bindings.ts';
import { listBindings } from '../list-bindings.ts';

export const certificateBindings: readonly Binding[] = listBindings('certificate', 'certificate');
