/**
 * What a key's action may read and do (src/ui/keys/perform.ts, the modes in modal-actions.ts and
 * the panes' own `act`): the App builds it for each key from its state, its controls and the
 * layout of the frame on screen.
 */
import type { Snapshot } from '../../session/types.ts';
import type { SeekTarget } from '../../session/time-machine.ts';
import type { BrokerControls, DeviceControls, ReplayControls } from '../controls.ts';
import type { PaneModel } from '../panes/types.ts';
import type { UiAction, UiState } from '../state/ui-state.ts';
import type { Mode } from './bindings.ts';

export interface ActionEnv {
  snapshot: Snapshot;
  ui: UiState;
  mode: Mode;
  replay: ReplayControls | null;
  device: DeviceControls | null;
  broker: BrokerControls | null;
  saveItem: ((item: unknown) => Promise<string>) | null;
  dispatch(a: UiAction): void;
  /** The status bar's message (null clears it). */
  say(text: string | null): void;
  /** A handler for a promise that failed: says what failed and why. */
  fail(what: string): (err: unknown) => void;
  quit(): void;
  /** Pauses and goes to `target` in the replay, with what happened in the status bar. */
  seek(target: SeekTarget): void;
  /** Re-render after a control outside React changed (pause, speed). */
  bump(): void;
  runDevice(id: string): void;
  publishPreset(index: number): void;
  /** The focused pane's model in the frame on screen. */
  focusModel(): PaneModel;
  /** Rows a PgUp / PgDn moves in a pane, in the detail view and in the help. */
  page: number;
  detailPage: number;
  helpPage: number;
}
