/** The seven panes, in the order of their number keys (1–7) and of Tab. */
export const PANES = ['handshake', 'records', 'keys', 'certificate', 'mqtt', 'log', 'findings'] as const;
export type PaneId = (typeof PANES)[number];

export const PANE_TITLES: Record<PaneId, string> = {
  handshake: 'Handshake',
  records: 'Records',
  keys: 'Keys',
  certificate: 'Certificate',
  mqtt: 'MQTT',
  log: 'Log',
  findings: 'Findings',
};

export const paneNumber = (p: PaneId): number => PANES.indexOf(p) + 1;
