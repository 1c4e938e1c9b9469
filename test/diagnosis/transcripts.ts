/**
 * Builds the transcripts the diagnosis tests run: a corpus log from recordings/, or one derived
 * from it by an edit the test states (keep lines a–b, change a line, insert or append lines),
 * and runs it through the real pipeline with the diagnosis attached.
 */
import { readFileSync } from 'node:fs';
import type { FamilyParser } from '../../parsers/family.ts';
import { createSession } from '../../src/session/create-session.ts';
import type { Finding, Summary } from '../../src/session/types.ts';

export const OK_LOGS = [
  'tls13_mtls_ok.log',
  'tls12_rsa_server_ok.log',
  'm228_tls12_mtls_ok.log',
  'psa_tls12_opaque_ok.log',
  'tls12_gcm_debug4_ok.log',
] as const;

export function recording(name: string): string {
  return readFileSync(new URL(`../../recordings/${name}`, import.meta.url), 'utf8');
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/diagnosis/${name}`, import.meta.url), 'utf8');
}

export interface Edit {
  /** Keep only lines first..last (1-based, inclusive, as `sed -n 'a,bp'`). */
  keep?: [number, number];
  /** Change text on a line of the original (1-based); the text must be there. */
  change?: { line: number; from: string; to: string }[];
  /** Insert lines before original line n (1-based). */
  insertBefore?: { line: number; lines: string[] };
  append?: string[];
}

export function derive(text: string, edit: Edit): string {
  let lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const c of edit.change ?? []) {
    const cur = lines[c.line - 1];
    if (cur === undefined || !cur.includes(c.from)) throw new Error(`line ${c.line} does not hold ${JSON.stringify(c.from)}: ${cur}`);
    lines[c.line - 1] = cur.replace(c.from, c.to);
  }
  if (edit.insertBefore) lines.splice(edit.insertBefore.line - 1, 0, ...edit.insertBefore.lines);
  if (edit.keep) lines = lines.slice(edit.keep[0] - 1, edit.keep[1]);
  if (edit.append) lines.push(...edit.append);
  return lines.join('\n') + '\n';
}

/** 0-based seq of the nth line (0 = first) that contains `needle` — the test's own grep. */
export function seqOf(text: string, needle: string, nth = 0): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && seen++ === nth) return i;
  throw new Error(`no line ${nth} with ${JSON.stringify(needle)}`);
}

export function run(text: string, opts: { parsers?: FamilyParser[]; redact?: boolean } = {}): Summary {
  const s = createSession({ source: { type: 'file', name: 'x' }, ...opts });
  s.feed(new TextEncoder().encode(text), 0);
  s.end();
  return s.summary();
}

export const codes = (fs: Finding[]): string[] => fs.map((f) => f.code).sort();
export const only = (s: Summary, code: string): Finding => {
  const hits = s.findings.filter((f) => f.code === code);
  if (hits.length !== 1) throw new Error(`expected one ${code}, got ${hits.length}: ${codes(s.findings).join(', ')}`);
  return hits[0]!;
};
