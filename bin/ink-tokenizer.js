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
 * Lines kept. A frame writes one line per pane row, border and title: about 250 distinct at
 * 200×50. Emptied when full, so memory stays bounded however long the monitor runs (a styled
 * character is about 100 bytes: at most a few MB).
 */
const MAX_LINES = 1024;
let tokensOf = new Map();
const charsOf = new WeakMap();
/** Lines tokenized and lines reused from an earlier frame: the render statistics read them. */
const counts = (globalThis[Symbol.for('hsmon.inkTokenizer.lines')] ??= { tokenized: 0, reused: 0 });

export function tokenize(str, endChar) {
  if (endChar !== undefined) return tokenizeAnew(str, endChar);
  let tokens = tokensOf.get(str);
  if (tokens === undefined) {
    if (tokensOf.size >= MAX_LINES) tokensOf = new Map();
    tokens = Object.freeze(tokenizeAnew(str).map(Object.freeze));
    tokensOf.set(str, tokens);
    counts.tokenized++;
  } else counts.reused++;
  return tokens;
}

export function styledCharsFromTokens(tokens) {
  let chars = charsOf.get(tokens);
  if (chars === undefined) {
    chars = Object.freeze(charsAnew(tokens).map((c) => Object.freeze({ ...c, styles: Object.freeze(c.styles) })));
    charsOf.set(tokens, chars);
  }
  return chars;
}
