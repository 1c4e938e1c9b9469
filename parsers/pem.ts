import type { Base } from './events.ts';

/** PEM blocks seen on the UART (owned by the keys/certificates work). */
export type PemEvent = Base & { kind: 'cert.pem'; label: string; body: string; complete: boolean };
