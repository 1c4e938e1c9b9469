import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineFramer } from '../../parsers/frame.ts';
import type { Line } from '../../parsers/events.ts';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);

/** Feeds `data` cut at `cuts` (sorted offsets), then flushes. */
function frame(data: Uint8Array, cuts: number[] = [], opts?: { maxLineBytes?: number; copyLines?: boolean }): Line[] {
  const f = new LineFramer(opts);
  const out: Line[] = [];
  let from = 0;
  for (const c of [...cuts, data.length]) {
    out.push(...f.push(data.subarray(from, c), from));
    from = c;
  }
  out.push(...f.flush(data.length));
  return out;
}
const texts = (lines: Line[]): string[] => lines.map((l) => l.text);
/** Text and flags: what must not depend on how the bytes were split. */
const shape = (lines: Line[]) => lines.map((l) => [l.seq, l.text, l.truncated ?? false, l.invalidUtf8 ?? false]);

describe('LineFramer terminators', () => {
  it.each([
    ['LF', 'a\nb\n', ['a', 'b']],
    ['CRLF', 'a\r\nb\r\n', ['a', 'b']],
    ['lone CR', 'a\rb\r', ['a', 'b']],
    ['empty LF lines', 'a\n\nb\n', ['a', '', 'b']],
    ['Infineon callback `msg \\r\\n \\r\\n`', 'ssl_tls.c:4528: client state: 2 \r\n \r\n', ['ssl_tls.c:4528: client state: 2 ', ' ']],
    ['CR CR LF is a line and an empty line', 'a\r\r\nb\n', ['a', '', 'b']],
    ['LF then CR', 'a\n\rb', ['a', '', 'b']],
    ['banner ending \\r\\n\\n', 'banner \r\n\nnext\r\n', ['banner ', '', 'next']],
    ['no final terminator', 'tail', ['tail']],
    ['CR at end of input', 'a\r', ['a']],
    ['empty input', '', []],
  ])('%s', (_name, input, expected) => {
    const data = bytes(input);
    expect(texts(frame(data))).toEqual(expected);
    for (let k = 0; k <= data.length; k++) expect(texts(frame(data, [k])), `split at ${k}`).toEqual(expected);
    const everyByte = Array.from({ length: data.length }, (_, i) => i);
    expect(texts(frame(data, everyByte))).toEqual(expected);
  });

  it('numbers lines from 0 and gives each the time of its first byte', () => {
    const f = new LineFramer();
    expect(f.push(bytes('ab'), 1)).toEqual([]);
    expect(f.push(bytes('c\nd'), 2)).toEqual([{ seq: 0, t: 1, text: 'abc' }]);
    expect(f.push(bytes('e\nx\r'), 3)).toEqual([
      { seq: 1, t: 2, text: 'de' },
      { seq: 2, t: 3, text: 'x' },
    ]);
    // The LF completing the CRLF split across chunks is no line of its own.
    expect(f.push(bytes('\n'), 4)).toEqual([]);
    expect(f.push(bytes('\n'), 5)).toEqual([{ seq: 3, t: 5, text: '' }]);
    expect(f.push(bytes('last'), 6)).toEqual([]);
    expect(f.flush(9)).toEqual([{ seq: 4, t: 6, text: 'last' }]);
    expect(f.flush(10)).toEqual([]);
  });
});

describe('LineFramer UTF-8', () => {
  it.each([
    ['2-byte é', 'caf\u00e9 ok\n', 'caf\u00e9 ok'],
    ['4-byte emoji', 'x \u{1F600} y\n', 'x \u{1F600} y'],
    ['3-byte euro sign', '\u20ac5\n', '\u20ac5'],
  ])('decodes %s split at every byte', (_name, input, expected) => {
    const data = bytes(input);
    for (let k = 0; k <= data.length; k++) {
      const lines = frame(data, [k]);
      expect(lines).toEqual([{ seq: 0, t: 0, text: expected }]);
    }
    expect(frame(data, Array.from({ length: data.length }, (_, i) => i))).toEqual([{ seq: 0, t: 0, text: expected }]);
  });

  it.each([
    ['stray continuation byte', [0x61, 0xff, 0x62, 0x0a], 'a\ufffdb'],
    ['truncated 3-byte sequence', [0x61, 0xe2, 0x82, 0x0a], 'a\ufffd'],
    ['overlong encoding of /', [0xc0, 0xaf, 0x0a], '\ufffd\ufffd'],
  ])('shows %s as U+FFFD and flags the line', (_name, raw, expected) => {
    expect(frame(new Uint8Array(raw))).toEqual([{ seq: 0, t: 0, text: expected, invalidUtf8: true }]);
  });

  it('does not flag a U+FFFD that the device sent as valid UTF-8', () => {
    expect(frame(new Uint8Array([0xef, 0xbf, 0xbd, 0x0a]))).toEqual([{ seq: 0, t: 0, text: '\ufffd' }]);
  });
});

