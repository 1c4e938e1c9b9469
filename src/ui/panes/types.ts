/**
 * What a pane is to the App: a descriptor (id, title, count, model, bindings) in the list of
 * src/ui/panes/index.ts. A pane's model turns the snapshot into exactly the rows it draws, so
 * the layout test can check every row against the frame, and into the items it selects from,
 * each able to open the detail view.
 */
import type { Snapshot } from '../../session/types.ts';
import type { BrokerControls } from '../controls.ts';
import type { Action, Binding } from '../keys/bindings.ts';
import type { ActionEnv } from '../keys/action-env.ts';
import type { PaneId } from '../panes.ts';
import type { UiState } from '../state/ui-state.ts';
import type { Theme } from '../theme.ts';
import type { DetailDoc } from '../detail/doc.ts';

export type Tone = keyof Theme;

export interface Row {
  text: string;
  tone?: Tone | undefined;
  bold?: boolean;
  dim?: boolean;
  /** Drawn inverse: the selected item, the log cursor. */
  selected?: boolean;
}

export interface PaneItem {
  /** The source line behind it (`l` shows it in the log). */
  line: number | null;
  /** The whole item for the detail view (Enter / o). */
  detail(): DetailDoc;
}

export interface PaneModel {
  /** Exactly the rows drawn, top to bottom, at most the pane's inner height. */
  rows: Row[];
  items: PaneItem[];
  /** Index in `items` of the selected one, null when there is none. */
  selected: number | null;
  /** Shown at the right of the title line. */
  badge?: string;
  /** An empty pane: what it waits for, as one paragraph instead of rows. */
  waiting?: { title: string; detail: string };
}

export interface ModelInput {
  snapshot: Snapshot;
  ui: UiState;
  /** Inner size in cells. */
  width: number;
  height: number;
  focused: boolean;
  broker: BrokerControls | null;
}

export interface PaneDescriptor {
  id: PaneId;
  title: string;
  /** Beside the tab name: how many things the hidden pane holds ('' for none). */
  count(s: Snapshot): string;
  model(input: ModelInput): PaneModel;
  /** Keys that apply while this pane has focus (scope = its id); part of the one table. */
  bindings: readonly Binding[];
  /** Its own actions while it has focus (true: done); the rest are every pane's (keys/perform.ts). */
  act?(action: Action, env: ActionEnv): boolean;
}
