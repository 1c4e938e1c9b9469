/**
 * Puts the capture's packet number on NDJSON `tls.record` events (`packet`), so a record in
 * hsmon's output can be found in Wireshark (`frame.number == N`).
 *
 * The capture sees each chunk of bytes before the session does, so when the session reports a
 * record the capture has seen its line; but the record's dump (which makes the packet) may
 * still be on its way. Such an event, and every event after it (the order of the output is
 * kept), waits until the capture has the packet or knows there will be none.
 */
import type { CaptureStage } from './capture.ts';

interface Ev {
  kind: string;
  line: number | null;
}

export class PacketAnnotator<E extends Ev> {
  private held: E[] = [];

  constructor(
    private readonly capture: Pick<CaptureStage, 'packetOf' | 'isPending'>,
    private readonly write: (e: E | (E & { packet: number })) => void,
  ) {}

  event(e: E): void {
    if (this.held.length > 0 || this.waits(e)) this.held.push(e);
    else this.write(this.annotate(e));
  }

  /** After the capture was fed: the events it can now number. `end`: all of them. */
  release(end = false): void {
    let i = 0;
    for (; i < this.held.length; i++) {
      const e = this.held[i]!;
      if (!end && this.waits(e)) break;
      this.write(this.annotate(e));
    }
    this.held = i === this.held.length ? [] : this.held.slice(i);
  }

  private waits(e: E): boolean {
    return e.kind === 'tls.record' && e.line !== null && this.capture.isPending(e.line);
  }

  private annotate(e: E): E | (E & { packet: number }) {
    if (e.kind !== 'tls.record' || e.line === null) return e;
    const packet = this.capture.packetOf(e.line);
    return packet === undefined ? e : { ...e, packet };
  }
}
