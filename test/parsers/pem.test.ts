import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_BLOCK_BASE64, PemParser, type PemEvent } from '../../parsers/pem.ts';
import type { Line, Prefixed } from '../../parsers/events.ts';

const pki = (f: string) => readFileSync(new URL(`../fixtures/pki/${f}`, import.meta.url), 'utf8');
const DEVICE = pki('device.crt');
const SERVER = pki('server.crt');
const bodyOf = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');

function run(lines: string[], body: (text: string) => string = (t) => t): PemEvent[] {
  const p = new PemParser();
  const out: PemEvent[] = [];
  lines.forEach((text, seq) => {
    const line: Line = { seq, t: seq, text };
    const seg: Prefixed = { profile: 'none', body: body(text) };
    out.push(...(p.feed(seg, line) as PemEvent[]));
  });
  out.push(...(p.flush() as PemEvent[]));
  return out;
}

const linesOf = (pem: string) => pem.trim().split('\n');

describe('PemParser', () => {
  it('reads a certificate printed line by line', () => {
    const evs = run(linesOf(DEVICE));
    expect(evs).toHaveLength(1);
    // device.crt has 12 lines (wc -l): BEGIN on 0, END on 11.
    expect(evs[0]).toMatchObject({ kind: 'cert.pem', label: 'CERTIFICATE', complete: true, secret: false, body: bodyOf(DEVICE), startLine: 0, endLine: 11, line: 0 });
  });

  it('reads it through the Infineon callback: trailing space, blank " " lines between', () => {
    const lines = linesOf(DEVICE).flatMap((l) => [`${l} `, ' ']);
    const evs = run(lines);
    expect(evs).toEqual([expect.objectContaining({ complete: true, body: bodyOf(DEVICE), startLine: 0, endLine: 22 })]);
  });

  it.each([
    ['mbedTLS file:line', (l: string) => `ssl_tls.c:123: ${l}`],
    ['cy_log stamp', (l: string) => `[F4] : [L4] : 0001 00:00:01.000 ${l}`],
    ['|N| level', (l: string) => `C:/mtb/library/ssl_tls.c:4528: |3| ${l}`],
  ])('tolerates prefixes left in front of every line (%s)', (_n, prefix) => {
    const evs = run(linesOf(DEVICE).map(prefix));
    expect(evs).toEqual([expect.objectContaining({ complete: true, body: bodyOf(DEVICE) })]);
  });

  it('reads a whole block on one line', () => {
    const one = `cert: -----BEGIN CERTIFICATE-----${bodyOf(DEVICE)}-----END CERTIFICATE-----`;
    expect(run([one])).toEqual([expect.objectContaining({ complete: true, body: bodyOf(DEVICE), startLine: 0, endLine: 0 })]);
  });

  it('skips a few interleaved lines from other tasks', () => {
    const lines = linesOf(DEVICE);
    lines.splice(4, 0, 'Wi-Fi Connecting to \'lab\'');
    expect(run(lines)).toEqual([expect.objectContaining({ complete: true, body: bodyOf(DEVICE) })]);
  });

  it('labels CSR, PUBLIC KEY and private keys; never carries a private key body', () => {
    const evs = run([
      ...linesOf(pki('device.csr')),
      '-----BEGIN PUBLIC KEY-----', 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExwGkUNWNYNs8yUb0D17wJCi+Twh/', 'ZRtxDZasOe3MP1jAjU0aRF0MFMEYjcxFoSXHzFF4LZ3L48EscZetPDVp0A==', '-----END PUBLIC KEY-----',
      '-----BEGIN EC PRIVATE KEY-----', 'MHcCAQEEIBogusBogusBogusBogusBogusBogusBogusBogusBogusoAoGCCqGSM49', '-----END EC PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----', '[redacted by hsmon: private key]', '-----END PRIVATE KEY-----',
    ]);
    expect(evs.map((e) => [e.label, e.complete, e.secret, e.body === ''])).toEqual([
      ['CERTIFICATE REQUEST', true, false, false],
      ['PUBLIC KEY', true, false, false],
      ['EC PRIVATE KEY', true, true, true],
      ['PRIVATE KEY', true, true, true],
    ]);
  });

  describe('bad input becomes an incomplete event, and parsing goes on', () => {
    const after = linesOf(SERVER);
    const serverOk = expect.objectContaining({ label: 'CERTIFICATE', complete: true, body: bodyOf(SERVER) });

    it('truncated: BEGIN, half the body, then another BEGIN', () => {
      const lines = [...linesOf(DEVICE).slice(0, 6), ...after];
      const evs = run(lines);
      expect(evs).toEqual([
        expect.objectContaining({ complete: false, reason: 'truncated', startLine: 0, endLine: 5 }),
        serverOk,
      ]);
      expect(evs[0]?.detail).toMatch(/BEGIN CERTIFICATE on line 6/);
    });

    it('truncated: the input ends inside a block', () => {
      const evs = run([...after, ...linesOf(DEVICE).slice(0, 6)]);
      expect(evs).toEqual([serverOk, expect.objectContaining({ complete: false, reason: 'truncated', startLine: 11 })]);
    });

    it('truncated: the block is followed by a lot of other output and never ends', () => {
      const noise = Array.from({ length: 12 }, (_, i) => `app: tick ${i} ok`);
      const evs = run([...linesOf(DEVICE).slice(0, 6), ...noise, ...after]);
      expect(evs[0]).toMatchObject({ complete: false, reason: 'truncated' });
      expect(evs[1]).toEqual(serverOk);
    });

    it('corrupt: a body line with characters that are not base64', () => {
      const lines = linesOf(DEVICE);
      lines[3] = `${lines[3]!.slice(0, 20)}\uFFFD!${lines[3]!.slice(22)}`;
      const evs = run([...lines, ...after]);
      expect(evs).toEqual([expect.objectContaining({ complete: false, reason: 'corrupt', endLine: 11 }), serverOk]);
      expect(evs[0]?.detail).toMatch(/line 3/);
    });

    it('corrupt: a character lost on the UART (length not a multiple of 4)', () => {
      const lines = linesOf(DEVICE);
      lines[5] = lines[5]!.slice(1);
      const evs = run([...lines, ...after]);
      expect(evs[0]).toMatchObject({ complete: false, reason: 'corrupt' });
      expect(evs[1]).toEqual(serverOk);
    });

    it('too large: 1 MB of base64 is not kept', () => {
      const row = 'QUFB'.repeat(16);
      const big = ['-----BEGIN CERTIFICATE-----', ...Array.from({ length: (1024 * 1024) / 64 }, () => row), '-----END CERTIFICATE-----'];
      const evs = run([...big, ...after]);
      expect(evs).toHaveLength(2);
      expect(evs[0]).toMatchObject({ complete: false, reason: 'too-large', body: '' });
      expect(evs[1]).toEqual(serverOk);
    });

    it('too large: 1 MB of base64 on one line', () => {
      const evs = run(['-----BEGIN CERTIFICATE-----', 'A'.repeat(1024 * 1024), '-----END CERTIFICATE-----', ...after]);
      expect(evs[0]).toMatchObject({ complete: false, reason: 'too-large', body: '' });
      expect(evs[1]).toEqual(serverOk);
    });

    it('label mismatch', () => {
      const lines = linesOf(DEVICE);
      lines[11] = '-----END PUBLIC KEY-----';
      expect(run(lines)[0]).toMatchObject({ complete: false, reason: 'label-mismatch' });
    });

    it('a block at the cap is still complete', () => {
      const body = 'QUFB'.repeat(MAX_BLOCK_BASE64 / 4);
      const evs = run(['-----BEGIN CERTIFICATE-----', body, '-----END CERTIFICATE-----']);
      expect(evs[0]).toMatchObject({ complete: true });
      expect(evs[0]?.body).toHaveLength(MAX_BLOCK_BASE64);
    });
  });

  it('never throws on arbitrary lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', ' ', 'MIIB'))), (lines) => {
        const evs = run(lines);
        for (const e of evs) expect(e.kind).toBe('cert.pem');
      }),
    );
  });
});
