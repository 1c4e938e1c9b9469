/**
 * A prefix no built-in profile knows: the esp-rs/mbedtls-rs form (esp-rs/mbedtls-rs#3, #11)
 *   INFO - 2 /mnt/c/projects/esp/esp-mbedtls/build_mbedtls/tmpsrc/mbedtls/library/ssl_tls.c:3939 => handshake
 * followed by an empty line. The transcript is built from a corpus log by rewriting each
 * `file:NNNN: |L| message` debug line into that form (a debug line glued after program text
 * goes on a line of its own, as a Rust logger prints it); it must read as the original does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';
import { ProfileMatcher } from '../../parsers/profiles/index.ts';

const ROOT = '/mnt/c/projects/esp/esp-mbedtls/build_mbedtls/tmpsrc/mbedtls/library/';
const DEBUG = /([A-Za-z0-9_]+\.[ch]):(\d+): \|(\d)\| (.*)$/;

function espRs(log: string): string {
  const out: string[] = [];
  for (const line of log.split('\n')) {
    const m = DEBUG.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const before = line.slice(0, m.index);
    if (before.trim() !== '') out.push(before);
    // The level word follows the level (log::Level for mbedTLS levels 1-4 in esp-mbedtls).
    const word = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'][Number(m[3])] ?? 'INFO';
    out.push(`${word} - ${m[3]} ${ROOT}${m[1]}:${Number(m[2])} ${m[4]}`, '');
  }
  return out.join('\n');
}

function summarize(body: string) {
  const s = createSession({ source: { type: 'file', name: 'esp-rs' } });
  s.feed(Buffer.from(body), 0);
  s.end();
  return s.summary();
}

const facts = (s: ReturnType<typeof summarize>) => s.handshakes.map((h) => ({
  outcome: h.outcome, tlsVersion: h.tlsVersion, ciphersuite: h.ciphersuite, states: h.states, failedAt: h.failedAt, error: h.error,
  alert: h.alert, records: h.records, recordsByState: h.recordsByState, peerCertificates: h.peerCertificates,
  fragmentedMessages: h.fragmentedMessages, anomalies: h.anomalies,
}));

describe('a prefix no profile knows', () => {
  it('no built-in profile matches the esp-rs form (so this is the generic reading at work)', () => {
    const m = new ProfileMatcher();
    m.onGuess = null;
    const line = `INFO - 2 ${ROOT}ssl_tls.c:3939 => handshake`;
    expect(m.explain(line).split('\n').filter((l) => l.includes(': matches'))).toEqual([]);
    expect(m.split(line)).toEqual([{ profile: 'generic', body: '=> handshake', file: `${ROOT}ssl_tls.c`, srcLine: 3939, level: 2 }]);
  });

  it.each(['psa_tls12_opaque_ok.log', 'tls13_client_cert_required.log', 'tls12_server_untrusted.log'])(
    '%s rewritten in the esp-rs form reads the same handshake facts and findings',
    (name) => {
      const log = readFileSync(new URL(`../../recordings/${name}`, import.meta.url), 'utf8');
      const original = summarize(log);
      const rewritten = espRs(log);
      expect(rewritten).toContain(`INFO - 2 ${ROOT}ssl_tls.c:4670 => handshake\n\n`);
      const guessed = summarize(rewritten);
      expect(facts(guessed)).toEqual(facts(original));
      const codes = (s: ReturnType<typeof summarize>) => s.findings.map((f) => f.code).filter((c) => c !== 'prefix-guessed').sort();
      expect(codes(guessed)).toEqual(codes(original));
      // What was assumed is said, per prefix, with the number of lines read that way:
      //   grep -c ': |[0-9]| ' F  (one rewritten line per debug line; the level word depends on the level)
      const debugLines = log.split('\n').filter((l) => DEBUG.test(l)).length;
      const notes = guessed.findings.filter((f) => f.code === 'prefix-guessed');
      expect(notes.length).toBeGreaterThan(0);
      const counted = notes.reduce((n, f) => n + Number(/^(\d+) line/.exec(f.message)![1]), 0);
      expect(counted).toBe(debugLines);
      expect(notes.map((f) => /\('([^']*)'/.exec(f.message)![1]).sort()).toEqual(
        [...new Set(log.split('\n').map((l) => DEBUG.exec(l)?.[3]).filter((x) => x !== undefined))]
          .map((lvl) => `${['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'][Number(lvl)]} - N`).sort());
    },
  );

  it('does not take an application source line for mbedTLS debug output', () => {
    const m = new ProfileMatcher();
    expect(m.split('INFO - 2 /src/main.c:12 => connecting')).toEqual([{ profile: 'none', body: 'INFO - 2 /src/main.c:12 => connecting' }]);
  });
});
