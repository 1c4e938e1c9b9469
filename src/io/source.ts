/**
 * A byte source: a serial port, a replayed recording, the simulator, stdin. The session
 * reads bytes from it and writes device commands to it; it knows nothing about lines.
 */
export type SourceStatus =
  | { state: 'connecting' | 'open' | 'closed' | 'ended' }
  | { state: 'reconnecting'; detail: string }
  | { state: 'error'; detail: string };

export interface SourceHandlers {
  /** Bytes as they arrive. `t` is ms since session start; sources that replay timing give it. */
  data(chunk: Uint8Array, t?: number): void;
  status(status: SourceStatus): void;
  /** Bytes that were sent to the device, from a recording being replayed (asciicast "i"). */
  tx?(chunk: Uint8Array, t?: number): void;
  /** A marker from a recording being replayed (asciicast "m": reconnects, user marks). */
  marker?(label: string, t?: number): void;
}

export interface Source {
  /** `/dev/ttyACM0 @ 921600`, `recordings/x.log`, `sim:handshake-ok`. */
  readonly name: string;
  start(handlers: SourceHandlers): Promise<void>;
  /** Send bytes to the device; sources that cannot (files) reject with a clear Error. */
  write(bytes: Uint8Array): Promise<void>;
  /** Set modem lines (DTR/RTS), for resets. Optional: only serial ports and the simulator have them. */
  setSignals?(signals: { dtr?: boolean; rts?: boolean }): Promise<void>;
  close(): Promise<void>;
}
