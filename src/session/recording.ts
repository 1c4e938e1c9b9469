/**
 * A whole recording in memory as a list of events the time machine feeds a session one by one:
 * the lines of a plain log (each with its line end), or the events of an hsmon .cast recording
 * (device output, what hsmon sent, markers) with their times. Pure: src/io/recording.ts reads
 * the file.
 */

export interface RecordingEvent {
  /** ms since the start of the recording; 0 for plain logs (they carry no timing). */
  t: number;
  type: 'o' | 'i' | 'm';
  bytes: Uint8Array;
  /** The marker label ("m"). */
  text: string;
}

export interface Recording {
  readonly format: 'cast' | 'text';
  readonly count: number;
  readonly totalBytes: number;
  event(i: number): RecordingEvent;
  /** Bytes of the file up to event `i` (progress). */
  bytesBefore(i: number): number;
  /**
   * Device output of events [from, to) as one chunk when they are all device output (plain logs):
   * the framer gives the same lines however the bytes are cut, and one feed is much cheaper than
   * a feed per line when seeking through a large file.
   */
  span?(from: number, to: number): Uint8Array;
  /** A damaged .cast: what its reader skipped or retimed, and where (DamageTally.detail). */
  readonly damage?: string | null;
}

const EMPTY = new Uint8Array(0);

/** A plain text log: one event per line (LF-terminated; a last line without LF is one too). */
export function textRecording(bytes: Uint8Array): Recording {
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  const tail = bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? 1 : 0;
  const count = lines + tail;
  // starts[i]: offset of line i; starts[count] = length. 4 bytes a line below 4 GiB (7 MB less
  // for the 906 000 lines of the 64 MB bench log).
  const starts = bytes.length < 2 ** 32 ? new Uint32Array(count + 1) : new Float64Array(count + 1);
  let k = 1;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) starts[k++] = at + 1;
  starts[count] = bytes.length;
  return {
    format: 'text',
    count,
    totalBytes: bytes.length,
    event: (i) => ({ t: 0, type: 'o', bytes: bytes.subarray(starts[i]!, starts[i + 1]!), text: '' }),
    bytesBefore: (i) => starts[Math.max(0, Math.min(count, i))]!,
    span: (from, to) => (to <= from ? EMPTY : bytes.subarray(starts[from]!, starts[Math.min(count, to)]!)),
  };
}

/** An hsmon .cast recording's events (resize events dropped: they carry nothing for the session). */
export function castRecording(events: readonly RecordingEvent[], totalBytes: number, damage: string | null = null): Recording {
  const before = new Float64Array(events.length + 1);
  for (let i = 0; i < events.length; i++) before[i + 1] = before[i]! + events[i]!.bytes.length + 16;
  const scale = before[events.length]! > 0 ? totalBytes / before[events.length]! : 0;
  return {
    format: 'cast',
    count: events.length,
    totalBytes,
    damage,
    event: (i) => events[i]!,
    bytesBefore: (i) => Math.round(before[Math.max(0, Math.min(events.length, i))]! * scale),
  };
}