describe('LineFramer escape sequences and control characters', () => {
  it.each([
    ['ESP-IDF colours', '\x1b[0;32mI (123) wifi: ok\x1b[0m\r\n', ['I (123) wifi: ok']],
    [
      'TF-M example clear-screen banner',
      '\x1b[2J\x1b[;H******* PSOC Edge MCU: Basic Trusted Firmware-M (TF-M) Crypto Application ******* \r\n\n',
      ['******* PSOC Edge MCU: Basic Trusted Firmware-M (TF-M) Crypto Application ******* ', ''],
    ],
    ['OSC title ended by BEL', '\x1b]0;my title\x07text\n', ['text']],
    ['OSC ended by ST', '\x1b]2;t\x1b\\text\n', ['text']],
    ['two-byte ESC forms', '\x1b(Bab\x1b7c\x1bcd\n', ['abcd']],
    ['cursor save/restore with parameters', '\x1b[?25lhidden\x1b[?25h\n', ['hidden']],
    ['other C0 controls dropped, TAB kept', 'a\x00b\x07c\td\x08\x0b\x0c\x7f\n', ['abc\td']],
  ])('%s', (_name, input, expected) => {
    const data = bytes(input);
    for (let k = 0; k <= data.length; k++) expect(texts(frame(data, [k])), `split at ${k}`).toEqual(expected);
  });
});

describe('LineFramer line cap', () => {
  it('cuts a 1 MB line at 64 KiB, drops the rest, and frames the next line intact', () => {
    const big = new Uint8Array(1024 * 1024 + '\r\nnext\n'.length);
    big.fill(0x78, 0, 1024 * 1024);
    big.set(bytes('\r\nnext\n'), 1024 * 1024);
    const lines = frame(big, Array.from({ length: 256 }, (_, i) => (i + 1) * 4096));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ seq: 0, t: 0, text: 'x'.repeat(65536), truncated: true });
    // frame() stamps each chunk with its offset; 'next' is in the chunk that starts at 1 MiB.
    expect(lines[1]).toEqual({ seq: 1, t: 1024 * 1024, text: 'next' });
    // The same in one chunk.
    expect(shape(frame(big))).toEqual(shape(lines));
  });

  it.each([
    ['exactly the cap', 'abcdefgh\nz\n', [['abcdefgh', false], ['z', false]]],
    ['one byte over', 'abcdefghi\nz\n', [['abcdefgh', true], ['z', false]]],
    ['much longer, CRLF', 'abcdefghijklmnop\r\nz\n', [['abcdefgh', true], ['z', false]]],
    ['unterminated at end of input', 'abcdefghijklmnop', [['abcdefgh', true]]],
    ['cut inside é backs off to the character boundary', 'abcdefg\u00e9\n', [['abcdefg', true]]],
  ])('maxLineBytes 8: %s', (_name, input, expected) => {
    const data = bytes(input);
    for (let k = 0; k <= data.length; k++) {
      const lines = frame(data, [k], { maxLineBytes: 8 });
      expect(lines.map((l) => [l.text, l.truncated ?? false]), `split at ${k}`).toEqual(expected);
      expect(lines.some((l) => l.invalidUtf8)).toBe(false);
    }
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => new LineFramer({ maxLineBytes: 0 })).toThrow(RangeError);
  });
});

const recordings = new URL('../../recordings/', import.meta.url);
const corpus = readdirSync(recordings).filter((f) => f.endsWith('.log'));

