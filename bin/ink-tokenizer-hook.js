// A module resolve hook (src/io/ink-tokenizer.ts registers it where Ink is loaded from
// node_modules: a checkout's sources, the tests): Ink's own import of '@alcalzone/ansi-tokenize'
// gets bin/ink-tokenizer.js instead (why: there). Every other import, that file's own included,
// resolves as usual. The same function serves module.registerHooks (Node 22.15+, in the
// importing thread) and module.register (Node 20, on a loader thread).
const TOKENIZER = new URL('./ink-tokenizer.js', import.meta.url).href;

export function resolve(specifier, context, nextResolve) {
  if (specifier === '@alcalzone/ansi-tokenize' && context.parentURL?.includes('/node_modules/ink/build/')) {
    return { url: TOKENIZER, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
