/** `hsmon findings [--json]` and `hsmon explain CODE [--json]`: the finding catalog. */
import { ALIASES, CATALOG, catalogEntry, similarCodes, type CatalogEntry } from '../diagnosis/catalog.ts';
import { UsageError } from './errors.ts';

function text(e: CatalogEntry): string {
  const aliases = Object.entries(ALIASES).filter(([, to]) => to === e.code).map(([from]) => from);
  return [
    `${e.code} (${e.severity}, ${e.family}): ${e.title}`,
    `  Meaning:  ${e.meaning}`,
    `  Evidence: ${e.evidence}`,
    `  Fix:      ${e.fix}`,
    ...(aliases.length ? [`  Also:     ${aliases.join(', ')}`] : []),
  ].join('\n') + '\n';
}

export function runCatalog(command: 'findings' | 'explain', code: string | undefined, json: boolean): number {
  if (command === 'findings') {
    if (json) process.stdout.write(JSON.stringify({ kind: 'catalog', schema: 'hsmon/v1', findings: CATALOG, aliases: ALIASES }) + '\n');
    else process.stdout.write(CATALOG.map(text).join('\n'));
    return 0;
  }
  if (!code) throw new UsageError('explain needs a finding CODE, e.g. client-cert-rejected (list them with `hsmon findings`)');
  const e = catalogEntry(code);
  if (!e) {
    const near = similarCodes(code);
    throw new UsageError(`no finding code '${code}'${near.length ? ` — did you mean ${near.join(', ')}?` : ''} (hsmon findings lists them)`);
  }
  process.stdout.write(json ? JSON.stringify({ kind: 'catalog.entry', ...e }) + '\n' : text(e));
  return 0;
}
