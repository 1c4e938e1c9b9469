/**
 * The log viewport: which of the kept lines show, given the filter and the cursor. A viewport
 * of the lines that fit (rather than Ink's <Static>) keeps the panes on one fixed screen; a
 * line that has been drawn keeps its text, so the terminal diff only touches what moved.
 */
import type { LogLineView } from '../../session/types.ts';
import { compilePattern, type Matcher } from './ui-state.ts';

export interface LogWindow {
  lines: LogLineView[];
  /** Index in `lines` of the cursor line, -1 when following or when it is not shown. */
  cursorAt: number;
  matches: number;
  error: string | null;
  /** The cursor points at a line older than the ring keeps. */
  cursorLost: boolean;
}

const blank = (l: LogLineView | undefined): boolean => l !== undefined && l.dir === 'rx' && l.text.trim() === '';

/**
 * Whether blank device lines pad the device's line breaks: the Infineon debug callback prints a
 * line holding one space after every mbedTLS message, ESP-IDF an empty one after every line (its
 * CR LF after the logger's own LF). Then most non-blank lines are followed by one blank line;
 * a log where that is rare (ssl_client2's own empty lines) keeps its blank lines.
 */
function padded(log: readonly LogLineView[]): boolean {
  let text = 0;
  let pads = 0;
  for (let i = 0; i < log.length; i++) {
    const l = log[i]!;
    if (l.dir !== 'rx') continue;
    if (!blank(l)) text++;
    else if (i > 0 && log[i - 1]!.dir === 'rx' && !blank(log[i - 1])) pads++;
  }
  return text > 0 && pads * 3 >= text;
}

/**
 * The lines worth a row: with padding (above), a blank device line right after a non-blank one
 * is hidden, and the Infineon one-space line always. They stay in the recording and keep their
 * numbers (the gap shows); a second blank line in a row shows. The filter applies to the rest.
 */
function visible(log: readonly LogLineView[], re: Matcher | null): readonly LogLineView[] {
  const collapse = padded(log);
  return log.filter((l, i) => {
    if (l.dir === 'rx' && l.text === ' ') return false;
    if (collapse && blank(l) && i > 0 && log[i - 1]!.dir === 'rx' && !blank(log[i - 1])) return false;
    return !re || re.test(l.text);
  });
}

export function logWindow(log: readonly LogLineView[], pattern: string, cursor: number | null, height: number): LogWindow {
  const { re, error } = compilePattern(pattern);
  const shown = visible(log, re);
  const matches = re ? shown.length : 0;
  const h = Math.max(1, height);
  if (cursor === null) {
    return { lines: shown.slice(-h), cursorAt: -1, matches, error, cursorLost: false };
  }
  const cursorLost = log.length > 0 && cursor < log[0]!.seq;
  // First shown line at or after the cursor (the cursor line itself when it passes the filter).
  let at = shown.findIndex((l) => l.seq >= cursor);
  if (at === -1) at = shown.length - 1;
  const start = Math.max(0, Math.min(shown.length - h, at - Math.floor(h / 2)));
  const lines = shown.slice(start, start + h);
  const cursorAt = shown[at]?.seq === cursor ? at - start : -1;
  return { lines, cursorAt, matches, error, cursorLost };
}

/** The seq of the next (dir 1) or previous (dir -1) line matching the pattern from `from`, or null. */
export function searchFrom(log: readonly LogLineView[], pattern: string, from: number | null, dir: 1 | -1): number | null {
  const { re } = compilePattern(pattern);
  if (!re || log.length === 0) return null;
  const start = from ?? (dir === 1 ? -1 : Number.MAX_SAFE_INTEGER);
  if (dir === 1) {
    for (const l of log) if (l.seq > start && re.test(l.text)) return l.seq;
  } else {
    for (let i = log.length - 1; i >= 0; i--) {
      const l = log[i]!;
      if (l.seq < start && re.test(l.text)) return l.seq;
    }
  }
  return null;
}

/** Move the cursor by `delta` shown lines (filter applied); leaving the end resumes following. */
export function moveCursor(log: readonly LogLineView[], pattern: string, cursor: number | null, delta: number): number | null {
  const { re } = compilePattern(pattern);
  const shown = visible(log, re);
  if (shown.length === 0) return null;
  // Following sits just past the last line: ↑ lands on the last line, ↓ from it follows again.
  let at = cursor === null ? shown.length : shown.findIndex((l) => l.seq >= cursor);
  if (at === -1) at = shown.length - 1;
  const next = at + delta;
  if (next >= shown.length) return null;
  return shown[Math.max(0, next)]!.seq;
}
