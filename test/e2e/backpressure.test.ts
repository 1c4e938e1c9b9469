/**
 * `hsmon replay FILE --json | slow-reader`: hsmon stops reading its input while nobody reads its
 * output, instead of holding all of it in memory (a paused `| jq`, `| less`). Seen from outside
 * through /proc/PID/io (bytes the process read), then the whole output once the reader goes on.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HSMON, ROOT } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-pressure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;
const procIo = existsSync('/proc/self/io');

describe.skipIf(!procIo)('replay --json and a slow reader', () => {
  if (!procIo) process.stderr.write('backpressure test skipped: no /proc/PID/io on this system\n');

  it('reads no further than its read-ahead while stdout is not read, then finishes', async () => {
    const unit = readFileSync(join(ROOT, 'recordings/tls12_gcm_debug4_ok.log'));
    const copies = Math.ceil((48 * MB) / unit.length);
    const path = join(dir, 'big.log');
    writeFileSync(path, Buffer.concat(Array.from({ length: copies }, () => unit)));

    const child = spawn(process.execPath, [HSMON, 'replay', path, '--json', '--speed', 'max'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const readBytes = (): number => Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))?.[1] ?? NaN);
    try {
      // Let it run into the full pipe, then check that it stays there.
      let before = -1;
      const now = await poll('hsmon to stop reading (two reads of /proc/PID/io 250 ms apart equal)', () => {
        const n = readBytes();
        const still = n === before;
        before = n;
        return still ? n : null;
      }, { timeoutMs: 10_000, intervalMs: 250, last: () => `rchar ${before}` });
      // 8 MB of read-ahead (MAX_IN_FLIGHT batches) and what the pipe took: far from 48 MB.
      expect(now).toBeLessThan(24 * MB);

      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stdout.resume();
      expect(await exited).toBe(0);
      const last = JSON.parse(out.trimEnd().split('\n').at(-1)!) as { kind: string; lines: number; handshakes: unknown[] };
      expect(last.kind).toBe('summary');
      expect(last.lines).toBe(copies * (unit.toString('latin1').split('\n').length - 1));
      expect(last.handshakes).toHaveLength(copies);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
