import type { Prefixed } from '../events.ts';
import { ownCopy } from '../own-copy.ts';
import { builtinProfiles } from './builtin-profiles.ts';
import { compileProfile, matchProfile, type CompiledProfile, type Profile } from './profile.ts';
import { regexParts } from './regex-parts.ts';
import { matchGenericPrefix } from './generic-prefix.ts';

/** Distinct guessed prefixes counted; more are counted under the last one. */
const MAX_GUESSES = 16;

const RECENT_UNMATCHED = 200;

// A glued file name may swallow the lower-case hex printed just before it
// (`…b7f5cdssl_msg.c:`); the debug lines come from files with these names.
const HEX_BEFORE_FILE = /^[0-9a-f]+(?=(?:ssl_|x509|pk_|psa_|debug\.)[a-z0-9_]*\.[ch]:)/;

/**
 * Splits device lines into prefix fields and message body with a list of profiles. One per
 * session: it remembers the profile that matched last (a device prints one form) and a cy_log
 * prefix whose message is on the next line.
 *
 * Profiles without built-in tuning (user profiles) are always tried first, in order, so they
 * win over the built-ins; the built-ins never match the same line, so trying the last one that
 * matched first changes only the speed.
 */
export class ProfileMatcher {
  private readonly user: CompiledProfile[];
  private readonly tuned: CompiledProfile[];
  private readonly all: CompiledProfile[];
  private readonly gluers: CompiledProfile[];
  private last: CompiledProfile | null = null;
  private continuation: string | null = null;
  private unmatchedCount = 0;
  private readonly recent: string[] = [];
  private recentNext = 0;
  private readonly guesses = new Map<string, number>();
  /** Called for each line read with a guessed prefix; `first` for the first line of that prefix. */
  onGuess: ((guess: string, first: boolean) => void) | null = null;

  constructor(profiles: Profile[] = builtinProfiles) {
    this.all = profiles.map(compileProfile);
    this.user = this.all.filter((cp) => cp.quick === null);
    this.tuned = this.all.filter((cp) => cp.quick !== null);
    this.gluers = this.all.filter((cp) => cp.glue !== null);
  }

  /** Non-blank lines that no profile matched (application output, or a form no profile knows). */
  get unmatched(): number {
    return this.unmatchedCount;
  }

  /** Lines read per guessed prefix (generic-prefix.ts), in the order first seen. */
  guessed(): { prefix: string; lines: number }[] {
    return [...this.guesses].map(([prefix, lines]) => ({ prefix, lines }));
  }

  private noteGuess(guess: string): void {
    const n = this.guesses.get(guess);
    const key = n === undefined && this.guesses.size >= MAX_GUESSES ? [...this.guesses.keys()].at(-1)! : guess;
    const count = (this.guesses.get(key) ?? 0) + 1;
    this.guesses.set(key, count);
    this.onGuess?.(key, count === 1);
  }

  /** The last unmatched lines, oldest first. */
  recentUnmatched(): string[] {
    if (this.recent.length < RECENT_UNMATCHED) return this.recent.slice();
    return [...this.recent.slice(this.recentNext), ...this.recent.slice(0, this.recentNext)];
  }

  /**
   * One segment per message on the line: none for a blank line, two when a debug line is glued
   * to the end of application output (`  . Performing the SSL/TLS handshake...ssl_tls.c:…`).
   */
  split(text: string): Prefixed[] {
    if (isBlank(text)) return [];
    const seg = this.matchStart(text, false);
    if (seg !== null) {
      this.continuation = null;
      if (seg.body === '' && this.last?.profile.bodyOnNextLine) {
        this.continuation = seg.profile;
        return [];
      }
      return [seg];
    }
    if (this.continuation !== null) {
      const profile = this.continuation;
      this.continuation = null;
      return [{ profile, body: text }];
    }
    const glued = this.matchGlued(text);
    if (glued !== null) return glued;
    // No profile knows this prefix, but the mbedTLS debug shape follows it: read it, say so.
    const generic = matchGenericPrefix(text);
    if (generic !== null) {
      this.noteGuess(generic.guess);
      return [generic.seg];
    }
    this.countUnmatched(text);
    return [{ profile: 'none', body: text }];
  }

