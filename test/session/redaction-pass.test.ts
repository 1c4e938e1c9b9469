/**
 * Redaction on a thread of its own (src/session/redaction-pass.ts): a parse stage fed each
 * line's redaction from a RedactionPass makes exactly what a parse stage that redacts makes —
 * the same events, secrets and shown lines — however the blocks and their pieces are cut.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Line } from '../../parsers/events.ts';
import { ParseStage, type ParseSink, type ParsedItem } from '../../src/session/parse-stage.ts';
import { RedactionFeed, RedactionPass } from '../../src/session/redaction-pass.ts';
import { dumpRows, ecKeyPem } from '../helpers/secret-transcripts.ts';
import { randomBytes } from 'node:crypto';

const root = resolve(import.meta.dirname, '../..');

interface Made {
  items: ParsedItem[];
  lines: { seq: number; text: string; parsed: boolean }[];
}

function collector(): ParseSink & { made: Made } {
  const made: Made = { items: [], lines: [] };
  return {
    made,
    secret: (secret, line: Line) => made.items.push({ kind: 'secret.redacted', t: line.t, line: line.seq, secret }),
    event: (e) => made.items.push(e),
    line: (line, text, parsed) => made.lines.push({ seq: line.seq, text, parsed }),
  };
}

function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += size) out.push(bytes.subarray(o, Math.min(bytes.length, o + size)));
  return out;
}

/** One stage that redacts, as a session in process has. */
function redactingHere(bytes: Uint8Array, chunk: number): Made {
  const sink = collector();
  const stage = new ParseStage({}, sink);
  for (const c of cut(bytes, chunk)) stage.push(c, 0);
  stage.flush(0);
  return sink.made;
}

/**
 * The pipeline, as the two workers run it: the pass reads `block`-byte blocks and hands each on
 * with its Redactions, as a message would carry them (structuredClone); the stage parses each
 * block in `chunk`-byte pieces, as the parsing worker does (64 KiB in 256 KiB blocks).
 */
function pipelined(bytes: Uint8Array, block: number, chunk: number): Made {
  const pass = new RedactionPass();
  const feed = new RedactionFeed();
  const sink = collector();
  const stage = new ParseStage({ redactions: feed }, sink);
  for (const b of cut(bytes, block)) {
    pass.push(b);
    feed.add(structuredClone(pass.take()));
    for (const c of cut(b, chunk)) stage.push(c, 0);
  }
  pass.flush();
  feed.add(structuredClone(pass.take()));
  stage.flush(0);
  return sink.made;
}

/** A transcript with every kind of secret the redactor knows, and their echoes later. */
function secretTranscript(): Uint8Array {
  const master = randomBytes(48);
  const key = ecKeyPem();
  const lines = [
    'boot: wifi ssid=lab password=hunter2hunter2',
    ...key.pem,
    "ssl_tls.c:6143: |3| dumping 'master secret' (48 bytes)",
    ...dumpRows('ssl_tls.c:6143: |3| ', master),
    "ssl_msg.c:1234: |4| dumping 'input record from network' (64 bytes)",
    ...dumpRows('ssl_msg.c:1234: |4| ', Buffer.concat([randomBytes(8), master.subarray(0, 24), randomBytes(32)])),
    `app: echo ${master.toString('hex')}`,
    `app: again ${key.scalar.toString('base64')}`,
    'psa_export_key() = 0',
    `Exported private key: ${randomBytes(32).toString('hex')}`,
    'mqtt: connect with password hunter2hunter2',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\ntrailing line without an end`);
}

describe('redaction on a thread of its own', () => {
  const recordings = readdirSync(join(root, 'recordings')).filter((f) => f.endsWith('.log'));

  it.each(recordings)('%s: the same events, secrets and shown lines as redacting in the stage', (name) => {
    const bytes = readFileSync(join(root, 'recordings', name));
    const here = redactingHere(bytes, 65536);
    for (const [a, b] of [[262144, 65536], [65536, 65536], [65536, 997], [4096, 61]] as const) {
      expect(pipelined(bytes, a, b)).toEqual(here);
    }
  });

  it('hides every kind of secret, its echoes too, as the stage itself does', () => {
    const bytes = secretTranscript();
    const here = redactingHere(bytes, 65536);
    // The transcript holds secrets of all three kinds: the comparison is not of empty lists.
    const kinds = new Set(here.items.filter((i) => i.kind === 'secret.redacted').map((i) => (i as { secret: string }).secret));
    expect([...kinds].sort()).toEqual(['credential', 'private-key', 'session-secret']);
    expect(here.lines.filter((l) => l.text.includes('redacted by hsmon')).length).toBeGreaterThan(8);
    for (const [a, b] of [[65536, 65536], [13, 7], [300, 1]] as const) expect(pipelined(bytes, a, b)).toEqual(here);
  });

  it("a debug-4 log's secret dump is shown redacted", () => {
    // The 'Handshake secret' dump: grep -n 'Handshake secret' recordings/tls13_gcm_debug4_ok.log
    // → line 250, its hex rows follow (the first one holds `ad a5 cc 70`).
    const bytes = readFileSync(join(root, 'recordings/tls13_gcm_debug4_ok.log'));
    const row = pipelined(bytes, 262144, 65536).lines.find((l) => l.seq === 250)!;
    expect(row.text).toContain('redacted by hsmon');
    expect(row.text).not.toContain('ad a5 cc 70');
    expect(bytes.toString('latin1').split('\n')[250]).toContain('ad a5 cc 70');
  });

  it('refuses a line the pass has not read yet, instead of showing it unredacted', () => {
    const feed = new RedactionFeed();
    feed.add({ lines: 2, seqs: [], kinds: [], texts: [] });
    expect(feed.redact('a', 0).secret).toBeNull();
    expect(feed.redact('b', 1).secret).toBeNull();
    expect(() => feed.redact('c', 2)).toThrow(/line 3 was parsed before it was redacted/);
  });
});
