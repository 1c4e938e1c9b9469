import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isCastHeader, type CastEvent, type CastHeader } from './cast-format.ts';

export interface ReadCastOptions {
  /** Called with the header before the first event. */
  onHeader?: (header: CastHeader) => void;
  /** Bytes of the file consumed so far (for progress bars). */
  onProgress?: (bytesRead: number) => void;
  /**
   * Called for each event line that is skipped (`line`: 1-based line of the file) or whose
   * time was impossible and was replaced by the time before it (`retimed`). A crash, kill -9
   * or a full disk leaves the last line cut: everything before it still replays.
   */
  onDamaged?: (d: CastDamage) => void;
}

export interface CastDamage {
  line: number;
  what: 'skipped' | 'retimed';
  reason: string;
}

/**
 * Seconds beyond which an event time is taken for damage, not a pause: a year. (A bit flip in
 * the exponent of `12.5` makes `1.25e+301`; replaying that at real time would wait forever.)
 */
export const MAX_EVENT_TIME_S = 365 * 24 * 3600;

const enc = new TextEncoder();

/** An event line as [time, type, data], or why it is not one. */
function parseEvent(line: string): [unknown, string, string] | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'not a JSON event line';
  }
  if (!Array.isArray(v) || v.length < 3 || typeof v[1] !== 'string' || typeof v[2] !== 'string') return 'expected [time, "type", "data"]';
  return [v[0], v[1], v[2]];
}

/**
 * Reads an asciicast v2 file as events with their exact bytes: an "x" event replaces the
 * bytes of the "o"/"i" event just before it (hsmon's lossless extension). Lines that are no
 * event are skipped and reported through onDamaged; times never go beyond
 * MAX_EVENT_TIME_S or below 0 (such an event keeps its data and takes the time before it).
 */
export async function* readCast(path: string, options: ReadCastOptions = {}): AsyncGenerator<CastEvent> {
  const stream = createReadStream(path);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  let pending: CastEvent | null = null;
  let lastT = 0;
  // Bytes of the lines handed out so far: the position a paced replay has reached (the stream
  // itself reads far ahead of it).
  let consumed = 0;
  try {
    for await (const line of lines) {
      n += 1;
      consumed += Buffer.byteLength(line) + 1;
      options.onProgress?.(consumed);
      if (n === 1) {
        let header: unknown;
        try {
          header = JSON.parse(line);
        } catch {
          header = null;
        }
        if (!isCastHeader(header)) throw new Error(`${path}: not an asciicast v2 recording (first line is not a v2 header)`);
        options.onHeader?.(header);
        continue;
      }
      if (line.trim() === '') continue;
      const ev = parseEvent(line);
      if (typeof ev === 'string') {
        options.onDamaged?.({ line: n, what: 'skipped', reason: ev });
        continue;
      }
      const [rawT, type, data] = ev;
      let t = rawT as number;
      // A time a little before the last is normal (a held line goes out after a marker): it
      // makes no wait. Only one that is no time at all is replaced.
      if (typeof rawT !== 'number' || !(rawT >= 0 && rawT <= MAX_EVENT_TIME_S)) {
        options.onDamaged?.({ line: n, what: 'retimed', reason: `time ${typeof rawT === 'number' ? rawT : JSON.stringify(rawT)?.slice(0, 40)}` });
        t = lastT;
      }
      lastT = t;
      if (type === 'x') {
        if (pending && (pending.type === 'o' || pending.type === 'i')) {
          pending.bytes = new Uint8Array(Buffer.from(data, 'base64'));
        }
        continue;
      }
      if (pending) yield pending;
      pending = { t, type, text: data, bytes: enc.encode(data) };
    }
    if (pending) yield pending;
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Damaged lines named in the warning; the rest are counted. */
const DAMAGE_LISTED = 10;

/**
 * Collects what readCast reports through onDamaged (the first DAMAGE_LISTED lines, and counts)
 * for the one warning every reader of a recording gives: on stderr, in the TUI's status bar.
 */
export class DamageTally {
  private readonly listed: CastDamage[] = [];
  private readonly total = { skipped: 0, retimed: 0 };

  readonly onDamaged = (d: CastDamage): void => {
    this.total[d.what] += 1;
    if (this.listed.length < DAMAGE_LISTED) this.listed.push(d);
  };

  /** What was damaged, e.g. `skipped 3 damaged lines (lines 102, 103, 1745)`; null when nothing was. */
  detail(): string | null {
    return describeDamage(this.listed, this.total);
  }

  /** The warning about `path` for stderr (null when nothing was damaged). */
  describe(path: string): string | null {
    const d = this.detail();
    return d === null ? null : `${path}: ${d}`;
  }
}

function describeDamage(damage: readonly CastDamage[], total: { skipped: number; retimed: number }): string | null {
  if (total.skipped === 0 && total.retimed === 0) return null;
  const where = (what: CastDamage['what']): string => {
    const lines = damage.filter((d) => d.what === what).map((d) => d.line);
    const count = what === 'skipped' ? total.skipped : total.retimed;
    return `line${count === 1 ? '' : 's'} ${lines.join(', ')}${count > lines.length ? ', …' : ''}`;
  };
  const parts: string[] = [];
  if (total.skipped > 0) parts.push(`skipped ${total.skipped} damaged line${total.skipped === 1 ? '' : 's'} (${where('skipped')})`);
  if (total.retimed > 0) parts.push(`replayed ${total.retimed} event${total.retimed === 1 ? '' : 's'} with an impossible time at the time before (${where('retimed')})`);
  return parts.join('; ');
}

/** The header alone (first line). */
export async function readCastHeader(path: string): Promise<CastHeader> {
  let found: CastHeader | null = null;
  const it = readCast(path, { onHeader: (h) => (found = h) });
  try {
    await it.next();
  } finally {
    await it.return(undefined);
  }
  if (!found) throw new Error(`${path}: not an asciicast v2 recording`);
  return found;
}
