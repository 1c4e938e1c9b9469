import type { Binding } from '../keys/bindings.ts';
import type { PaneId } from '../panes.ts';

/** ↑ ↓ PgUp PgDn select, Enter / o open the detail view, l shows the item's line in the log. */
export function listBindings(pane: PaneId, what: string): Binding[] {
  return [
    { keys: ['up'], action: 'up', scope: pane, label: `select ${what}` },
    { keys: ['down'], action: 'down', scope: pane, label: `select ${what}` },
    { keys: ['pageup'], action: 'page-up', scope: pane, label: 'page up' },
    { keys: ['pagedown'], action: 'page-down', scope: pane, label: 'page down' },
    { keys: ['enter', 'o'], action: 'detail-open', scope: pane, label: `open the ${what} in full` },
    { keys: ['l'], action: 'jump', scope: pane, label: 'show its line in the log' },
  ];
}
