/**
 * Gives Ink the faster tokenizer of bin/ink-tokenizer.js (about half of each frame's drawing
 * time; figures there and in the commit), through a module resolve hook: Ink 6 names its own
 * version, and an npm override would not reach an installed hsmon. Called before Ink is first
 * imported; Ink loaded before that keeps its own, which draws the same, only slower.
 */
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { packagePath } from './package-path.ts';

interface ResolveHook {
  resolve: (specifier: string, context: { parentURL?: string }, next: (s: string, c: object) => unknown) => unknown;
}
type RegisterHooks = (hooks: ResolveHook) => unknown;

const DONE = Symbol.for('hsmon.inkTokenizer.hooked');
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

export async function useFastInkTokenizer(): Promise<void> {
  const g = globalThis as { [DONE]?: true };
  if (g[DONE]) return;
  g[DONE] = true;
  const hook = pathToFileURL(packagePath('bin', 'ink-tokenizer-hook.js')).href;
  // registerHooks (Node 22.15+) runs in this thread; register, on Node 20, starts a loader
  // thread and is deprecated where registerHooks exists (DEP0205).
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  if (registerHooks) registerHooks((await import(hook)) as ResolveHook);
  else nodeModule.register(hook);
}
