/**
 * The bytes of mbedTLS hex dumps (`mbedtls_debug_print_buf`, debug.c), rebuilt exactly:
 *
 *   ssl_msg.c:3036: |4| dumping 'output record sent to network' (210 bytes)
 *   ssl_msg.c:3036: |4| 0000:  16 03 03 00 cd 01 00 00 c9 03 03 00 6a e2 0a 5f  ............j.._
 *
 * Each row is `%04x: ` then ` %02x` per byte (16 a row, the last row padded with three spaces
 * per missing byte) then two spaces and the ASCII column, so byte k of a row is always at
 * column 7 + 3k. Rows are placed by their printed offset, not by arrival, and collected per
 * TLS context (the `%p` prefix): a multi-threaded device interleaves the rows of two contexts.
 * debug.c stops after 4096 bytes (`if (i >= 4096) break;`) but the header still gives the
 * whole length: such a dump is `truncated`, with `bytes` holding the 4096 that were printed.
 *
 * Only dumps whose name the caller wants are collected (a debug-4 log dumps every record
 * three times over: header, whole record, decrypted payload). This file is pure and is not
 * one of the session's family parsers: the capture export (src/export) runs it on the
 * device's own text.
 */
import type { Line, Prefixed } from '../events.ts';
import { isHexDigit, isHexRow } from './hex-row.ts';
import { DUMP_LIMIT, RE_DUMP } from './line-patterns.ts';

/** One dump, complete or as far as its rows went. */
export interface DumpBytes {
  kind: 'tls.dump.bytes';
  /** Time and seq of the `dumping '…'` line. */
  t: number;
  line: number;
  /** Seq of the last row that belonged to it. */
  endLine: number;
  ctx: string | null;
  name: string;
  /** The length the header line gave: the whole buffer, also when the rows stop at 4096. */
  length: number;
  /** The bytes the rows held, min(length, 4096) long; bytes of rows never seen are 0. */
  bytes: Uint8Array;
  /** length > 4096: the rows stop there (debug.c). */
  truncated: boolean;
  /** Bytes below min(length, 4096) that no row gave (a row lost, or the dump cut short). */
  missing: number;
  /** A row held hsmon's redaction mark instead of bytes: the dump was redacted when recorded. */
  redacted: boolean;
}

interface OpenDump {
  d: DumpBytes;
  /** Which bytes a row has given (a row repeated or out of order is placed once). */
  seen: Uint8Array;
  have: number;
}

const REDACTED = '[redacted by hsmon';

export class HexDumpBytes {
  private readonly open = new Map<string, OpenDump>();

  /** `want(name)`: whether to collect the dump of that name (`output record sent to network`). */
  constructor(private readonly want: (name: string) => boolean) {}

  /** True while a dump's rows are expected: rows can be skipped otherwise. */
  wantsHexRow(): boolean {
    return this.open.size > 0;
  }

  /** One segment of a line; returns the dumps it completed (usually none). */
  feed(segment: Prefixed, line: Line): DumpBytes[] {
    const body = segment.body;
    const key = segment.ctx ?? '';
    if (isHexRow(body)) {
      const o = this.open.get(key);
      if (o === undefined) return NONE;
      this.row(o, body, line.seq);
      if (o.have < o.d.bytes.length) return NONE;
      this.open.delete(key);
      return [o.d];
    }
    // Any other line of the same context ends a dump that is still open (a lost row).
    const cut = this.open.get(key);
    if (cut !== undefined) this.open.delete(key);
    const done = cut === undefined ? NONE : [finish(cut)];
    if (!body.startsWith("dumping '")) return done;
    const m = RE_DUMP.exec(body.trimEnd());
    if (m === null || !this.want(m[1]!)) return done;
    const length = Number(m[2]);
    const shown = Math.min(length, DUMP_LIMIT);
    const d: DumpBytes = {
      kind: 'tls.dump.bytes', t: line.t, line: line.seq, endLine: line.seq, ctx: segment.ctx ?? null,
      name: m[1]!, length, bytes: new Uint8Array(shown), truncated: length > DUMP_LIMIT, missing: 0, redacted: false,
    };
    if (shown === 0) return [...done, d];
    this.open.set(key, { d, seen: new Uint8Array(shown), have: 0 });
    return done;
  }

  /** End of input: the dumps still open, as far as they went. */
  flush(): DumpBytes[] {
    const out = [...this.open.values()].map(finish);
    this.open.clear();
    return out;
  }

  private row(o: OpenDump, body: string, seq: number): void {
    const d = o.d;
    d.endLine = seq;
    if (body.startsWith(REDACTED, 7)) {
      d.redacted = true;
      return;
    }
    const offset = parseInt(body.slice(0, 4), 16);
    for (let k = 0; k < 16; k++) {
      const c = 7 + 3 * k;
      if (body.charCodeAt(c - 1) !== 32 || !isHexDigit(body.charCodeAt(c)) || !isHexDigit(body.charCodeAt(c + 1))) break;
      const at = offset + k;
      if (at >= d.bytes.length) break;
      d.bytes[at] = parseInt(body.slice(c, c + 2), 16);
      if (o.seen[at] === 0) {
        o.seen[at] = 1;
        o.have++;
      }
    }
  }
}

const NONE: DumpBytes[] = Object.freeze([]) as unknown as DumpBytes[];

function finish(o: OpenDump): DumpBytes {
  o.d.missing = o.d.bytes.length - o.have;
  return o.d;
}
