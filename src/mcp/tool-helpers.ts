/** What the MCP tools share: the cursor and event schemas, the JSON answer, user regexes. */
import * as z from 'zod';

/** User regexes (log, wait_for) are short: they run over every line of the log ring. */
export const MAX_REGEX = 200;

export const cursor = z.number().int().min(0);
export const looseEvent = z.looseObject({ kind: z.string(), t: z.number(), line: z.number().nullable(), seq: z.number().int() });

export const json = <T extends object>(structured: T) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(structured) }],
  structuredContent: structured,
});

/** `MBEDTLS_SSL_SERVER_HELLO` → `SERVER_HELLO`. */
export const short = (state: string | null | undefined): string | null => (state ? state.replace(/^MBEDTLS_SSL_/, '') : null);

export function compileRegex(source: string): RegExp {
  if (source.length > MAX_REGEX) throw new Error(`regex is longer than ${MAX_REGEX} characters`);
  try {
    return new RegExp(source, 'i');
  } catch (err) {
    throw new Error(`invalid regex: ${(err as Error).message}`);
  }
}
