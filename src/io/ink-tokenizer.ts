/**
 * Ink's frame writer imports '@alcalzone/ansi-tokenize'; it should get bin/ink-tokenizer.js
 * (about half of each frame's drawing time: figures there). The build bundles Ink with that
 * redirection (scripts/build.js). The sources of a checkout, and the tests, load Ink from
 * node_modules: there a module resolve hook does it, registered before Ink is first imported.
 * An npm override would not reach an installed hsmon: Ink 6 names its own version.
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
/** Set by bin/hsmon.js: 'build' when the bundle in dist/ runs. */
const CODE = Symbol.for('hsmon.code');

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

/**
 * Before Ink is imported from node_modules. registerHooks (Node 22.15+) runs the hook in this
 * thread; register, on Node 20, routes every later import through a loader thread (importing
 * Ink took 1.16 s instead of 0.63 s): a cost for the sources and the tests only.
 */
export async function useFastInkTokenizer(): Promise<void> {
  const g = globalThis as { [HOOKED]?: true; [CODE]?: string };
  if (g[HOOKED] || g[CODE] === 'build') return;
  g[HOOKED] = true;
  const hook = pathToFileURL(packagePath('bin', 'ink-tokenizer-hook.js')).href;
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  if (registerHooks) registerHooks((await import(hook)) as ResolveHook);
  else nodeModule.register(hook);
}
