/**
 * What the monitor can ask of its source, beside reading the snapshot: replay controls for a
 * file, device commands for a serial port or the simulator. The CLI builds these; the UI only
 * calls them from key bindings.
 */
import type { Snapshot } from '../session/types.ts';
import type { PublishPreset } from '../mqtt/presets.ts';
import type { DeviceCommandBinding } from './keys/bindings.ts';

export type Speed = number | 'max';

export type { SeekTarget } from '../session/time-machine.ts';
import type { SeekTarget } from '../session/time-machine.ts';

export interface ReplayControls {
  readonly paused: boolean;
  readonly speed: Speed;
  pause(): void;
  resume(): void;
  /** While paused: deliver the next event of the recording and stay paused. */
  step(): void;
  setSpeed(speed: Speed): void;
  /**
   * Bytes of the file delivered so far; `read`: how much of the file (0..1) the parse worker has
   * read, while it still reads (a seek past there waits for it).
   */
  progress(): { bytesRead: number; totalBytes: number; read?: number };
  /**
   * The time machine (a replay that holds the whole recording): the session is rebuilt by
   * feeding the recording from its start up to the target, so every pane shows exactly what
   * it showed when the replay first passed there. Returns what happened in a few words.
   */
  seek?(target: SeekTarget): string;
  /**
   * A seek that needs much of the file parsed first goes on in the background (the UI keeps
   * taking keys): its progress and, at the end, what `seek` would have said arrive here.
   * Returns the unsubscribe.
   */
  onSeekMessage?(listener: (text: string) => void): () => void;
  /** Plain logs replay at a pace in lines per second (null at max speed); undefined for .cast timing. */
  readonly linesPerSecond?: number | null;
}

export interface DeviceControls {
  commands: readonly DeviceCommandBinding[];
  /** Carry out a keystroke command (its configured bytes, or a DTR/RTS reset sequence). */
  run(id: string): Promise<void>;
  /** Line mode: the text plus the configured line ending. */
  sendLine(text: string): Promise<void>;
  /** Ctrl+T prefix: the bytes of one key press, as the terminal would send them. */
  sendRaw(bytes: Uint8Array): Promise<void>;
}

/** A broker connection (`--broker`, or the demo's embedded broker) and the presets to publish. */
export interface BrokerControls {
  /** `host:port`, never with credentials. */
  readonly address: string;
  readonly presets: readonly PublishPreset[];
  /** Rejects with one line (not connected, refused) that the status bar shows. */
  publish(topic: string, payload: string, opts: { qos: 0 | 1 | 2; retain: boolean }): Promise<void>;
}

/** The store the UI reads; `Session` is one. */
export interface SnapshotStore {
  getSnapshot(): Snapshot;
  onChange(listener: () => void): () => void;
}

/** Speeds that + and - step through. */
export const SPEEDS: readonly Speed[] = [0.25, 0.5, 1, 2, 5, 10, 50, 'max'];

export function nextSpeed(current: Speed, dir: 1 | -1): Speed {
  let i = SPEEDS.indexOf(current);
  if (i === -1) {
    // A speed from the command line that is not on the list: start from the nearest one.
    i = current === 'max' ? SPEEDS.length - 1 : SPEEDS.findIndex((s) => s !== 'max' && s >= current);
    if (i === -1) i = SPEEDS.length - 2;
    if (dir === 1 && SPEEDS[i] !== current) i -= 1;
  }
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + dir))]!;
}

export const showSpeed = (s: Speed): string => (s === 'max' ? 'max speed' : `${s}×`);
