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

const clean = (s: string): string => s.replace(ESCAPES, '').replace(/[\t\n]/g, ' ');

/** The longest start of `s` at most `cells` wide (slice-ansi keeps a wide character that straddles the edge). */
function head(s: string, cells: number): string {
  const chars = Array.from(sliceAnsi(s, 0, cells));
  while (chars.length > 0 && stringWidth(chars.join('')) > cells) chars.pop();
  return chars.join('');
}

/**
 * What `<Text wrap="truncate">` around the spans draws in `width` cells: cut at `width - 1`
 * cells and `…` added in the style of the last span shown (cli-truncate, Ink's truncation).
 * Unlike cli-truncate, never wider than `width`: a wide character on the edge is left out.
 */
export function cutSpans(spans: readonly Span[], width: number): Span[] {
  const cleaned = spans.map((s) => ({ ...s, text: clean(s.text) }));
  const total = cleaned.reduce((n, s) => n + stringWidth(s.text), 0);
  if (total <= width) return cleaned;
  if (width <= 0) return [];
  if (width === 1) return [{ text: '…' }];
  let room = width - 1;
  const out: Span[] = [];
  for (const s of cleaned) {
    const w = stringWidth(s.text);
    if (w <= room) {
      out.push(s);
      room -= w;
      continue;
    }
    const cut = head(s.text, room);
    const last = out.findLastIndex((o) => o.text.length > 0);
    if (cut.length === 0 && last !== -1) out[last] = { ...out[last]!, text: `${out[last]!.text}…` };
    else out.push({ ...s, text: `${cut}…` });
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
export function Line(props: Props): React.ReactElement {
  const spans = cutSpans('spans' in props ? props.spans : [props], props.width);
  const holes = spans.map((s) => ' '.repeat(stringWidth(s.text)));
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
