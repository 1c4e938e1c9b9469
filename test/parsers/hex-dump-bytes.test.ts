// HexDumpBytes against real dump rows (recordings/*_debug4_ok.log) and rows built in the exact
// format of mbedtls_debug_print_buf (debug.c: `%04x: `, ` %02x` per byte, the last row padded
// with three spaces per missing byte, two spaces, the ASCII column; at most 4096 bytes).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Line } from '../../parsers/events.ts';
import { ProfileMatcher } from '../../parsers/profiles/index.ts';
import { HexDumpBytes, type DumpBytes } from '../../parsers/mbedtls/hex-dump-bytes.ts';

const RECORDS = new Set(['output record sent to network', 'input record from network']);

/** The rows debug.c prints for `buf` (without the prefix). */
function rows(buf: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < buf.length && i < 4096; i += 16) {
    const chunk = buf.subarray(i, Math.min(i + 16, buf.length));
    const hex = Array.from(chunk, (b) => ` ${b.toString(16).padStart(2, '0')}`).join('') + '   '.repeat(16 - chunk.length);
    const txt = Array.from(chunk, (b) => (b > 31 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    out.push(`${i.toString(16).padStart(4, '0')}: ${hex}  ${txt}`);
  }
  return out;
}

/** Feeds lines `[ctx, body]` as one context-prefixed debug stream. */
function feed(p: HexDumpBytes, lines: [string | null, string][]): DumpBytes[] {
  const got: DumpBytes[] = [];
  lines.forEach(([ctx, body], seq) => {
    const line: Line = { seq, t: seq, text: body };
    got.push(...p.feed({ profile: 'test', body, file: 'ssl_msg.c', srcLine: 3036, level: 4, ...(ctx ? { ctx } : {}) }, line));
  });
  return [...got, ...p.flush()];
}

const bytes = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * seed + (i >> 8)) & 0xff);

