/**
 * The board's side of a UART in e2e tests: writes as a real UART would at `baud` (10 bits per
 * byte, in 10 ms slices, each slice due at its own time, so a slow write does not slow the rest).
 * This paces a device; it never waits for hsmon (test/helpers/poll.ts does that).
 */
export async function paced(dev: { write(bytes: Uint8Array): Promise<unknown> }, bytes: Uint8Array, baud = 921600): Promise<void> {
  const perSlice = Math.max(1, Math.round(baud / 10 / 100));
  const t0 = performance.now();
  for (let off = 0, i = 0; off < bytes.length; off += perSlice, i++) {
    await dev.write(bytes.subarray(off, off + perSlice));
    const wait = t0 + (i + 1) * 10 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
