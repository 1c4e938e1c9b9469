/**
 * The recording's redaction on the port reader's thread (src/record/line-redaction.ts) must hide
 * exactly what the session hides: fed the same bytes (in any chunks) and the same line breaks,
 * it gives the same lines, the same partial line and the same counts as the session's onLine,
 * safePartial and redactions. The corpus logs hold session secrets (debug-3/4 dumps, the
 * s_server page's Master-Key and Resumption PSK); the rest is built at test time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineRedaction } from '../../src/record/line-redaction.ts';
import { createSession } from '../../src/session/create-session.ts';
import { ROOT } from '../helpers/cli.ts';
import { dumpRows, ecKeyPem } from '../helpers/secret-transcripts.ts';

function both(patterns: string[] = []) {
  const session = createSession({ source: { type: 'serial', name: '/dev/ttyTEST', baud: 921600, recordingPath: null }, redactPatterns: patterns, diagnosis: null });
  const fromSession: string[] = [];
  session.onLine((text) => fromSession.push(text));
  const fromCopy: string[] = [];
  const copy = new LineRedaction(patterns, (text) => fromCopy.push(text));
  return { session, fromSession, copy, fromCopy };
}

/** Cuts `bytes` into chunks of 1–`max` bytes, the same way every run (a fixed LCG). */
function* chunks(bytes: Uint8Array, max: number): Generator<Uint8Array> {
  let seed = 12345;
  for (let at = 0; at < bytes.length; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (seed % max);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

describe('LineRedaction: the same redaction as the session', () => {
  it.each(['tls12_gcm_debug4_ok.log', 'tls13_mtls_ok.log', 'm228_tls12_mtls_ok.log', 'psa_tls12_opaque_ok.log'])('%s in uneven chunks: the same lines, partials and counts', (name) => {
    const { session, fromSession, copy, fromCopy } = both();
    const bytes = readFileSync(join(ROOT, 'recordings', name));
    let t = 0;
    for (const c of chunks(bytes, 700)) {
      session.feed(c, t++);
      copy.push(c);
      expect(copy.partial()).toBe(session.safePartial());
    }
    expect(fromCopy).toEqual(fromSession);
    expect(copy.counts()).toEqual(session.redactions());
    // The logs do print secrets: the comparison is not of two empty redactions.
    expect(Object.values(copy.counts()).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('a key, a secret dump cut by other lines, credentials and a user pattern, with a disconnect in the middle of a line', () => {
    const key = ecKeyPem('EC PRIVATE KEY');
    const secret = new Uint8Array(48).map((_, i) => (i * 37 + 11) & 0xff);
    // As mbedtls_debug_print_buf prints it: the header and its rows share file:line and level.
    const rows = dumpRows('ssl_tls.c:8777: |3| ', secret);
    const text = [
      'boot ok',
      key.pem[0], 'I (40) other task', ...key.pem.slice(1),
      "ssl_tls.c:8777: |3| dumping 'master secret' (48 bytes)", rows[0], 'W (50) interleaved', ...rows.slice(1),
      'wifi_password=hunter2-lab', 'mqtt: connecting to mqtts://dev:s3cr3t@broker.local',
      'SITE-TOKEN 9f8e7d6c', 'half a line before the cable went',
    ].join('\r\n');
    const { session, fromSession, copy, fromCopy } = both(['SITE-TOKEN \\w+']);
    const bytes = Buffer.from(text, 'latin1');
    let t = 0;
    for (const c of chunks(bytes, 40)) {
      session.feed(c, t++);
      copy.push(c);
    }
    // The port vanishes: the session ends the partial line on `reconnecting`, the copy on the marker.
    session.setStatus({ state: 'reconnecting', detail: 'gone' });
    copy.breakLine();
    for (const c of chunks(Buffer.from('after the reconnect\r\n'), 7)) {
      session.feed(c, t++);
      copy.push(c);
    }
    expect(fromCopy).toEqual(fromSession);
    expect(fromCopy.at(-2)).toBe('half a line before the cable went');
    expect(copy.counts()).toEqual(session.redactions());
    // session-secret: the dump's header and its three rows (48 bytes); credential: the three lines.
    expect(copy.counts()).toMatchObject({ 'private-key': expect.any(Number), 'session-secret': 4, credential: 3 });
    const shown = fromCopy.join('\n');
    expect(shown).not.toMatch(/hunter2|s3cr3t|9f8e7d6c/);
    expect(shown.replace(/ /g, '')).not.toContain(Buffer.from(secret.subarray(0, 16)).toString('hex'));
  });
});
