/**
 * Plain string scans for what a regex would do with ambiguous quantifiers. Device text can be
 * 64 KiB of one character (a banner of `=`, a run of spaces): the forms here take time linear in
 * the line whatever it holds, where `\s*,\s*` or `(.+?)\.?\s*$` backtrack quadratically or worse.
 */

const isSpace = (c: string): boolean => c.trim() === '';

/** `s` with the blanks around every `sep` removed (what `s.replace(/\s*SEP\s*\/g, SEP)` did). */
export function tighten(s: string, sep: string): string {
  if (!s.includes(sep)) return s;
  const parts = s.split(sep);
  const last = parts.length - 1;
  return parts.map((p, i) => (i === 0 ? p.trimEnd() : i === last ? p.trimStart() : p.trim())).join(sep);
}

/** Where the last blank-free run of `s` starts (0 when `s` has no blank; `s.length` when it ends in one). */
export function lastTokenStart(s: string): number {
  let i = s.length;
  while (i > 0 && !isSpace(s[i - 1]!)) i--;
  return i;
}

/** The text after `marker` up to the end, without trailing blanks and one final `.`; null when empty. */
export function textAfter(body: string, marker: string): string | null {
  const at = body.indexOf(marker);
  if (at === -1) return null;
  let rest = body.slice(at + marker.length).trimEnd();
  if (rest.endsWith('.')) rest = rest.slice(0, -1);
  return rest === '' ? null : rest;
}

/**
 * The title of a boot banner `***** Title *****` (at least five stars each side, blanks around);
 * null when the line is not one or the title is empty.
 */
export function starBannerTitle(body: string): string | null {
  const t = body.trim();
  let head = 0;
  while (head < t.length && t[head] === '*') head++;
  let tail = t.length;
  while (tail > head && t[tail - 1] === '*') tail--;
  if (head < 5 || t.length - tail < 5) return null;
  const title = t.slice(head, tail).trim();
  return title === '' ? null : title;
}