  /** Why a line matched or did not, one line per profile. */
  explain(text: string): string {
    const out: string[] = [];
    for (const cp of this.all) {
      const seg = matchProfile(cp, text);
      if (seg !== null) {
        out.push(`${cp.profile.name}: matches: ${describe(seg)}`);
        continue;
      }
      out.push(`${cp.profile.name}: ${whyNot(cp, text)}`);
    }
    if (this.gluers.length > 0 && !this.all.some((cp) => cp.re.test(text))) {
      const glued = this.findGlued(text);
      out.push(
        glued === null
          ? 'glued: no debug prefix inside the line'
          : `glued: ${glued.cp.profile.name} prefix at column ${glued.at}: ${describe(glued.seg)}`,
      );
    }
    return out.join('\n');
  }

  private matchStart(text: string, inner: boolean): Prefixed | null {
    for (const cp of this.user) {
      if (inner && cp.profile.wraps) continue;
      const seg = this.apply(cp, text, inner);
      if (seg !== null) return seg;
    }
    const last = inner ? null : this.last;
    // A profile with a hand-written matcher needs no quick test first: the matcher is one.
    if (last !== null && last.quick !== null && (last.parse !== null || last.quick(text))) {
      const seg = this.apply(last, text, inner);
      if (seg !== null) return seg;
    }
    for (const cp of this.tuned) {
      if (cp === last || (inner && cp.profile.wraps) || !cp.quick!(text)) continue;
      const seg = this.apply(cp, text, inner);
      if (seg !== null) return seg;
    }
    return null;
  }

  private apply(cp: CompiledProfile, text: string, inner: boolean): Prefixed | null {
    const seg = matchProfile(cp, text);
    if (seg === null) return null;
    if (!inner) this.last = cp;
    if (!cp.profile.wraps || seg.body === '') return seg;
    const innerSeg = this.matchStart(seg.body, true);
    if (innerSeg === null) return seg;
    innerSeg.profile = `${cp.profile.name}+${innerSeg.profile}`;
    if (innerSeg.ctx === undefined && seg.ctx !== undefined) innerSeg.ctx = seg.ctx;
    return innerSeg;
  }

  private matchGlued(text: string): Prefixed[] | null {
    const found = this.findGlued(text);
    if (found === null) return null;
    const before = text.slice(0, found.at);
    return isBlank(before) ? [found.seg] : [{ profile: 'none', body: before }, found.seg];
  }

  private findGlued(text: string): { cp: CompiledProfile; at: number; seg: Prefixed } | null {
    // Candidates are the `.c:` / `.h:` in the line, leftmost first; the file name is found by
    // scanning back from there, which keeps the search linear on long lines.
    let c = text.indexOf('.c:');
    let h = text.indexOf('.h:');
    while (c >= 0 || h >= 0) {
      const dot = c < 0 ? h : h < 0 ? c : Math.min(c, h);
      for (const cp of this.gluers) {
        const tail = cp.glue!;
        tail.lastIndex = dot;
        if (!tail.test(text)) continue;
        let at = fileStart(text, dot);
        if (at === dot) continue;
        const hex = at > 0 ? HEX_BEFORE_FILE.exec(text.slice(at, dot + 3)) : null;
        if (hex !== null) at += hex[0].length;
        const seg = matchProfile(cp, text.slice(at));
        if (seg !== null) return { cp, at, seg };
      }
      if (dot === c) c = text.indexOf('.c:', c + 1);
      else h = text.indexOf('.h:', h + 1);
    }
    return null;
  }

