import type { Binding } from '../../keys/bindings.ts';

export const logBindings: readonly Binding[] = [
  { keys: ['/'], action: 'filter', scope: 'log', label: 'filter (regex; a|b either, a&b both)' },
  { keys: ['n'], action: 'search-next', scope: 'log', label: 'next match' },
  { keys: ['N'], action: 'search-prev', scope: 'log', label: 'previous match' },
  { keys: ['f'], action: 'follow', scope: 'log', label: 'follow' },
  { keys: ['escape'], action: 'clear-filter', scope: 'log', label: 'clear filter' },
  { keys: ['up'], action: 'up', scope: 'log', label: 'scroll' },
  { keys: ['down'], action: 'down', scope: 'log', label: 'scroll' },
  { keys: ['pageup'], action: 'page-up', scope: 'log', label: 'page up' },
  { keys: ['pagedown'], action: 'page-down', scope: 'log', label: 'page down' },
  { keys: ['w'], action: 'wrap', scope: 'log', label: 'wrap long lines' },
  { keys: ['<'], action: 'scroll-left', scope: 'log', label: 'scroll left' },
  { keys: ['>'], action: 'scroll-right', scope: 'log', label: 'scroll right' },
  { keys: ['enter', 'o'], action: 'detail-open', scope: 'log', label: 'open the cursor line in full' },
];

/** ← → scroll sideways only live: in a replay they step through the recording in every pane. */
export const logLiveBindings: readonly Binding[] = [
  { keys: ['left'], action: 'scroll-left', scope: 'log', label: 'scroll left', unless: 'replay' },
  { keys: ['right'], action: 'scroll-right', scope: 'log', label: 'scroll right', unless: 'replay' },
];
