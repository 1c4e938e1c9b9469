/**
 * The panes, in the order of their number keys (1–7) and of Tab. A new pane is a folder with
 * its model and bindings, and one line here (and its id in ../panes.ts and a grid slot).
 */
import type { PaneDescriptor } from './types.ts';
import { handshakePane } from './handshake/index.ts';
import { recordsPane } from './records/index.ts';
import { keysPane } from './keys/index.ts';
import { certificatePane } from './certificate/index.ts';
import { mqttPane } from './mqtt/index.ts';
import { logPane } from './log/index.ts';
import { findingsPane } from './findings/index.ts';
import type { PaneId } from '../panes.ts';

export const PANE_LIST: readonly PaneDescriptor[] = [handshakePane, recordsPane, keysPane, certificatePane, mqttPane, logPane, findingsPane];

export const paneById = (id: PaneId): PaneDescriptor => PANE_LIST.find((p) => p.id === id)!;
