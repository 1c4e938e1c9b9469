/** Measurement files the bench asks for (HSMON_RENDER_STATS=FILE): one JSON line, written at exit. */
import { writeFileSync } from 'node:fs';

export function writeStatsFile(path: string, stats: unknown): void {
  writeFileSync(path, JSON.stringify(stats) + '\n');
}
