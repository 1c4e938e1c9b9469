/**
 * Shortcuts of the redactor that must not change what it hides: it reads a dump row's bytes as
 * text (an application's hex, base64 or `label: value` printed inside a dump of application
 * data) without building that text where the answer does not need it (LearnedSecrets.
 * bytesTextHit, the label-word pre-test of hexRow), and the bit filter in front of the learned
 * windows is sized to what is learned. These tests would catch a shortcut answering differently
 * from the full search it stands for.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LearnedSecrets, base64 } from '../../parsers/secret-values.ts';
import { SESSION_SECRET_MARK, SecretRedactor } from '../../parsers/secrets.ts';
import { findLeaks } from '../helpers/leak.ts';
import { dumpRows } from '../helpers/secret-transcripts.ts';

/** A small seeded generator: a failure names its seed and can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('LearnedSecrets.bytesTextHit', () => {
  const secrets = [randomBytes(48), randomBytes(32), randomBytes(16)];
  const forms = (s: Buffer): string[] => [s.toString('hex'), s.toString('hex').toUpperCase(), base64(s), s.toString('base64url'), s.toString('hex').match(/../g)!.join(':')];

  /** Rows as hexRow sees them: up to 24 carried bytes, then up to 16 of the row. */
  function rows(rand: () => number, n: number): { bytes: Uint8Array; carried: number }[] {
    const out: { bytes: Uint8Array; carried: number }[] = [];
    for (let k = 0; k < n; k++) {
      const carried = Math.floor(rand() * 25);
      const end = carried + 1 + Math.floor(rand() * 16);
      const bytes = new Uint8Array(end);
      for (let i = 0; i < end; i++) bytes[i] = Math.floor(rand() * 256);
      // Most rows carry a piece of a learned value's text, somewhere, in some form.
      if (rand() < 0.8) {
        const s = secrets[Math.floor(rand() * secrets.length)]!;
        const f = forms(s)[Math.floor(rand() * 5)]!;
        const from = Math.floor(rand() * f.length);
        const piece = f.slice(from, from + 6 + Math.floor(rand() * 20));
        const at = Math.floor(rand() * end);
        for (let i = 0; i < piece.length && at + i < end; i++) bytes[at + i] = piece.charCodeAt(i);
      }
      out.push({ bytes, carried });
    }
    return out;
  }

  it.each([
    ['byte secrets only', false],
    ['a learned credential text too (answered from the text)', true],
  ])('answers as textHit does on the text of the bytes: %s', (_name, withLiteral) => {
    const learned = new LearnedSecrets();
    for (const s of secrets) learned.learn(s, 'session-secret');
    if (withLiteral) learned.learnText('hunter2-secret', 'credential');
    const seed = 20261203;
    const rand = prng(seed);
    let hits = 0;
    let misses = 0;
    let fromText = 0;
    for (const { bytes, carried } of rows(rand, 4000)) {
      const expected = learned.textHit(latin1(bytes.subarray(0, carried)), latin1(bytes.subarray(carried)));
      const got = learned.bytesTextHit(bytes, carried, bytes.length);
      if (got === undefined) {
        fromText++;
        continue;
      }
      expect(got, `seed ${seed}, row ${latin1(bytes)}, carried ${carried}`).toBe(expected);
      if (got === null) misses++;
      else hits++;
    }
    // The generated rows exercise both answers (and, with a literal, only the text answers).
    if (withLiteral) expect(fromText).toBe(4000);
    else {
      expect(hits).toBeGreaterThan(500);
      expect(misses).toBeGreaterThan(500);
    }
  });

  it('leaves separated hex that no run hit came before to the text', () => {
    const learned = new LearnedSecrets();
    learned.learn(secrets[0]!, 'session-secret');
    const text = secrets[0]!.subarray(0, 8).toString('hex').match(/../g)!.join(' ');
    const bytes = Buffer.from(text, 'latin1');
    expect(learned.bytesTextHit(bytes, 0, bytes.length)).toBeUndefined();
    expect(learned.textHit('', text)).toBe('session-secret');
  });
});

describe('labels inside a dump of application data, in any case, split anywhere between rows', () => {
  const prefix = 'ssl_msg.c:4195: |4| ';
  const words = ['Master-Key', 'master_secret', 'PRIVATE KEY', 'PassPhrase', 'password', 'PSK', 'Secret'];
  const cases = words.flatMap((w) => [w, w.toLowerCase(), w.toUpperCase()]).flatMap((w) => ['=', ': '].map((sep) => [w, sep] as const));

  it.each(cases)('%s%s VALUE: the value is hidden wherever the rows cut it', (word, sep) => {
    const value = randomBytes(12).toString('base64').replace(/[+/=]/g, 'x');
    for (let cut = 1; cut <= word.length + sep.length + 2; cut++) {
      // The row boundary falls `cut` characters into `word + sep + value`.
      const head = 'x'.repeat((16 - (cut % 16)) % 16);
      const payload = Buffer.from(`${head}${word}${sep}${value}\r\n`, 'latin1');
      // A session secret learned first: the redactor reads other dumps from then on.
      const lines = [
        "ssl_tls.c:7219: |3| dumping 'premaster secret' (32 bytes)",
        ...dumpRows('ssl_tls.c:7219: |3| ', randomBytes(32)),
        `${prefix}dumping 'input record from network' (${payload.length} bytes)`,
        ...dumpRows(prefix, payload),
      ];
      const r = new SecretRedactor();
      const shown = lines.map((l) => r.redact(l).text).join('\n');
      expect(findLeaks(shown, value), `${word}${sep} cut at ${cut}`).toEqual([]);
      expect(shown).toContain(SESSION_SECRET_MARK);
    }
  });
});

describe('the filter in front of the learned windows, as it grows and shrinks', () => {
  const forms = (s: Buffer): string[] => [s.toString('hex'), s.toString('hex').toUpperCase(), base64(s), s.toString('hex').match(/../g)!.join(' ')];

  it('one secret, then 300 (the oldest forgotten past 256): every kept one found in every form, the forgotten ones not', () => {
    const learned = new LearnedSecrets();
    const first = randomBytes(32);
    learned.learn(first, 'session-secret');
    for (const f of forms(first)) expect(learned.find(`x ${f} y`), f).not.toEqual([]);
    expect(learned.bytesHit(first)).toBe('session-secret');

    const all = [first, ...Array.from({ length: 299 }, () => randomBytes(32))];
    for (const s of all.slice(1)) learned.learn(s, 'private-key');
    const kept = all.slice(-256);
    const forgotten = all.slice(0, all.length - 256);
    for (const s of kept) {
      for (const f of forms(s)) expect(learned.find(`x ${f} y`).map((h) => h.kind), f).toEqual(['private-key']);
      expect(learned.bytesHit(s)).toBe('private-key');
    }
    // Random bytes: a forgotten secret shares no 5-byte window with a kept one (2^-40 a pair).
    for (const s of forgotten) {
      for (const f of forms(s)) expect(learned.find(`x ${f} y`), f).toEqual([]);
      expect(learned.bytesHit(s)).toBeNull();
    }
  });
});
