// The shortcuts the parsing pipeline takes for speed must never change what it finds: each is
// checked here against the slow path it stands in for, on the corpus and on generated lines.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Line, Prefixed } from '../../parsers/events.ts';
import { builtinProfiles } from '../../parsers/profiles/builtin-profiles.ts';
import { compileProfile, matchProfile } from '../../parsers/profiles/profile.ts';
import { LineFramer } from '../../parsers/frame.ts';
import { isHexRow } from '../../parsers/mbedtls/hex-row.ts';
import { keyAttrsOf, mayHoldAttrs, scanKeyAttrs } from '../../parsers/psa.ts';
import { createMqttParser } from '../../parsers/mqtt.ts';
import { createAppParser } from '../../parsers/app.ts';
import { createDiagnosticLinesParser } from '../../parsers/diagnostic-lines.ts';
import { createParsers } from '../../src/session/parsers.ts';
import { ProfileMatcher } from '../../parsers/profiles/index.ts';

const recordings = new URL('../../recordings/', import.meta.url);
const corpusLines = readdirSync(recordings)
  .filter((f) => f.endsWith('.log'))
  .flatMap((f) => readFileSync(new URL(f, recordings), 'latin1').split(/\r?\n/));

const programsSsl = builtinProfiles.find((p) => p.name === 'programs-ssl')!;
const tuned = compileProfile(programsSsl);
/** The same profile without its hand-written matcher: the regex alone. */
const regexOnly = { ...tuned, parse: null };