  private countUnmatched(line: string): void {
    this.unmatchedCount++;
    // Kept for a long while: not a view into the chunk the line was cut from (ownCopy).
    const text = ownCopy(line);
    if (this.recent.length < RECENT_UNMATCHED) this.recent.push(text);
    else {
      this.recent[this.recentNext] = text;
      this.recentNext = (this.recentNext + 1) % RECENT_UNMATCHED;
    }
  }
}

/**
 * Where the file name that ends at `dot` starts, inside application text: an absolute Windows
 * path (`C:/…`, no blanks), else directories of `[A-Za-z0-9_.-]` and a name of `[a-z0-9_]`
 * (`...AES256-ssl_msg.c` gives `ssl_msg.c`; an ellipsis ends a directory run).
 */
function fileStart(s: string, dot: number): number {
  let k = dot;
  while (k > 0 && isGluedPathChar(s.charCodeAt(k - 1))) k--;
  if (k >= 2 && s.charCodeAt(k - 1) === 0x3a && isLetter(s.charCodeAt(k - 2)) && isSlash(s.charCodeAt(k))) return k - 2;
  let j = dot;
  while (j > 0 && isNameChar(s.charCodeAt(j - 1))) j--;
  if (j === dot || j === 0 || !isSlash(s.charCodeAt(j - 1))) return j;
  let d = j;
  while (d > 0 && (isDirChar(s.charCodeAt(d - 1)) || isSlash(s.charCodeAt(d - 1)))) d--;
  const ellipsis = s.lastIndexOf('...', j);
  return ellipsis >= d ? ellipsis + 3 : d;
}

const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isSlash = (c: number): boolean => c === 0x2f || c === 0x5c;
const isNameChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
const isDirChar = (c: number): boolean => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
// [^\s:|*?"<>]
const isGluedPathChar = (c: number): boolean =>
  c > 0x20 && c !== 0x3a && c !== 0x7c && c !== 0x2a && c !== 0x3f && c !== 0x22 && c !== 0x3c && c !== 0x3e;

function isBlank(text: string): boolean {
  // Most lines start with a printable character: decide without a regex.
  return text.length === 0 || (text.charCodeAt(0) <= 0x20 && /^\s*$/.test(text));
}

function describe(seg: Prefixed): string {
  const fields: string[] = [];
  if (seg.file !== undefined) fields.push(`file=${seg.file}`);
  if (seg.srcLine !== undefined) fields.push(`line=${seg.srcLine}`);
  if (seg.level !== undefined) fields.push(`level=${seg.level}`);
  if (seg.ctx !== undefined) fields.push(`ctx=${seg.ctx}`);
  fields.push(`body=${JSON.stringify(seg.body)}`);
  return fields.join(' ');
}

const partsCache = new WeakMap<CompiledProfile, string[]>();

/** Finds the longest run of leading regex pieces that still matches, and names the next one. */
function whyNot(cp: CompiledProfile, text: string): string {
  let parts = partsCache.get(cp);
  if (parts === undefined) {
    parts = regexParts(cp.profile.regex);
    partsCache.set(cp, parts);
  }
  let reached = 0;
  let ok = 0;
  for (let k = 1; k < parts.length; k++) {
    let re: RegExp;
    try {
      re = new RegExp(parts.slice(0, k).join(''), 's');
    } catch {
      break;
    }
    const m = re.exec(text);
    if (m === null) break;
    ok = k;
    reached = m.index + m[0].length;
  }
  if (ok === 0 && parts.length > 1) {
    return `no match: the first piece /${parts[0]}/ fails at column 0 (${quote(text, 0)})`;
  }
  if (ok === 0) return 'no match';
  const next = parts[ok] ?? '';
  return `no match: ${ok} of ${parts.length} pieces match ${JSON.stringify(text.slice(0, reached))}, then /${next}/ fails at column ${reached} (${quote(text, reached)})`;
}

function quote(text: string, at: number): string {
  const rest = text.slice(at, at + 24);
  return rest.length === 0 ? 'end of line' : `next: ${JSON.stringify(rest)}${text.length > at + 24 ? '…' : ''}`;
}
