/**
 * The session's NDJSON events as an agent pages through them: each event gets a sequence
 * number, and a cursor is the number of the next event the reader has not seen. Paging with
 * the cursor each answer returns loses and repeats nothing; when the bounded ring dropped
 * events the reader had not seen yet, the answer says how many (`dropped`), never silently.
 * Pure: no I/O, no timers.
 */
export interface LoggedEvent {
  kind: string;
  t: number;
  line: number | null;
  [field: string]: unknown;
}

export interface Page {
  events: (LoggedEvent & { seq: number })[];
  /** The cursor to pass next time. */
  next: number;
  /** Events after the cursor that the ring no longer holds. */
  dropped: number;
  /** More matching events wait after `next` (call again without waiting). */
  more: boolean;
}

/** `tls.` matches every kind under it; `tls.alert` matches exactly that kind. */
export function kindMatcher(kinds: readonly string[] | undefined): (kind: string) => boolean {
  if (!kinds || kinds.length === 0) return () => true;
  return (kind) => kinds.some((k) => (k.endsWith('.') ? kind.startsWith(k) : kind === k));
}

export class EventLog {
  private readonly ring: (LoggedEvent | undefined)[];
  /** Sequence number of the next event pushed; the ring holds [head - size, head). */
  private head = 0;
  private size = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly capacity = 20_000) {
    this.ring = new Array<LoggedEvent | undefined>(capacity);
  }

  push(e: LoggedEvent): number {
    const seq = this.head++;
    this.ring[seq % this.capacity] = e;
    if (this.size < this.capacity) this.size++;
    for (const l of this.listeners) l();
    return seq;
  }

  /** The cursor that means "everything so far is seen". */
  get cursor(): number {
    return this.head;
  }

  /** The oldest sequence number still held. */
  get oldest(): number {
    return this.head - this.size;
  }

  at(seq: number): LoggedEvent | undefined {
    return seq >= this.oldest && seq < this.head ? this.ring[seq % this.capacity] : undefined;
  }

  /** Matching events from `cursor` on, at most `limit` of them. */
  page(cursor: number, limit: number, match: (e: LoggedEvent) => boolean = () => true): Page {
    const from = Math.max(0, Math.min(cursor, this.head));
    const start = Math.max(from, this.oldest);
    const events: Page['events'] = [];
    let seq = start;
    for (; seq < this.head && events.length < limit; seq++) {
      const e = this.ring[seq % this.capacity]!;
      if (match(e)) events.push({ seq, ...e });
    }
    let more = false;
    for (let s = seq; s < this.head; s++) {
      if (match(this.ring[s % this.capacity]!)) {
        more = true;
        break;
      }
    }
    return { events, next: seq, dropped: start - from, more };
  }

  /** The first matching event at or after `cursor`, or null. */
  find(cursor: number, match: (e: LoggedEvent) => boolean): (LoggedEvent & { seq: number }) | null {
    for (let seq = Math.max(cursor, this.oldest); seq < this.head; seq++) {
      const e = this.ring[seq % this.capacity]!;
      if (match(e)) return { seq, ...e };
    }
    return null;
  }

  /** Called after every push. */
  onPush(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
