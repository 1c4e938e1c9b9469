/**
 * This process's peak resident memory, in KiB, for HSMON_STATS (`npm run bench`).
 * getrusage's maxRSS (process.resourceUsage) is kept across exec: a child started by a parent
 * that holds 300 MB reports 300 MB even if it never used them (the bench builds its 256 MB log
 * in memory just before it starts hsmon). Linux's VmHWM belongs to this program alone.
 */
import { readFileSync } from 'node:fs';

export function peakRssKb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // Not Linux: the rusage figure, which is right when the parent is small.
  }
  return process.resourceUsage().maxRSS;
}
