/**
 * `"redact": {"patterns": [...]}` in the config file: the user's own credential shapes, hidden
 * like the built-in ones (docs/config.md). A pattern that does not compile is a usage error
 * naming the file and the pattern, never silently dropped: a dropped pattern is a leak.
 */
import { compileCredentialPatterns } from '../../parsers/credentials.ts';
import { readConfigFile } from '../commands/config.ts';
import { UsageError } from './errors.ts';

export function parseRedactConfig(json: unknown, file: string): string[] {
  if (typeof json !== 'object' || json === null || !('redact' in json)) return [];
  const redact = (json as { redact: unknown }).redact;
  const patterns = typeof redact === 'object' && redact !== null ? (redact as { patterns?: unknown }).patterns : undefined;
  if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string' || p === '')) {
    throw new UsageError(`${file}: redact.patterns: expected a list of regular expressions as strings, e.g. {"redact": {"patterns": ["apikey=(\\\\S+)"]}}`);
  }
  try {
    compileCredentialPatterns(patterns as string[]);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
  return patterns as string[];
}

export async function loadRedactPatterns(configFile: string | undefined): Promise<string[]> {
  let found;
  try {
    found = await readConfigFile(configFile ? { file: configFile } : {});
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return found ? parseRedactConfig(found.json, found.path) : [];
}
