/**
 * Test-only stand-in for the prefix profiles: splits a programs/ssl line
 * `file:line: |L| body` (possibly glued after application text) into Prefixed segments, so the
 * mbedTLS parser tests do not depend on the profile code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DeviceEvent, Line, Prefixed } from '../../parsers/events.ts';
import { MbedtlsParser, type MbedtlsParserOptions } from '../../parsers/mbedtls/mbedtls-parser.ts';

const PREFIX = /([^\s:]*\.[ch]):(\d+): (?:(0x[0-9a-fA-F]+): )?\|(\d)\| /;

export function segments(text: string): Prefixed[] {
  const m = PREFIX.exec(text);
  if (!m) return [{ profile: 'none', body: text }];
  const out: Prefixed[] = [];
  if (m.index > 0) out.push({ profile: 'none', body: text.slice(0, m.index) });
  const seg: Prefixed = { profile: 'programs-ssl', body: text.slice(m.index + m[0].length), file: m[1]!, srcLine: Number(m[2]), level: Number(m[4]) };
  if (m[3] !== undefined) seg.ctx = m[3];
  out.push(seg);
  return out;
}

/** Feed lines (seq from 0, t = seq) and return every event, flush included. */
export function run(lines: readonly string[], opts?: MbedtlsParserOptions): DeviceEvent[] {
  const p = new MbedtlsParser({ ...opts, strict: true });
  const events: DeviceEvent[] = [];
  lines.forEach((text, seq) => {
    const line: Line = { seq, t: seq, text };
    for (const s of segments(text)) events.push(...p.feed(s, line));
  });
  events.push(...(p.flush?.() ?? []));
  return events;
}

export function recording(name: string): string[] {
  const path = fileURLToPath(new URL(`../../recordings/${name}`, import.meta.url));
  return readFileSync(path, 'utf8').split(/\r?\n/);
}

export function ofKind<K extends DeviceEvent['kind']>(events: readonly DeviceEvent[], kind: K): Extract<DeviceEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<DeviceEvent, { kind: K }> => e.kind === kind);
}
