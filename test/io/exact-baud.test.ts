import { describe, expect, it } from 'vitest';
import { noFlushOpenRate } from '../../src/io/exact-baud.ts';

describe('noFlushOpenRate', () => {
  it('moves a rate of bindings-cpp\'s table off it on Linux, so its open takes the termios2 path (no tcflush)', () => {
    expect(noFlushOpenRate(921600, 'linux')).toBe(921601);
    expect(noFlushOpenRate(115200, 'linux')).toBe(115201);
  });
  it('opens a rate outside the table as it is', () => {
    expect(noFlushOpenRate(74880, 'linux')).toBe(74880);
  });
  it('leaves other platforms alone: macOS flushes on its custom-rate path as well', () => {
    expect(noFlushOpenRate(921600, 'darwin')).toBeNull();
    expect(noFlushOpenRate(921600, 'win32')).toBeNull();
  });
});
