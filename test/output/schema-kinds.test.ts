/**
 * `hsmon schema` describes exactly the NDJSON union: every `kind` of NdjsonLine
 * (src/contracts/events.ts) has a schema in src/output/schema.ts and every schema a kind, with
 * the same required fields. The union is read with the TypeScript compiler, so a kind added to
 * a parser's event type shows up here by name without anyone listing it twice.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LINE_SCHEMAS } from '../../src/output/schema.ts';
import { ROOT } from '../helpers/cli.ts';

const EVENTS = join(ROOT, 'src/contracts/events.ts');
/** Fields every line has, checked by the schema's common part. */
const COMMON = new Set(['kind', 't', 'line', 'ctx']);

/** kind → the fields that type requires (besides the common ones), from the compiler. */
function unionKinds(): Map<string, string[]> {
  const program = ts.createProgram([EVENTS], {
    strict: true, noEmit: true, allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(EVENTS);
  const symbol = file && checker.getSymbolAtLocation(file)?.exports?.get(ts.escapeLeadingUnderscores('NdjsonLine'));
  if (!symbol) throw new Error(`no exported type NdjsonLine in ${EVENTS}`);
  const union = checker.getDeclaredTypeOfSymbol(symbol);
  const out = new Map<string, string[]>();
  for (const member of union.isUnion() ? union.types : [union]) {
    const kindSymbol = member.getProperty('kind');
    if (!kindSymbol) throw new Error(`a member of NdjsonLine has no kind: ${checker.typeToString(member)}`);
    const kindType = checker.getTypeOfSymbol(kindSymbol);
    const required = checker.getPropertiesOfType(member)
      .filter((p) => (p.flags & ts.SymbolFlags.Optional) === 0 && !COMMON.has(p.name))
      .map((p) => p.name)
      .sort();
    for (const k of kindType.isUnion() ? kindType.types : [kindType]) {
      if (!k.isStringLiteral()) throw new Error(`a kind of NdjsonLine is not a string literal: ${checker.typeToString(k)}`);
      out.set(k.value, required);
    }
  }
  return out;
}

describe('hsmon schema against the NdjsonLine union', () => {
  it('has one schema per kind of the union and no other, with the same required fields', () => {
    const types = unionKinds();
    const schemas = new Map<string, string[]>();
    for (const s of LINE_SCHEMAS) {
      const kind = s.properties.kind.const;
      if (schemas.has(kind)) throw new Error(`src/output/schema.ts describes '${kind}' twice`);
      schemas.set(kind, s.required.filter((f) => !COMMON.has(f)).sort());
    }
    const problems: string[] = [];
    for (const kind of types.keys()) {
      if (!schemas.has(kind)) problems.push(`'${kind}' is in the NdjsonLine union (src/contracts/events.ts) but has no schema in src/output/schema.ts`);
    }
    for (const kind of schemas.keys()) {
      if (!types.has(kind)) problems.push(`'${kind}' has a schema in src/output/schema.ts but no type in the NdjsonLine union (src/contracts/events.ts)`);
    }
    for (const [kind, required] of types) {
      const inSchema = schemas.get(kind);
      if (inSchema && inSchema.join() !== required.join()) {
        problems.push(`'${kind}': the type requires [${required.join(', ')}], the schema [${inSchema.join(', ')}]`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    // Sanity: the compiler saw the families, not an empty or `any` union.
    expect(types.size).toBeGreaterThan(50);
    expect([...types.keys()]).toEqual(expect.arrayContaining(['summary', 'tls.state', 'psa.call', 'mqtt.message', 'wifi.ip', 'broker.status', 'finding']));
  }, 60_000);
});
