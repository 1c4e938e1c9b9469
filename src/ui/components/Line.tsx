import React from 'react';
import { Text, Transform } from 'ink';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

/** A run of text in one style. */
export interface Span {
  text: string;
  color?: string | undefined;
  bold?: boolean | undefined;
  dim?: boolean | undefined;
  inverse?: boolean | undefined;
}

// hsmon's line framer already drops escape sequences and control characters; a text that still
// has one would reach the terminal as is (the text is put in after Ink's own sanitising).
const ESCAPES = /\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b.?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const UNCLEAN = /[\u0000-\u001f\u007f-\u009f]/;
const clean = (s: string): string => (UNCLEAN.test(s) ? s.replace(ESCAPES, '').replace(/[\t\n]/g, ' ') : s);

/**
 * Widths of the texts of the last few frames: most rows are the same from one frame to the
 * next, and string-width segments every text that is not plain ASCII (box lines, `●`, `…`).
 * Bounded, unlike Ink's cache: emptied when it holds WIDTHS_KEPT texts.
 */
const WIDTHS_KEPT = 4096;
const widths = new Map<string, number>();
function cellsOf(s: string): number {
  let w = widths.get(s);
  if (w === undefined) {
    if (widths.size >= WIDTHS_KEPT) widths.clear();
    w = stringWidth(s);
    widths.set(s, w);
  }
  return w;
}

/** The longest start of `s` at most `cells` wide (slice-ansi keeps a wide character that straddles the edge). */
function head(s: string, cells: number): string {
  const chars = Array.from(sliceAnsi(s, 0, cells));
  while (chars.length > 0 && stringWidth(chars.join('')) > cells) chars.pop();
  return chars.join('');
}

/** A span as drawn: its text and that text's width in cells. */
interface Cut extends Span {
  cells: number;
}

/**
 * What `<Text wrap="truncate">` around the spans draws in `width` cells: cut at `width - 1`
 * cells and `…` added in the style of the last span shown (cli-truncate, Ink's truncation).
 * Unlike cli-truncate, never wider than `width`: a wide character on the edge is left out.
 * Each text is measured once (string-width is the cost of a row that is not plain ASCII).
 */
export function cutSpans(spans: readonly Span[], width: number): Cut[] {
  const cleaned = spans.map((s) => {
    const text = clean(s.text);
    return { ...s, text, cells: cellsOf(text) };
  });
  const total = cleaned.reduce((n, s) => n + s.cells, 0);
  if (total <= width) return cleaned;
  if (width <= 0) return [];
  if (width === 1) return [{ text: '…', cells: 1 }];
  let room = width - 1;
  const out: Cut[] = [];
  for (const s of cleaned) {
    if (s.cells <= room) {
      out.push(s);
      room -= s.cells;
      continue;
    }
    const cut = head(s.text, room);
    const last = out.findLastIndex((o) => o.text.length > 0);
    if (cut.length === 0 && last !== -1) out[last] = { ...out[last]!, text: `${out[last]!.text}…`, cells: out[last]!.cells + 1 };
    else out.push({ ...s, text: `${cut}…`, cells: stringWidth(cut) + 1 });
    break;
  }
  return out;
}

type Props = { width: number } & ({ spans: readonly Span[] } | Span);

/**
 * One line of text that depends on the data (a log row, a counter, a title with a count), cut
 * to `width` cells like `<Text wrap="truncate">`.
 *
 * Why not a plain <Text>: Ink 6 measures every <Text> for its layout and keeps each distinct
 * string it ever measured in a module-level Map with no bound (ink/build/measure-text.js), so a
 * monitor drawing a flood of distinct device lines grows without limit. Ink measures only what
 * the outermost text node holds *before* that node's own transform, and applies the transform
 * only when it writes the frame (dom.js measureTextNode, squash-text-nodes.js,
 * render-node-to-output.js). So the spans are drawn as runs of spaces of the same widths, styled
 * by Ink (<Text> nested in <Transform> is styled during measuring too), and the transform puts
 * the real text in place of each run: Ink measures one string per width and style, lays out
 * the same size, and the terminal shows the text inside Ink's own colour codes.
 */
function LineView(props: Props): React.ReactElement {
  const spans = cutSpans('spans' in props ? props.spans : [props], props.width);
  const holes = spans.map((s) => ' '.repeat(s.cells));
  // Each run in turn, searched after the text already put in (which may hold spaces itself).
  // Spliced, not String.replace: `$&` or `$1` in a device line stays as it is.
  const transform = (line: string): string => {
    let out = '';
    let rest = line;
    for (let i = 0; i < spans.length; i++) {
      const at = rest.indexOf(holes[i]!);
      // Not there: Ink wrapped or clipped the line because the box is narrower than `width`.
      if (at === -1) return line;
      out += rest.slice(0, at) + spans[i]!.text;
      rest = rest.slice(at + holes[i]!.length);
    }
    return out + rest;
  };
  return (
    <Transform transform={transform}>
      {spans.map((s, i) => (
        <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {holes[i]}
        </Text>
      ))}
    </Transform>
  );
}

const sameSpan = (a: Span, b: Span): boolean =>
  a.text === b.text && a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse;

/**
 * Props equal in value: every frame builds its rows anew, and most are what they were (a key
 * press, a pane that did not change): React then keeps the row, and Ink its nodes.
 */
function sameLine(a: Props, b: Props): boolean {
  if (a.width !== b.width) return false;
  if ('spans' in a || 'spans' in b) {
    if (!('spans' in a && 'spans' in b) || a.spans.length !== b.spans.length) return false;
    return a.spans.every((s, i) => sameSpan(s, b.spans[i]!));
  }
  return sameSpan(a, b);
}

export const Line = React.memo(LineView, sameLine);
