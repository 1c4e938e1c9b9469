/**
 * The render statistics an hsmon run under tmux writes at exit (HSMON_RENDER_STATS=FILE, see
 * src/ui/mount.tsx): `quit` presses the key, then this waits for the file, with a deadline.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RenderStats } from '../../src/ui/mount.tsx';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function statsAfterQuit(quit: () => void, path: string): Promise<RenderStats> {
  quit();
  const t0 = performance.now();
  while (!existsSync(path)) {
    if (performance.now() - t0 > 10_000) throw new Error('no render stats after quitting');
    await sleep(50);
  }
  // Written in one call, but let the writer finish before it is read.
  await sleep(100);
  return JSON.parse(readFileSync(path, 'utf8')) as RenderStats;
}
