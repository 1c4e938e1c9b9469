/**
 * Gives Ink the faster tokenizer of bin/ink-tokenizer.js (about half of each frame's drawing
 * time; figures there and in the commit), through a module resolve hook: Ink 6 names its own
 * version, and an npm override would not reach an installed hsmon. Called before Ink is first
 * imported; Ink loaded before that keeps its own, which draws the same, only slower.
 *
 * Only where Node has registerHooks (22.15 and later), which runs the hook in this thread. Node
 * 20 has only register(), which routes every later import through a loader thread: Ink's
 * import took 1.16 s instead of 0.63 s with it (measured on the 2-core VM), more than it saves.
 */
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { packagePath } from './package-path.ts';

interface ResolveHook {
  resolve: (specifier: string, context: { parentURL?: string }, next: (s: string, c: object) => unknown) => unknown;
}
type RegisterHooks = (hooks: ResolveHook) => unknown;

const HOOKED = Symbol.for('hsmon.inkTokenizer.hooked');
const LINES = Symbol.for('hsmon.inkTokenizer.lines');

export interface InkTokenizerCounts {
  /** Lines Ink wrote that were tokenized… */
  tokenized: number;
  /** …and those that an earlier frame had tokenized already. */
  reused: number;
}

/** What Ink's writes cost in this process so far; null while Ink has not drawn through it. */
export function inkTokenizerCounts(): InkTokenizerCounts | null {
  const c = (globalThis as { [LINES]?: InkTokenizerCounts })[LINES];
  return c ? { ...c } : null;
}

/** Whether this Node can give Ink the tokenizer (it has module.registerHooks). */
export const canHookInk = typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function';

/** True when Ink, imported after this, draws through bin/ink-tokenizer.js. */
export async function useFastInkTokenizer(): Promise<boolean> {
  const g = globalThis as { [HOOKED]?: true };
  if (g[HOOKED]) return true;
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  if (!registerHooks) return false;
  registerHooks((await import(pathToFileURL(packagePath('bin', 'ink-tokenizer-hook.js')).href)) as ResolveHook);
  g[HOOKED] = true;
  return true;
}