describe('LineFramer on the corpus', () => {
  it('has corpus files to read', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(7);
  });

  it.each(corpus)('%s: two chunks split anywhere in the first 4 KB give the lines of the whole file', (name) => {
    const data = new Uint8Array(readFileSync(new URL(name, recordings)));
    const whole = texts(frame(data));
    // Lines as framed so far (no flush) after the first 8 KB arrive in one piece; every split
    // of those 8 KB must give the same, and they must be the whole file's first lines.
    const end = Math.min(data.length, 8192);
    const prefix = texts(new LineFramer().push(data.subarray(0, end), 0));
    expect(prefix.length).toBeGreaterThan(20);
    expect(prefix).toEqual(whole.slice(0, prefix.length));
    for (let k = 0; k <= Math.min(4096, end); k++) {
      const f = new LineFramer();
      const got = [...f.push(data.subarray(0, k), 0), ...f.push(data.subarray(k, end), 1)];
      if (got.length !== prefix.length || got.some((l, i) => l.text !== prefix[i])) {
        expect(texts(got), `split at ${k}`).toEqual(prefix);
      }
    }
    // And the whole file one byte at a time.
    const f = new LineFramer();
    const byByte: Line[] = [];
    for (let i = 0; i < data.length; i++) byByte.push(...f.push(data.subarray(i, i + 1), i));
    byByte.push(...f.flush(data.length));
    expect(texts(byByte)).toEqual(whole);
  });

  it('frames m228_tls12_mtls_ok.log as `wc -l` and grep count it', () => {
    // 838 LF-terminated lines (wc -l); CRLF pairs (8, grep -c $'\r') add no extra lines.
    const data = new Uint8Array(readFileSync(new URL('m228_tls12_mtls_ok.log', recordings)));
    const lines = frame(data);
    expect(lines).toHaveLength(838);
    expect(lines[8]!.text).toBe('  . Performing the SSL/TLS handshake...ssl_tls.c:5922: |2| => handshake');
    expect(lines[597]!.text).toBe('GET / HTTP/1.0');
    expect(lines[599]!.text).toBe('');
  });
});

describe('LineFramer properties', () => {
  const interesting = fc.oneof(
    fc.constantFrom(0x0a, 0x0d, 0x1b, 0x5b, 0x5d, 0x07, 0x09, 0x20, 0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff),
    fc.integer({ min: 0, max: 255 }),
  );
  const input = fc
    .tuple(fc.array(interesting, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }))
    .map(([raw, cutSeeds, max]) => {
      const data = new Uint8Array(raw);
      const cuts = [...new Set(cutSeeds.map((c) => (data.length === 0 ? 0 : c % (data.length + 1))))].sort((a, b) => a - b);
      return { data, cuts, max };
    });

  it('never throws, and any split gives the same lines as one chunk', () => {
    fc.assert(
      fc.property(input, ({ data, cuts, max }) => {
        for (const opts of [undefined, { maxLineBytes: max }]) {
          const one = frame(data, [], opts);
          const split = frame(data, cuts, opts);
          expect(shape(split)).toEqual(shape(one));
          expect(split.map((l) => l.text).join('\n')).toBe(one.map((l) => l.text).join('\n'));
          for (const l of split) expect(l.text).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
        }
      }),
      { numRuns: 400 },
    );
  });

  // Printable ASCII is what devices print most, and the framer takes a shorter path for chunks
  // of it (isPlainAscii, plainLine). It must agree with a plain model of the text, however it
  // is cut, with or without copyLines.
  const plainInput = fc
    .tuple(
      fc.array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom('a', 'Z', ' ', '|', ':', '0') }, { weight: 2, arbitrary: fc.constant('\n') }, { weight: 1, arbitrary: fc.constantFrom('\r', '\r\n', '\t') }), { maxLength: 400 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 1, max: 30 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([pieces, cutSeeds, max, copyLines, withCR]) => {
      // Half the inputs have no CR at all: the common case.
      const text = withCR ? pieces.join('') : pieces.join('').replace(/\r/g, '');
      const cuts = [...new Set(cutSeeds.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      return { text, cuts, max, copyLines };
    });

  it('frames plain text like the model, at any cut, with or without copyLines', () => {
    fc.assert(
      fc.property(plainInput, ({ text, cuts, max, copyLines }) => {
        const parts = text.split(/\r\n|\r|\n/);
        if (parts.at(-1) === '') parts.pop();
        const model = parts.map((s, seq) => [seq, s.length > max ? s.slice(0, max) : s, s.length > max, false]);
        expect(shape(frame(bytes(text), cuts, { maxLineBytes: max, copyLines }))).toEqual(model);
      }),
      { numRuns: 600 },
    );
  });

  it('times each line at the chunk that held its first byte without copyLines too', () => {
    const f = new LineFramer({ copyLines: false });
    const lines = [...f.push(bytes('a\nbb\ncc'), 10), ...f.push(bytes('c\nd\ne'), 20), ...f.flush(30)];
    expect(lines.map((l) => [l.text, l.t])).toEqual([['a', 10], ['bb', 10], ['ccc', 10], ['d', 20], ['e', 20]]);
  });
});
