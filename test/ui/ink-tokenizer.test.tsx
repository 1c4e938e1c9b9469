/**
 * The tokenizer Ink draws through (bin/ink-tokenizer.js: bundled with Ink by scripts/build.js,
 * put in place by a module hook here, which test/setup.ts registers as the sources do): it
 * reaches Ink, it reads every styled line as Ink 6's own tokenizer does, and what it keeps
 * across frames is shared, frozen and bounded. test/e2e/pack.test.ts checks the build's.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inkTokenizerCounts } from '../../src/io/ink-tokenizer.ts';
import { ROOT } from '../helpers/cli.ts';
import { corpusSession, renderApp } from './helpers/render.tsx';

interface StyledChar {
  value: string;
  styles: unknown[];
}
interface Tokenizer {
  tokenize(s: string): unknown[];
  styledCharsFromTokens(t: unknown[]): StyledChar[];
  styledCharsToString(c: StyledChar[]): string;
}
type Resolve = (s: string, c: { parentURL?: string }, next: (s: string, c: object) => unknown) => unknown;

const load = async <T,>(...path: string[]): Promise<T> => (await import(/* @vite-ignore */ pathToFileURL(join(ROOT, ...path)).href)) as T;
const ours = await load<Tokenizer>('bin/ink-tokenizer.js');
// The version Ink 6 asks for, which npm installs beside it.
const inks = await load<Tokenizer>('node_modules/ink/node_modules/@alcalzone/ansi-tokenize/build/index.js');
const { resolve } = await load<{ resolve: Resolve }>('bin/ink-tokenizer-hook.js');

// SGR as chalk writes what the theme (src/ui/theme.ts) and the panes use: bold, dim, inverse,
// underline, the eight colours and gray, nested and closed in any order.
const sgr = (open: number, close: number) => (s: string): string => `\x1b[${open}m${s}\x1b[${close}m`;
const bold = sgr(1, 22);
const dim = sgr(2, 22);
const inverse = sgr(7, 27);
const underline = sgr(4, 24);
const fg = (c: number) => sgr(c, 39);
const [red, green, yellow, cyan, gray] = [fg(31), fg(32), fg(33), fg(36), fg(90)];

const LINES = [
  '',
  'ssl_tls.c:4321: |2| <= handshake',
  gray('│') + ' 1 Handshake ' + gray('│'),
  cyan('╭─ ') + bold(cyan('1 Handshake')) + cyan(' ──────╮'),
  inverse(' 3 Records ') + ' ' + dim('4 Certificate'),
  red(bold('ERROR')) + ' PSA-based ECDH failed in ' + yellow('CLIENT_KEY_EXCHANGE') + dim(' …') + ' ' + gray('(Enter: all)'),
  green('✓') + ' ' + dim('12 ms') + ' ' + underline('SERVER_HELLO'),
  bold(dim('bold and dim')) + ' plain',
  inverse(red('sel') + ' still inverse') + ' out',
  '設定 ' + yellow('証明書') + ' 🔒 ' + red('é') + 'e\u0301',
  `${cyan('a')}${cyan('b')}${gray('c')}\x1b[0m reset`,
  ' '.repeat(40) + gray('│'),
];

describe("Ink's tokenizer", () => {
  it("is what Ink's frame writer imports, and nothing else is redirected", () => {
    const next = (s: string): unknown => ({ url: `next:${s}` });
    const inkOutput = pathToFileURL(join(ROOT, 'node_modules/ink/build/output.js')).href;
    expect(resolve('@alcalzone/ansi-tokenize', { parentURL: inkOutput }, next)).toMatchObject({ url: pathToFileURL(join(ROOT, 'bin/ink-tokenizer.js')).href });
    // Its own import of the library, and anyone else's, resolve as usual.
    expect(resolve('@alcalzone/ansi-tokenize', { parentURL: pathToFileURL(join(ROOT, 'bin/ink-tokenizer.js')).href }, next)).toEqual({ url: 'next:@alcalzone/ansi-tokenize' });
    expect(resolve('ansi-styles', { parentURL: inkOutput }, next)).toEqual({ url: 'next:ansi-styles' });
  });

  it("reads every styled line as Ink 6's own version does", () => {
    for (const line of LINES) {
      const mine = ours.styledCharsFromTokens(ours.tokenize(line));
      const theirs = inks.styledCharsFromTokens(inks.tokenize(line));
      expect(mine.map((c) => c.value), line).toEqual(theirs.map((c) => c.value));
      expect(ours.styledCharsToString(mine), line).toBe(inks.styledCharsToString(theirs));
      // …and the pair of them, as Ink writes a row out of cells of several writes.
      const row = [...mine, ...ours.styledCharsFromTokens(ours.tokenize(LINES[5]!))];
      const inkRow = [...theirs, ...inks.styledCharsFromTokens(inks.tokenize(LINES[5]!))];
      expect(ours.styledCharsToString(row)).toBe(inks.styledCharsToString(inkRow));
    }
  });

  it('gives a line seen before the same frozen characters, and forgets lines past its bound', () => {
    const line = red('kept') + ' across frames';
    const first = ours.styledCharsFromTokens(ours.tokenize(line));
    expect(ours.styledCharsFromTokens(ours.tokenize(line))).toBe(first);
    expect(() => {
      (first as StyledChar[]).push({ value: 'x', styles: [] });
    }).toThrow(TypeError);
    expect(() => {
      (first[0] as { value: string }).value = 'x';
    }).toThrow(TypeError);
    // A line drawn between every 300 new ones (a border in a flood) is kept: each use renews it.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 300; i++) ours.tokenize(`flood ${round} ${i}`);
      expect(ours.styledCharsFromTokens(ours.tokenize(line))).toBe(first);
    }
    // Two generations of 320 lines at most (GENERATION): 700 new lines later it is gone.
    for (let i = 0; i < 700; i++) ours.tokenize(`line ${i}`);
    expect(ours.styledCharsFromTokens(ours.tokenize(line))).not.toBe(first);
  });

  it('gives a run of cells in one style one style list, as Ink 6 would draw them', () => {
    const line = red('abc') + 'de' + bold(green('fg'));
    const chars = ours.styledCharsFromTokens(ours.tokenize(line));
    expect(chars[0]!.styles).toBe(chars[2]!.styles);
    expect(chars[3]!.styles).toBe(chars[4]!.styles);
    expect(chars[5]!.styles).toBe(chars[6]!.styles);
    expect(chars[2]!.styles).not.toBe(chars[3]!.styles);
    expect(ours.styledCharsToString(chars)).toBe(inks.styledCharsToString(inks.styledCharsFromTokens(inks.tokenize(line))));
  });

  it('is what Ink draws the monitor with, reusing the rows of the frame before', async () => {
    const before = inkTokenizerCounts() ?? { tokenized: 0, reused: 0 };
    const ui = await renderApp(await corpusSession('recordings/tls12_server_untrusted.log'), {}, { columns: 120, rows: 40 });
    await ui.press('?');
    await ui.press('?');
    const after = inkTokenizerCounts();
    ui.unmount();
    expect(after).not.toBeNull();
    expect(after!.tokenized).toBeGreaterThan(before.tokenized);
    // Help closed again: the frame is the first one over, so its lines come from the cache.
    expect(after!.reused - before.reused).toBeGreaterThan(40);
  });
});
