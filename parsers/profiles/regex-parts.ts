/**
 * Splits regex source into its top-level pieces (an atom or group with its quantifier), so
 * that "why did this not match" can be answered by trying ever longer prefixes of a pattern.
 * A pattern with a top-level `|` is one piece: its prefixes mean nothing.
 */
export function regexParts(source: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const start = i;
    const c = source[i];
    if (c === '|') return [source];
    if (c === '\\') i = skipEscape(source, i);
    else if (c === '[') i = skipClass(source, i);
    else if (c === '(') {
      let depth = 0;
      while (i < n) {
        const d = source[i];
        if (d === '\\') {
          i = skipEscape(source, i);
          continue;
        }
        if (d === '[') {
          i = skipClass(source, i);
          continue;
        }
        i++;
        if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
    } else i++;
    i = skipQuantifier(source, i);
    parts.push(source.slice(start, i));
  }
  return parts;
}

function skipEscape(s: string, i: number): number {
  const c = s[i + 1];
  if (c === 'x') return i + 4;
  if (c === 'u') return s[i + 2] === '{' ? s.indexOf('}', i) + 1 || s.length : i + 6;
  if (c === 'c') return i + 3;
  if ((c === 'k' && s[i + 2] === '<') || ((c === 'p' || c === 'P') && s[i + 2] === '{')) {
    const close = s.indexOf(c === 'k' ? '>' : '}', i);
    return close < 0 ? s.length : close + 1;
  }
  return i + 2;
}

function skipClass(s: string, i: number): number {
  i++;
  if (s[i] === '^') i++;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i = skipEscape(s, i);
    else if (c === ']') return i + 1;
    else i++;
  }
  return i;
}

function skipQuantifier(s: string, i: number): number {
  const c = s[i];
  let j = i;
  if (c === '*' || c === '+' || c === '?') j = i + 1;
  else if (c === '{') {
    const m = /^\{\d+(?:,\d*)?\}/.exec(s.slice(i, i + 24));
    if (m) j = i + m[0].length;
  }
  if (j > i && s[j] === '?') j++;
  return j;
}
