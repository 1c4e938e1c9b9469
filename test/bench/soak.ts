/**
 * Soak: a 921600-baud flood through a socat pty pair into a serial source and the recorder,
 * for N seconds, through the whole pipeline (recorder and session: parsers, machines, store).
 * Checks that every byte received is recorded and that memory stays flat.
 * Called by `npm run bench` (test/bench/run.ts); also runs alone:
 *   npx tsx test/bench/soak.ts 30
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPtyPair } from '../../src/io/pty.ts';
import { openSerialSource } from '../../src/io/serial.ts';
import { CastWriter } from '../../src/record/cast-writer.ts';
import { readCast } from '../../src/record/cast-reader.ts';
import { createSession } from '../../src/session/create-session.ts';

export interface SoakResult {
  seconds: number;
  bytesSent: number;
  bytesIn: number;
  bytesRecorded: number;
  rssStartMb: number;
  rssEndMb: number;
  rssPeakMb: number;
  /** Handshakes the session saw in the flood (one per transcript copy). */
  handshakes: number;
}

const mb = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;

export async function soak({ seconds = 30, baud = 921600 }: { seconds?: number; baud?: number } = {}): Promise<SoakResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-soak-'));
  const pair = await createPtyPair();
  const transcript = readFileSync(new URL('../../recordings/tls12_gcm_debug4_ok.log', import.meta.url));
  const device = await openSerialSource({ path: pair.a, baud, reconnect: false });
  await device.start({ data: () => undefined, status: () => undefined });
  const castPath = join(dir, 'soak.cast');
  const writer = new CastWriter(castPath, { source: pair.b, baud });
  let bytesIn = 0;
  const t0 = performance.now();
  const session = createSession({ source: { type: 'serial', name: pair.b, baud } });
  const monitor = await openSerialSource({ path: pair.b, baud, reconnect: false });
  await monitor.start({
    data: (chunk) => {
      bytesIn += chunk.length;
      writer.rx(chunk);
      session.feed(chunk, performance.now() - t0);
    },
    status: () => undefined,
  });

  const perSlice = Math.round(baud / 10 / 100); // bytes per 10 ms of line time
  let off = 0;
  let bytesSent = 0;
  let peak = 0;
  let rssStart = 0;
  let lastSample = t0;
  for (let i = 0; performance.now() - t0 < seconds * 1000; i++) {
    const slice = Buffer.alloc(perSlice);
    for (let k = 0; k < perSlice; k++) {
      slice[k] = transcript[off]!;
      off = (off + 1) % transcript.length;
    }
    await device.write(slice);
    bytesSent += slice.length;
    const now = performance.now();
    if (now - lastSample >= 1000) {
      lastSample = now;
      const rss = process.memoryUsage().rss;
      // The first second warms up the JIT and buffers; "flat" is measured from there.
      if (rssStart === 0) rssStart = rss;
      peak = Math.max(peak, rss);
    }
    const wait = t0 + (i + 1) * 10 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const drainEnd = Date.now() + 5000;
  while (bytesIn < bytesSent && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 20));
  const rssEnd = process.memoryUsage().rss;
  peak = Math.max(peak, rssEnd);
  await monitor.close();
  await device.close();
  await pair.close();
  writer.close();
  session.end();
  const handshakes = session.getSnapshot().handshakes.length;

  let bytesRecorded = 0;
  for await (const ev of readCast(castPath)) if (ev.type === 'o') bytesRecorded += ev.bytes.length;
  rmSync(dir, { recursive: true, force: true });
  return { seconds, bytesSent, bytesIn, bytesRecorded, rssStartMb: mb(rssStart || rssEnd), rssEndMb: mb(rssEnd), rssPeakMb: mb(peak), handshakes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.argv[2] ?? 30);
  const r = await soak({ seconds });
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(r.bytesIn === r.bytesRecorded && r.bytesIn === r.bytesSent ? 0 : 1);
}
