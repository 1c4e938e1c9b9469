import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BaudGuard, garbageScore } from '../../parsers/baud-guard.ts';

const log = readFileSync(new URL('../../recordings/tls12_no_shared_cipher.log', import.meta.url));

/** What 115200-baud text looks like when read at 9600: deterministic pseudo-random noise. */
function noise(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16 & 0xff;
  }
  return out;
}

describe('garbageScore', () => {
  it('scores a real mbedTLS log as clean', () => {
    expect(garbageScore(log)).toBe(0);
  });

  it('scores UTF-8 text, tabs and ANSI colours as clean', () => {
    expect(garbageScore(new TextEncoder().encode('\x1b[32mgrün\tok\r\n€ 😀\x1b[0m'))).toBe(0);
  });

  it('scores 0x00/0xFF runs and lone continuation bytes as bad', () => {
    expect(garbageScore(new Uint8Array([0x00, 0xff, 0x80, 0x41]))).toBe(0.75);
  });

  it('scores random bytes high', () => {
    expect(garbageScore(noise(4096))).toBeGreaterThan(0.4);
  });

  it('is 0 for nothing', () => {
    expect(garbageScore(new Uint8Array(0))).toBe(0);
  });
});

describe('BaudGuard', () => {
  it('stays quiet on a real log fed in small chunks, multi-byte characters split across them', () => {
    const g = new BaudGuard();
    const text = new TextEncoder().encode('Grüße aus dem Labor – ✓\r\n'.repeat(200));
    for (let i = 0; i < text.length; i += 7) expect(g.feed(text.subarray(i, i + 7))).toBe(false);
    expect(g.score).toBe(0);
  });

  it('does not fire on a few bytes of reset noise', () => {
    const g = new BaudGuard();
    expect(g.feed(new Uint8Array([0x00, 0xff, 0xfe, 0x80]))).toBe(false);
    expect(g.feed(log.subarray(0, 2000))).toBe(false);
  });

  it('fires on sustained garbage and recovers once the text is clean again', () => {
    const g = new BaudGuard({ window: 512 });
    expect(g.feed(noise(600))).toBe(true);
    expect(g.suspect).toBe(true);
    g.feed(log.subarray(0, 600));
    expect(g.suspect).toBe(false);
  });

  it('reset() forgets the window', () => {
    const g = new BaudGuard();
    g.feed(noise(2000));
    g.reset();
    expect(g.score).toBe(0);
    expect(g.suspect).toBe(false);
  });
});
