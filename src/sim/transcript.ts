/**
 * Cuts handshakes out of the corpus logs (mbedTLS ssl_client2 output) and re-prints them the
 * way a PSOC Edge application would: the Infineon secure-sockets debug callback
 * `printf("%s:%04d: %s \n", file, line, str)`, where `str` already ends in "\n", so each
 * message is followed by a line holding one space (device-log-formats.md §1, §8).
 */

/** A debug line of ssl_client2: `ssl_tls.c:4589: |2| client state: …`, possibly glued after app text. */
const DEBUG = /(?<![A-Za-z0-9_])([A-Za-z0-9_]+\.[ch]):(\d{4,}): \|(\d)\| (.*)$/;

export type Form = 'infineon' | 'ssl_client2';

export interface DebugLine {
  file: string;
  line: string;
  level: number;
  message: string;
}

export function parseDebugLine(text: string): DebugLine | null {
  const m = DEBUG.exec(text);
  if (!m) return null;
  return { file: m[1]!, line: m[2]!, level: Number(m[3]), message: m[4]! };
}

/** One line in the Infineon callback form (LF endings: the simulator turns them into CRLF). */
export function infineonLine(d: DebugLine): string {
  return `${d.file}:${d.line}: ${d.message}\n \n`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface Cut {
  /** First line: the one holding `=> handshake`. */
  from?: RegExp;
  /** Last line kept (inclusive); default the `<= handshake` line, or `Last error was` after a failure. */
  to?: RegExp;
}

/** The lines of a log from `=> handshake` to its end (see Cut), as printed. */
export function cutHandshake(log: string, cut: Cut = {}): string[] {
  const lines = splitLines(log);
  const from = cut.from ?? /\|\d\| => handshake$/;
  const start = lines.findIndex((l) => from.test(l));
  if (start === -1) throw new Error('no "=> handshake" line in the transcript');
  let end: number;
  if (cut.to) {
    end = lines.findIndex((l, i) => i >= start && cut.to!.test(l));
  } else {
    const last = lines.findIndex((l, i) => i >= start && /^Last error was/.test(l));
    end = last !== -1 ? last : lines.findIndex((l, i) => i >= start && /\|\d\| <= handshake$/.test(l));
  }
  if (end === -1) throw new Error(`the transcript has no line matching ${String(cut.to ?? '<= handshake')}`);
  return lines.slice(start, end + 1);
}

/**
 * Renders transcript lines in a form. ssl_client2: verbatim. infineon: only the debug lines,
 * each in the callback form; ssl_client2's own application prints are dropped.
 */
export function render(lines: readonly string[], form: Form): string {
  if (form === 'ssl_client2') return lines.map((l) => l + '\n').join('');
  let out = '';
  for (const l of lines) {
    const d = parseDebugLine(l);
    if (d) out += infineonLine(d);
  }
  return out;
}
