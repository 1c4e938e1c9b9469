import type { Base } from './events.ts';

/** PSA crypto calls and key descriptions (owned by the keys/certificates work). */
export type PsaEvent = Base & { kind: 'psa.call'; fn: string; status: number; name: string | null };
