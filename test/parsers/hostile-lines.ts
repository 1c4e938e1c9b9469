// Run by linear-time.test.ts in a child process (`node scripts/run-ts.js test/parsers/hostile-lines.ts`):
// a super-linear regex blocks the thread it runs on, so only a parent can notice that a line never
// returned and stop it. Prints one JSON line with what was fed; exits 1 on a property failure.
import fc from 'fast-check';
import type { Line } from '../../parsers/events.ts';
import { ParseStage, BatchSink } from '../../src/session/parse-stage.ts';
import { createParsers } from '../../src/session/parsers.ts';
import { parseKeyline } from '../../parsers/keyline.ts';
import { SecretRedactor } from '../../parsers/secrets.ts';

const CAP = 64 * 1024;
const PUNCT = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const BLANKS = [' ', '\t'];
/** Heads that send a line to each family's slow path (mbedTLS prefix, PSA, PEM, MQTT, app, key lines). */
export const HEADS = [
  '',
  'ssl_tls.c:4528: |2| ',
  'C:/mbedtls/library/ssl_msg.c:0123: |4| ',
  'ssl_tls.c:4528: 0x20001234: |3| ',
  'psa_gene',
  'psa_generate_key() ',
  'PSA_ERROR_',
  'hsmon: key ',
  'hsmon: key id=',
  'hsmon: time ',
  'Key ID: 0x1 type',
  'public key: ',
  'Perform PSA-based ',
  'client hello, current time: ',
  '-----BEGIN CERTIFICATE-----',
  "'",
  "'id' connecting to MQTT broker '",
  'MQTT connection failed with error code 0x',
  '*****',
  'Wi-Fi ',
  '    : ',
  'issuer name       : ',
  "dumping '",
  'alloc(',
  'msglen ',
];

const line = (text: string): Line => ({ seq: 0, t: 0, text });

/** Feeds `text` through the whole parse stage (framer, redactor, profiles, every family) and to every family alone. */
function feedEverywhere(text: string): void {
  const stage = new ParseStage({}, new BatchSink());
  stage.push(new TextEncoder().encode(`${text}\n`), 0);
  stage.flush(1);
  // Each family on the bare line too: a profile may strip the head that steers a family.
  for (const p of createParsers({})) {
    p.feed({ profile: 'none', body: text }, line(text));
    p.flush?.();
  }
  parseKeyline(text);
}

const fill = (head: string, unit: string, total: number): string => head + unit.repeat(Math.max(1, Math.floor((total - head.length) / unit.length)));

let sweep = 0;
for (const head of HEADS) {
  for (const c of [...PUNCT, ...BLANKS]) {
    feedEverywhere(fill(head, c, CAP));
    sweep++;
  }
}

// Runs of two-character units (` |`, `a=`, `'x`: what quadratic patterns need), any length up to the cap.
let property = 0;
const unitChar = fc.constantFrom(...PUNCT, ...BLANKS, 'a', 'Z', '0', 'x', '\u00a0');
fc.assert(
  fc.property(
    fc.constantFrom(...HEADS),
    fc.tuple(unitChar, unitChar).map(([a, b]) => a + b),
    fc.integer({ min: 1, max: CAP }),
    fc.constantFrom('', '!', ' x', '\u0000', ')', "'...", ' -> -1'),
    (head, unit, total, tail) => {
      feedEverywhere(fill(head, unit, total) + tail);
      property++;
    },
  ),
  { numRuns: Number(process.env.HOSTILE_RUNS ?? 150) },
);

// The reproduction of issue 15: a board reset in the middle of `psa_generate_key…` runs the
// half line into its boot banner (clear screen, home, a row of `=`).
const sink = new BatchSink();
const stage = new ParseStage({}, sink);
stage.push(new TextEncoder().encode(`psa_gene\x1b[2J\x1b[;H${'='.repeat(60)}\npsa_generate_key() = -134\n`), 0);
stage.flush(1);
const psaCalls = sink.items.filter((e) => e.kind === 'psa.call');

// Once a secret is learned, every line is searched for it in every form: 64 KiB lines of hex
// (separated, continuous), base64 and dump rows, with and without the secret, must return too
// (the separated-hex search was quadratic in a run's length before round 4).
const redactor = new SecretRedactor();
const secret = Array.from({ length: 48 }, (_, i) => ((i * 37 + 11) & 0xff).toString(16).padStart(2, '0')).join('');
redactor.redact(`ssl_tls.c:1: |3| dumping 'master secret' (48 bytes)`);
for (let off = 0; off < 48; off += 16) redactor.redact(`ssl_tls.c:1: |3| 00${off.toString(16).padStart(2, '0')}:  ${secret.slice(off * 2, off * 2 + 32).replace(/(..)(?!$)/g, '$1 ')}`);
const noise = Array.from({ length: CAP / 3 }, (_, i) => ((i * 131 + 7) & 0xff).toString(16).padStart(2, '0'));
let learnedRedacted = 0;
for (const text of [
  noise.join(':'),
  noise.join(', 0x'),
  noise.join(''),
  Buffer.from(noise.join(''), 'hex').toString('base64'),
  `${noise.slice(0, 5000).join(' ')} ${secret.replace(/(..)(?!$)/g, '$1 ')}`,
  `${'ab'.repeat(CAP / 2 - 100)}${secret}`,
]) {
  if (redactor.redact(text.slice(0, CAP)).secret) learnedRedacted++;
}

process.stdout.write(`${JSON.stringify({ sweep, property, psaCalls, learnedRedacted })}\n`);
