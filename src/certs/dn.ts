/** Distinguished names as hsmon shows them: `CN=…, O=…`, compared ignoring spaces after commas and around `=`. */

export function normalizeDn(dn: string): string {
  return dn.replace(/\s*,\s*/g, ',').replace(/\s*=\s*/g, '=').trim();
}

export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}
