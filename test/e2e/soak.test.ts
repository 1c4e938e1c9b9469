/**
 * A 921600-baud flood through a socat pty into the serial source, the recorder and the session:
 * every byte received is recorded, and memory does not grow with the flood. 30 s under CI
 * (CI=true), 5 s otherwise; `npm run bench` runs it longer (SOAK_SECONDS).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { soak } from '../bench/soak.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped test/e2e/soak.test.ts: socat is not installed (apt-get install socat)');
const seconds = process.env['CI'] === 'true' ? 30 : 5;

describe.runIf(hasSocat)('serial soak', () => {
  it(`loses no byte and keeps memory flat over a ${seconds} s flood`, async () => {
    const r = await soak({ seconds });
    expect(r.bytesSent).toBeGreaterThan(seconds * 80_000);
    expect(r.bytesIn).toBe(r.bytesSent);
    expect(r.bytesRecorded).toBe(r.bytesIn);
    // tls12_gcm_debug4_ok.log is 120 802 bytes with one handshake: the flood repeats it.
    expect(r.handshakes).toBeGreaterThanOrEqual(Math.floor(r.bytesIn / 120_802) - 1);
    // Flat: what the first second allocated (JIT, buffers) is the most it ever holds, within slack.
    expect(r.rssEndMb - r.rssStartMb).toBeLessThan(60);
  }, (seconds + 30) * 1000);
});
