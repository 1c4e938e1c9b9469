/** Text formatting for the panes: no protocol knowledge, only how numbers and names read. */

/** `MBEDTLS_SSL_SERVER_CERTIFICATE` → `SERVER_CERTIFICATE`: the prefix is the same on every line. */
export const shortState = (s: string): string => s.replace(/^MBEDTLS_SSL_/, '');

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Replay clock: `1:02.5`. */
export function clock(ms: number): string {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${m}:${(s % 60).toFixed(1).padStart(4, '0')}`;
}

export const bytes = (n: number): string => `${n} B`;

/** `certificate` → `Certificate`, `server_hello_done` → `ServerHelloDone`. */
export const messageName = (tableName: string): string =>
  tableName.split('_').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** A bar `width` cells wide, filled in proportion to value/limit; over the limit it ends in `!`. */
export function bar(value: number, limit: number, width: number): string {
  if (width <= 0) return '';
  if (limit <= 0) return '';
  if (value > limit) return '█'.repeat(Math.max(0, width - 1)) + '!';
  const filled = Math.max(value > 0 ? 1 : 0, Math.round((value / limit) * width));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function padStart(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** Cut to `n` cells with an ellipsis (panes never wrap: the frame keeps its height). */
export function fit(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  return n === 1 ? '…' : s.slice(0, n - 1) + '…';
}

/**
 * The window of `count` items of `total` that keeps `focus` visible, centred when it can be.
 * Lists longer than their pane scroll with the selection instead of wrapping or growing.
 */
export function windowAround(total: number, count: number, focus: number): { start: number; end: number } {
  if (total <= count) return { start: 0, end: total };
  const f = Math.max(0, Math.min(total - 1, focus));
  let start = f - Math.floor(count / 2);
  start = Math.max(0, Math.min(total - count, start));
  return { start, end: start + count };
}

/** Line numbers as editors and `grep -n` count them (seq is 0-based). */
export const lineNo = (seq: number): number => seq + 1;

/**
 * `s` in lines of at most `width` cells, broken at spaces where it can and inside a word where
 * it must (hex, paths); newlines in `s` are kept. Nothing is dropped: joining the lines with
 * single spaces gives `s` back with its runs of spaces intact except at the breaks.
 */
export function wrapText(s: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of s.replace(/\t/g, '  ').split('\n')) {
    let rest = para;
    if (rest.length === 0) {
      out.push('');
      continue;
    }
    while (rest.length > w) {
      let cut = rest.lastIndexOf(' ', w);
      if (cut <= 0) cut = w;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, '');
    }
    out.push(rest);
  }
  return out;
}
