/**
 * The parse worker of a file replay reads ahead only MAX_IN_FLIGHT batches beyond what the main
 * thread acknowledged: when the main thread falls behind (a busy machine), memory stays bounded
 * instead of growing with the file. The real worker (bin/parse-worker.js) on a 19 MB log.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_IN_FLIGHT, type ParseWorkerMessage, type ParseWorkerStart } from '../../src/cli/parse-worker.ts';
import { ROOT } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Batches are one per 256 KiB block: this file has MAX_IN_FLIGHT + 10 of them and more. */
function bigLog(): { path: string; lines: number } {
  const unit = readFileSync(join(ROOT, 'recordings/tls12_gcm_debug4_ok.log'));
  const copies = Math.ceil(((MAX_IN_FLIGHT + 10) * 256 * 1024) / unit.length);
  const path = join(dir, 'big.log');
  writeFileSync(path, Buffer.concat(Array.from({ length: copies }, () => unit)));
  // The unit ends in a newline: its line count times the copies (`wc -l`).
  const unitLines = unit.toString('latin1').split('\n').length - 1;
  return { path, lines: unitLines * copies };
}

describe('parse worker read-ahead', () => {
  it('stops after MAX_IN_FLIGHT unacknowledged batches, goes on as they are acknowledged, and ends', async () => {
    const { path, lines } = bigLog();
    const worker = new Worker(join(ROOT, 'bin/parse-worker.js'), { stdout: false, stderr: false });
    const batches: Extract<ParseWorkerMessage, { type: 'batch' }>[] = [];
    let ended = false;
    worker.on('message', (m: ParseWorkerMessage) => {
      if (m.type === 'batch') batches.push(m);
      else if (m.type === 'end') ended = true;
      else if (m.type === 'error') throw new Error(m.message);
    });
    try {
      worker.postMessage({ type: 'start', path, stage: { redact: true } } satisfies ParseWorkerStart);
      await poll(`${MAX_IN_FLIGHT} batches`, () => batches.length >= MAX_IN_FLIGHT, { timeoutMs: 20_000 });
      // Nothing acknowledged: it must wait there, however long.
      await new Promise((r) => setTimeout(r, 400));
      expect(batches.length).toBe(MAX_IN_FLIGHT);
      expect(ended).toBe(false);

      for (let i = 0; i < 5; i++) worker.postMessage({ type: 'ack' });
      await poll('5 more batches', () => batches.length >= MAX_IN_FLIGHT + 5, { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 400));
      expect(batches.length).toBe(MAX_IN_FLIGHT + 5);

      // Acknowledge everything from here on, as the main thread does after each ingest.
      let acked = 5;
      await poll('the end of the file', () => {
        for (; acked < batches.length; acked++) worker.postMessage({ type: 'ack' });
        return ended;
      }, { timeoutMs: 20_000 });
      expect(batches.at(-1)!.batch.lines).toBe(lines);
      expect(batches.length).toBeGreaterThan(MAX_IN_FLIGHT + 5);
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
