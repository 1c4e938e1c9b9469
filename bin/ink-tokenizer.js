// What Ink's frame writer (ink/build/output.js) imports as '@alcalzone/ansi-tokenize': the build
// bundles Ink with it (scripts/build.js), and the sources get it through a module hook
// (src/io/ink-tokenizer.ts). Two reasons, both measured on the whole App at 140×45:
//
// - Ink 6 asks for ^0.2, whose styledCharsToString builds three Sets for every cell of every
//   frame; 0.3.2 skips cells whose style equals the one before (its #84). Ink 7, which uses it,
//   needs Node 22. Ink renders the same with either: 0.3's other changes are fixes.
// - Ink tokenizes every line it writes, every frame, and keeps the result for that frame only.
//   Most lines of a frame were in the frame before (borders, titles, help, rows that did not
//   scroll): their tokens and styled characters are kept here across frames.
//
// Ink reads what these return and never changes it; it is frozen so that a change would throw
// rather than draw a wrong frame. Plain JavaScript beside bin/hsmon.js: the hook's target is
// loaded by Node as it is, with or without tsx.
import { styledCharsFromTokens as charsAnew, tokenize as tokenizeAnew } from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

/**
 * Lines kept, in two generations: a line is looked up in the newer, then in the older (and
 * moved to the newer); when the newer holds GENERATION lines it becomes the older and the
 * older is dropped. A line drawn in every frame stays; the rows of a flood leave after two
 * generations. A frame writes one line per pane row, border and title (about 250 distinct at
 * 200×50), and a kept line of 80 cells is about 10 KB: at most 2 × GENERATION lines, a few MB,
 * however long the monitor runs.
 */
const GENERATION = 320;
let newer = new Map();
let older = new Map();
const charsOf = new WeakMap();
/** Lines tokenized and lines reused from an earlier frame: the render statistics read them. */
const counts = (globalThis[Symbol.for('hsmon.inkTokenizer.lines')] ??= { tokenized: 0, reused: 0 });

function keep(str, tokens) {
  if (newer.size >= GENERATION) {
    older = newer;
    newer = new Map();
  }
  newer.set(str, tokens);
}

export function tokenize(str, endChar) {
  if (endChar !== undefined) return tokenizeAnew(str, endChar);
  let tokens = newer.get(str);
  if (tokens === undefined) {
    tokens = older.get(str);
    if (tokens === undefined) {
      tokens = Object.freeze(tokenizeAnew(str).map(Object.freeze));
      counts.tokenized++;
    } else counts.reused++;
    keep(str, tokens);
  } else counts.reused++;
  return tokens;
}

/** Equal style lists, code by code (the library's own cells each have a copy). */
function sameStyles(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

export function styledCharsFromTokens(tokens) {
  let chars = charsOf.get(tokens);
  if (chars === undefined) {
    // A run of cells in one style shares one frozen style list: a third less memory a line.
    let styles = Object.freeze([]);
    chars = Object.freeze(
      charsAnew(tokens).map((c) => {
        if (!sameStyles(styles, c.styles)) styles = Object.freeze(c.styles.map(Object.freeze));
        return Object.freeze({ ...c, styles });
      }),
    );
    charsOf.set(tokens, chars);
  }
  return chars;
}
