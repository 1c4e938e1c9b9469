import { describe, expect, it } from 'vitest';
import { encodeLine, rawKeyBytes } from '../../src/commands/line-input.ts';
import { unescapeBytes } from '../../src/commands/escape.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('encodeLine', () => {
  it('appends the line ending', () => {
    expect(hex(encodeLine('ls', '\r\n'))).toBe('6c730d0a');
    expect(hex(encodeLine('ä', new Uint8Array([0x0a])))).toBe('c3a40a');
    expect(hex(encodeLine(''))).toBe('0d0a');
  });
});

describe('rawKeyBytes', () => {
  it.each([
    ['c', { ctrl: true }, '03'],
    ['t', { ctrl: true }, '14'],
    ['[', { ctrl: true }, '1b'],
    ['', { return: true }, '0d'],
    ['', { escape: true }, '1b'],
    ['', { backspace: true }, '7f'],
    ['', { upArrow: true }, '1b5b41'],
    ['', { leftArrow: true }, '1b5b44'],
    ['', { delete: true }, '1b5b337e'],
    ['x', { meta: true }, '1b78'],
    ['é', {}, 'c3a9'],
  ])('%j %j → %s', (input, key, expected) => {
    expect(hex(rawKeyBytes(input, key))).toBe(expected);
  });
});

describe('unescapeBytes', () => {
  it('decodes \\r \\n \\t \\0 \\e \\\\ and \\xNN', () => {
    expect(hex(unescapeBytes('regen\\r\\n'))).toBe('726567656e0d0a');
    expect(hex(unescapeBytes('\\x00\\xFF\\t\\e\\\\\\0'))).toBe('00ff091b5c00');
  });
  it('passes through characters JSON already decoded', () => {
    expect(hex(unescapeBytes('a\r\nü'))).toBe('610d0ac3bc');
  });
  it.each([['\\q', /unknown escape "\\q"/], ['\\x4', /two hex digits/], ['x\\', /lone backslash/]])('rejects %j', (t, m) => {
    expect(() => unescapeBytes(t)).toThrow(m);
  });
});
