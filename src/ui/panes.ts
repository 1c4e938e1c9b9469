/** The seven panes, in the order of their number keys (1–7) and of Tab. */
export const PANES = ['handshake', 'records', 'keys', 'certificate', 'mqtt', 'log', 'findings'] as const;
export type PaneId = (typeof PANES)[number];


export const paneNumber = (p: PaneId): number => PANES.indexOf(p) + 1;
