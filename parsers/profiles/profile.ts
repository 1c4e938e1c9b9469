import type { Prefixed } from '../events.ts';

/** A line the profile must recognise, with what it must yield (checked when a config loads). */
export interface ProfileSample {
  line: string;
  body: string;
  file?: string;
  srcLine?: number;
  level?: number;
  ctx?: string;
}

/**
 * How one platform prefixes device lines. `regex` is JavaScript regex source, anchored with
 * `^`, compiled with the `s` flag; its named groups are `body` (required: the message), and
 * optionally `file`, `line` (source line number), `level`, `ctx` (TLS context pointer) and
 * `ts` (device timestamp, recognised but not reported).
 */
export interface Profile {
  name: string;
  description: string;
  regex: string;
  /** Maps the text of the `level` group to an mbedTLS debug level (ESP-IDF `W` → 1). */
  levelMap?: Record<string, number>;
  /** The body may carry another profile's prefix (SEGGER RTT `00> `): it is matched again. */
  wraps?: boolean;
  /** An empty body means the message is on the next line (cy_log formats that begin with `\n`). */
  bodyOnNextLine?: boolean;
  samples: ProfileSample[];
}

export const GROUP_NAMES = ['body', 'file', 'line', 'level', 'ctx', 'ts'] as const;

/** The `%p: ` prefix MBEDTLS_THREADING_C builds put before every debug message. */
const CTX_PREFIX = /^(0x[0-9a-fA-F]{1,16}): /;

export interface CompiledProfile {
  readonly profile: Profile;
  readonly re: RegExp;
  /** A cheap necessary condition for `re` to match, tried first; null when there is none. */
  readonly quick: ((text: string) => boolean) | null;
  /**
   * Sticky regex for what follows the file name when this profile's prefix sits inside a line
   * (a debug line glued to application output), tried at each `.c:` / `.h:`.
   */
  readonly glue: RegExp | null;
  readonly parse: ((text: string) => Prefixed | null | undefined) | null;
}

/** Internal speed-ups of built-in profiles, keyed by the profile object. */
export interface ProfileTuning {
  quick: (text: string) => boolean;
  glue?: RegExp;
  /**
   * A hand-written matcher that gives exactly what the regex gives (the segment, or null for
   * no match), or undefined when it cannot tell and the regex must decide. For the forms that
   * make up most of a debug log, where the regex and its named groups cost most of the time.
   */
  parse?: (text: string) => Prefixed | null | undefined;
}

export const tunings = new WeakMap<Profile, ProfileTuning>();

export function compileProfile(profile: Profile): CompiledProfile {
  const tuning = tunings.get(profile);
  return {
    profile,
    re: new RegExp(profile.regex, 's'),
    quick: tuning?.quick ?? null,
    glue: tuning?.glue ?? null,
    parse: tuning?.parse ?? null,
  };
}

/** Applies one profile's own regex (no wrapping, no continuation); null when it does not match. */
export function matchProfile(cp: CompiledProfile, text: string): Prefixed | null {
  if (cp.parse !== null) {
    const seg = cp.parse(text);
    if (seg !== undefined) return seg;
  }
  const m = cp.re.exec(text);
  if (m === null) return null;
  return fromGroups(cp.profile, m.groups);
}

function fromGroups(profile: Profile, groups: Record<string, string | undefined> | undefined): Prefixed {
  if (groups === undefined) return { profile: profile.name, body: '' };
  const line = groups['line'];
  const level = groups['level'];
  return segment(
    profile.name,
    groups['body'] ?? '',
    groups['file'],
    line === undefined ? undefined : Number.parseInt(line, 10),
    level === undefined ? undefined : profile.levelMap ? profile.levelMap[level] : Number.parseInt(level, 10),
    groups['ctx'],
  );
}

/** The segment of a match, from its groups (numbers parsed; a `%p: ` context taken off the body). */
export function segment(
  name: string,
  body: string,
  file: string | undefined,
  srcLine: number | undefined,
  level: number | undefined,
  ctx: string | undefined,
): Prefixed {
  const seg: Prefixed = { profile: name, body };
  if (file !== undefined) seg.file = file;
  if (srcLine !== undefined && Number.isFinite(srcLine)) seg.srcLine = srcLine;
  if (level !== undefined && Number.isFinite(level)) seg.level = level;
  if (ctx !== undefined) seg.ctx = ctx;
  // 0x30 0x78 = "0x": test two chars before running a regex on every body.
  else if (body.charCodeAt(0) === 0x30 && body.charCodeAt(1) === 0x78) {
    const c = CTX_PREFIX.exec(body);
    if (c !== null) {
      seg.ctx = c[1]!;
      seg.body = body.slice(c[0].length);
    }
  }
  return seg;
}

/** Named groups declared in a regex source (which must compile). */
export function groupNames(source: string): string[] {
  // An empty alternative always matches, and `groups` lists every named group even when unset.
  const m = new RegExp(`${source}|`, 's').exec('');
  return m?.groups ? Object.keys(m.groups) : [];
}
