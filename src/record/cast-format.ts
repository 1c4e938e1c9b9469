/**
 * asciicast v2 as hsmon writes it. Standard events: "o" (bytes from the device), "i" (bytes
 * hsmon sent to it), "m" (marker: reconnects, user marks). hsmon's one extension is the "x"
 * event `[t, "x", "<base64>"]`: it follows an "o" or "i" event whose bytes were not valid
 * UTF-8 and carries them exactly; the text of that event is their lossy decoding, so players
 * that ignore unknown event types (asciinema does) still show it. See recordings/README.md.
 */
export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
  env?: Record<string, string>;
  /** hsmon's own fields: which tool wrote the file and the source it recorded. */
  hsmon?: {
    version: 1; source?: string; baud?: number;
    /** true: device output was recorded as hsmon shows it, secrets hidden; false: --no-redact, as the device sent it. */
    redacted?: boolean;
    /** Lines hidden, by kind of secret (`private-key`, `session-secret`, `credential`); current as of the last flush. */
    redactions?: Record<string, number>;
  };
  [key: string]: unknown;
}

export type CastEventType = 'o' | 'i' | 'm' | 'r';

export interface CastEvent {
  /** Seconds since the start of the recording. */
  t: number;
  type: CastEventType | string;
  /** Exact bytes (restored from an "x" event when there is one). */
  bytes: Uint8Array;
  /** The event's text as stored (lossy for non-UTF-8 bytes; the marker label for "m"). */
  text: string;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

/** The text to store and, when the bytes are not valid UTF-8, that they need an "x" event. */
export function encodeEventText(bytes: Uint8Array): { text: string; needsRaw: boolean } {
  try {
    return { text: strict.decode(bytes), needsRaw: false };
  } catch {
    return { text: lossy.decode(bytes), needsRaw: true };
  }
}

export function isCastHeader(value: unknown): value is CastHeader {
  return typeof value === 'object' && value !== null && (value as { version?: unknown }).version === 2
    && typeof (value as { width?: unknown }).width === 'number' && typeof (value as { height?: unknown }).height === 'number';
}