describe('HexDumpBytes', () => {
  it('rebuilds a real record dump byte for byte (tls13_gcm_debug4_ok.log lines 101-115)', () => {
    // sed -n 101,115p recordings/tls13_gcm_debug4_ok.log: the ClientHello, 210 bytes, 16 03 03 00 cd 01 …
    const text = readFileSync('recordings/tls13_gcm_debug4_ok.log', 'utf8').split('\n').slice(100, 115);
    const m = new ProfileMatcher();
    const p = new HexDumpBytes((n) => RECORDS.has(n));
    const got = text.flatMap((t, i) => m.split(t).flatMap((s) => p.feed(s, { seq: 100 + i, t: 0, text: t })));
    expect(got).toHaveLength(1);
    const d = got[0]!;
    expect(d).toMatchObject({ name: 'output record sent to network', length: 210, line: 100, endLine: 114, truncated: false, missing: 0, redacted: false });
    expect(Array.from(d.bytes.subarray(0, 11))).toEqual([0x16, 0x03, 0x03, 0x00, 0xcd, 0x01, 0x00, 0x00, 0xc9, 0x03, 0x03]);
    // last row `00d0:  04 01` (line 115)
    expect(Array.from(d.bytes.subarray(208))).toEqual([0x04, 0x01]);
  });

  it('collects rows per context when two contexts interleave', () => {
    const a = bytes(40, 3);
    const b = bytes(20, 11);
    const ra = rows(a);
    const rb = rows(b);
    const got = feed(new HexDumpBytes(() => true), [
      ['0x2000a000', "dumping 'output record sent to network' (40 bytes)"],
      ['0x2000a000', ra[0]!],
      ['0x2000b000', "dumping 'input record from network' (20 bytes)"],
      ['0x2000b000', rb[0]!],
      ['0x2000a000', ra[1]!],
      ['0x2000b000', rb[1]!],
      ['0x2000a000', ra[2]!],
    ]);
    expect(got.map((d) => [d.ctx, d.length, d.missing])).toEqual([['0x2000b000', 20, 0], ['0x2000a000', 40, 0]]);
    expect(got[0]!.bytes).toEqual(b);
    expect(got[1]!.bytes).toEqual(a);
  });

  it('stops at 4096 bytes and keeps the whole length from the header line', () => {
    const buf = bytes(5000);
    const r = rows(buf);
    expect(r).toHaveLength(256);
    const [d] = feed(new HexDumpBytes(() => true), [[null, "dumping 'input record from network' (5000 bytes)"], ...r.map((x): [null, string] => [null, x])]);
    expect(d).toMatchObject({ length: 5000, truncated: true, missing: 0, endLine: 256 });
    expect(d!.bytes).toEqual(buf.subarray(0, 4096));
  });

  it('says how many bytes a lost row took, and which dumps were redacted', () => {
    const r = rows(bytes(48));
    const [lost] = feed(new HexDumpBytes(() => true), [[null, "dumping 'x' (48 bytes)"], [null, r[0]!], [null, r[2]!], [null, '<= write record']]);
    expect(lost).toMatchObject({ missing: 16, redacted: false });
    const [red] = feed(new HexDumpBytes(() => true), [[null, "dumping 'master secret' (48 bytes)"], [null, '0000:  [redacted by hsmon: session secret]'], [null, 'next']]);
    expect(red).toMatchObject({ redacted: true, missing: 48 });
  });

  it('skips dumps nobody wants, and rows of no open dump', () => {
    const p = new HexDumpBytes((n) => RECORDS.has(n));
    const got = feed(p, [[null, "dumping 'IV used' (12 bytes)"], [null, rows(bytes(12))[0]!], [null, '0000:  01 02 03']]);
    expect(got).toEqual([]);
    expect(p.wantsHexRow()).toBe(false);
  });

  it('property: rows in any order, mixed with another context, give the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.integer(), (a, b, seed) => {
        const ra = rows(a).map((x): [string, string] => ['0x1', x]);
        const rb = rows(b).map((x): [string, string] => ['0x2', x]);
        // a deterministic shuffle of a's rows, b's rows merged in between
        const order = ra.map((x, i) => ({ x, k: Math.imul(i + 1, seed | 1) >>> 0 })).sort((p, q) => p.k - q.k).map((o) => o.x);
        const mixed: [string, string][] = [['0x1', `dumping 'a' (${a.length} bytes)`], ['0x2', `dumping 'b' (${b.length} bytes)`]];
        const n = Math.max(order.length, rb.length);
        for (let i = 0; i < n; i++) {
          if (order[i]) mixed.push(order[i]!);
          if (rb[i]) mixed.push(rb[i]!);
        }
        const got = feed(new HexDumpBytes(() => true), mixed);
        const byName = new Map(got.map((d) => [d.name, d]));
        expect(byName.get('a')!.bytes).toEqual(a);
        expect(byName.get('b')!.bytes).toEqual(b);
        expect(byName.get('a')!.missing + byName.get('b')!.missing).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

// Round trip on every debug-4 recording: each record rebuilt from its rows has the length the
// log's record line gives (`output record: … msglen = N` / `input record: … msglen = N`, plus
// the 5-byte header), its header bytes say the same, and only records over 4096 bytes are cut.
// Expected values come from the record lines, read here with a regex as with
//   grep -o 'output record: msgtype = [0-9]*, version = \[[^]]*\], msglen = [0-9]*' F
//   grep -o 'input record: msgtype = [0-9]*, version = \[[^]]*\], msglen = [0-9]*' F
describe.each(['tls12_cbc_debug4_ok.log', 'tls12_gcm_debug4_ok.log', 'tls13_gcm_debug4_ok.log'])('records of %s', (file) => {
  const text = readFileSync(`recordings/${file}`, 'utf8');
  const expected = [...text.matchAll(/(output|input) record: msgtype = (\d+), version = \[[^\]]*\], msglen = (\d+)/g)].map((m) => ({
    dir: m[1] === 'output' ? 'output record sent to network' : 'input record from network', type: Number(m[2]), length: 5 + Number(m[3]),
  }));

  it('rebuilds every record at the length its record line gives', () => {
    const m = new ProfileMatcher();
    const p = new HexDumpBytes((n) => RECORDS.has(n));
    const got: DumpBytes[] = [];
    text.split('\n').forEach((t, seq) => {
      for (const s of m.split(t)) got.push(...p.feed(s, { seq, t: 0, text: t }));
    });
    got.push(...p.flush());
    expect(got.length).toBe(expected.length);
    expect(got.length).toBeGreaterThan(10);
    got.forEach((d, i) => {
      const e = expected[i]!;
      expect([d.name, d.length]).toEqual([e.dir, e.length]);
      expect(d.bytes[0]).toBe(e.type);
      expect(5 + ((d.bytes[3]! << 8) | d.bytes[4]!)).toBe(e.length);
      expect(d.truncated).toBe(e.length > 4096);
      expect(d.bytes.length).toBe(Math.min(e.length, 4096));
      expect(d.missing).toBe(0);
    });
  });
});
