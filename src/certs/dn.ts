/** Distinguished names as hsmon shows them: `CN=…, O=…`, compared ignoring spaces after commas and around `=`. */
import { tighten } from '../../parsers/linear-text.ts';

export function normalizeDn(dn: string): string {
  return tighten(tighten(dn, ','), '=').trim();
}

export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}