describe('programs-ssl hand-written matcher', () => {
  it('gives what the regex gives on every corpus line', () => {
    expect(corpusLines.length).toBeGreaterThan(5000);
    let matched = 0;
    for (const line of corpusLines) {
      const want = matchProfile(regexOnly, line);
      expect(matchProfile(tuned, line), line).toEqual(want);
      if (want) matched++;
    }
    // Most corpus lines carry the prefix: the fast path was really taken.
    expect(matched).toBeGreaterThan(3000);
  });

  it('gives what the regex gives on generated near-misses', () => {
    const piece = fc.constantFrom(
      'ssl_msg.c', 'ssl_tls.c', 'x.h', '.c', 'c', 'C', ':', '/', '\\', ': |', '|', '| ', ' ', '\t', '0', '42', '4', '9999999999999999999',
      'C:/Users/me/ssl_tls.c', 'a b.c', '\u00a0', '\x01', 'é', '0x2000abcd: ', '=> handshake', '', '|3|', ':0001: |2| ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        expect(matchProfile(tuned, text)).toEqual(matchProfile(regexOnly, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reuses the last file name only when the line really starts with it', () => {
    const pm = new ProfileMatcher();
    expect(pm.split('ssl_msg.c:0001: |2| => a')[0]).toMatchObject({ file: 'ssl_msg.c', srcLine: 1, body: '=> a' });
    // Same name as a prefix of a longer one, and a name that is only a prefix of the last.
    expect(pm.split('ssl_msg.cc:0002: |2| => b')[0]).toMatchObject({ profile: 'none' });
    expect(pm.split('ssl_msg.c:0003: |3| => c')[0]).toMatchObject({ file: 'ssl_msg.c', srcLine: 3, level: 3 });
    expect(pm.split('sl_msg.c:0004: |2| => d')[0]).toMatchObject({ file: 'sl_msg.c', srcLine: 4 });
  });
});

describe('hex dump rows', () => {
  it.each([
    ['0000:  6b 02 f6 ef 3f ba e4 3e 16 aa e8 4e d9 7a e4 90  k...?..>...N.z..', true],
    ['0cc0:  4d 61 73 74 65 72 2d 4b 65 79 3a 20 31 41 41 39  Master-Key: 1AA9', true],
    ['0010:  00 1c                                            ..', true],
    ['0000:  [redacted by hsmon: session secret]', true],
    ['client state: MBEDTLS_SSL_HELLO_REQUEST', false],
    ['dumping \'session id\' (0 bytes)', false],
    ['00g0:  6b 02', false],
    ['0000: 6b 02 f6', false],
    ['0000:  ', false],
  ])('%s → %s', (body, want) => {
    expect(isHexRow(body)).toBe(want);
  });

  it('a parser that says it does not want a row yields nothing and keeps its state when fed one', () => {
    // Feed every corpus line; before each row, ask; when a parser says no, feeding the row to a
    // twin that got the same lines must change nothing it later reports.
    const lines = readFileSync(new URL('tls12_gcm_debug4_ok.log', recordings), 'latin1').split('\n');
    const a = createParsers({});
    const b = createParsers({});
    const pm = new ProfileMatcher();
    let skipped = 0;
    lines.forEach((text, seq) => {
      const line: Line = { seq, t: seq, text };
      for (const seg of pm.split(text)) {
        const row = isHexRow(seg.body);
        a.forEach((p, k) => {
          const q = b[k]!;
          if (row && p.wantsHexRow && !p.wantsHexRow()) {
            skipped++;
            expect(q.feed(seg, line)).toEqual([]);
            return;
          }
          expect(p.feed(seg, line)).toEqual(q.feed(seg, line));
        });
      }
    });
    a.forEach((p, k) => expect(p.flush?.() ?? []).toEqual(b[k]!.flush?.() ?? []));
    expect(skipped).toBeGreaterThan(2000);
  });
});

describe('PSA key attribute pre-test', () => {
  const label = fc.constantFrom('Key ID', 'key_id', 'id', 'ID', 'handle', 'type', 'Type', 'bits', 'alg', 'algorithm', 'usage', 'usage flags',
    'lifetime', 'status', 'x.id', 'cert. type', 'msgtype', 'hslen', 'in_left', 'state', 'kid', 'Id', 'TYPE');
  const sep = fc.constantFrom(':', '=', ' : ', ' = ', '  :', '\t=', '\u00a0:', ' | ', ', ', '_:', '(');
  const value = fc.constantFrom('0x1', '256', 'ECC_KEY_PAIR(SECP_R1)', 'ECDSA(SHA_256)', 'SIGN_HASH|VERIFY_HASH', 'persistent', '-133', '22', 'x');
  const glue = fc.constantFrom(' ', ', ', 'psa ', 'key ', '.', '', ';');
  // Mostly label-separator-value triples (what an attribute line is), sometimes shuffled pieces.
  const triples = fc.array(fc.tuple(label, sep, value, glue).map((t) => t.join('')), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
  const pieces = fc.array(fc.oneof(label, sep, value, glue), { maxLength: 12 }).map((p) => p.join(''));
  const text = fc.oneof(triples, pieces);

  it('never rejects a line the attribute scan would read something from', () => {
    fc.assert(
      fc.property(text, (t) => {
        const attrs = scanKeyAttrs(t);
        if (Object.keys(attrs).length > 0) expect(mayHoldAttrs(t, false)).toBe(true);
        if (attrs.id !== undefined || attrs.type !== undefined) expect(mayHoldAttrs(t, true)).toBe(true);
        expect(keyAttrsOf(t)).toEqual(attrs);
      }),
      { numRuns: 5000 },
    );
  });

  it('is exact on the corpus', () => {
    for (const line of corpusLines) expect(keyAttrsOf(line)).toEqual(scanKeyAttrs(line));
  });
});

describe('gates in front of the rule lists keep the case-insensitive rules', () => {
  const at: Line = { seq: 5, t: 50, text: '' };
  const seg = (body: string): Prefixed => ({ profile: 'none', body });

  it('mqtt: `Initiating MQTT Reconnection` in any case (built)', () => {
    expect(createMqttParser().feed(seg('initiating mqtt reconnection...'), at)).toEqual([{ kind: 'mqtt.reconnecting', t: 50, line: 5 }]);
  });

  it('mqtt: a state name holding `TLS` is not an MQTT line, `TLS connection established` is (built)', () => {
    expect(createMqttParser().feed(seg('client state: MBEDTLS_SSL_SERVER_HELLO'), at)).toEqual([]);
    expect(createMqttParser().feed(seg('TLS connection established'), at)).toEqual([{ kind: 'mqtt.tls.connected', t: 50, line: 5 }]);
  });

  it('app: Wi-Fi lines in lower case (built)', () => {
    expect(createAppParser().feed(seg('unexpectedly disconnected from wi-fi network! initiating wi-fi reconnection'), at)).toEqual([
      { kind: 'wifi.disconnected', expected: false, t: 50, line: 5 },
      { kind: 'wifi.reconnecting', t: 50, line: 5 },
    ]);
  });

  it('diagnostic lines: `Master-Key:` in a dump of decrypted data is payload, the printout is a secret (tls12_gcm_debug4_ok:1415, 1527)', () => {
    const p = createDiagnosticLinesParser();
    expect(p.wantsHexRow?.()).toBe(false);
    expect(p.feed(seg('    Master-Key: 1AA9AA90D560002643EBB22486567D8A'), at)).toMatchObject([{ what: 'secret-dump', text: 'Master-Key' }]);
  });
});

describe('LineFramer plain-ASCII chunks', () => {
  it('still cleans lines of a chunk that holds an escape, a control byte or UTF-8', () => {
    const enc = new TextEncoder();
    const f = new LineFramer();
    const lines = f.push(enc.encode('plain line\n\x1b[31mred\x1b[0m\nbell\x07here\ncaf\u00e9\n'), 0);
    expect(lines.map((l) => l.text)).toEqual(['plain line', 'red', 'bellhere', 'caf\u00e9']);
    const g = new LineFramer();
    expect(g.push(enc.encode('ok\tok\r\nnext\rlast\n'), 0).map((l) => l.text)).toEqual(['ok\tok', 'next', 'last']);
  });
});
