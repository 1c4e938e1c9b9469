import { useFastInkTokenizer } from '../src/io/ink-tokenizer.ts';

// Catch-alls in the parsers and the diagnosis rules rethrow: a handler or rule that throws fails
// the test that feeds it instead of passing as "understood nothing" (src/session/parsers.ts).
process.env['HSMON_STRICT'] = '1';
// Deterministic terminal for every test: colour decisions must not depend on the CI machine.
delete process.env['NO_COLOR'];
process.env['FORCE_COLOR'] = '0';
// Ink draws through the tokenizer the build bundles with it (src/io/ink-tokenizer.ts), so the UI
// tests see the frames users see. Before any test file imports Ink.
await useFastInkTokenizer();
