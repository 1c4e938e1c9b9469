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

const TYPES = ['o', 'i', 'm'] as const;

/**
 * An hsmon .cast recording's events (resize events dropped: they carry nothing for the session),
 * packed as they are read: every event's bytes in one buffer, times and kinds in typed arrays,
 * marker labels by index. An event object per event cost some 200 bytes beside its bytes (a
 * 1.8 M-line .cast held about 400 MB); `event(i)` makes one when asked.
 */
export class CastEvents {
  private data = new Uint8Array(1 << 16);
  private used = 0;
  private starts = new Float64Array(1024);
  private times = new Float64Array(1024);
  private kinds = new Uint8Array(1024);
  private readonly labels = new Map<number, string>();
  count = 0;

  push(e: RecordingEvent): void {
    const i = this.count;
    if (i + 1 >= this.starts.length) this.growIndex();
    while (this.used + e.bytes.length > this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data.set(e.bytes, this.used);
    this.starts[i] = this.used;
    this.used += e.bytes.length;
    this.starts[i + 1] = this.used;
    this.times[i] = e.t;
    this.kinds[i] = TYPES.indexOf(e.type);
    if (e.text !== '') this.labels.set(i, e.text);
    this.count = i + 1;
  }

  event(i: number): RecordingEvent {
    return { t: this.times[i]!, type: TYPES[this.kinds[i]!]!, bytes: this.data.subarray(this.starts[i]!, this.starts[i + 1]!), text: this.labels.get(i) ?? '' };
  }

  /** Gives back the room grown for events that did not come (at most half the bytes). */
  trim(): void {
    if (this.used < this.data.length * 0.75) this.data = this.data.slice(0, this.used);
  }

  /** Bytes of events [0, i). */
  bytesBefore(i: number): number {
    return this.starts[i]!;
  }

  private growIndex(): void {
    const n = this.starts.length * 2;
    this.starts = grown(this.starts, n);
    this.times = grown(this.times, n);
    this.kinds = grown(this.kinds, n);
  }
}

function grown<T extends Uint8Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** The recording of a .cast read into `events`. */
export function castRecording(events: CastEvents, totalBytes: number, damage: string | null = null): Recording {
  events.trim();
  const count = events.count;
  // Progress as a share of the file: the event bytes plus some 16 bytes of JSON around each.
  const packed = count > 0 ? events.bytesBefore(count) + 16 * count : 0;
  const scale = packed > 0 ? totalBytes / packed : 0;
  return {
    format: 'cast',
    count,
    totalBytes,
    damage,
    event: (i) => events.event(i),
    bytesBefore: (i) => {
      const k = Math.max(0, Math.min(count, i));
      return Math.round((events.bytesBefore(k) + 16 * k) * scale);
    },
  };
}
