/**
 * Credentials firmware prints: Wi-Fi passphrases, MQTT/HTTP passwords, `user:password@` in
 * URLs, API keys and tokens. Each pattern names the part to hide (its `secret` group); the rest
 * of the line stays, so the user still sees what was printed and where. Users add their own
 * with `redact.patterns` in the config file (docs/config.md).
 */

export interface CredentialPattern {
  name: string;
  /** Global regex; the `secret` group (or the whole match) is what gets hidden. */
  re: RegExp;
  /** A cheap necessary condition (case-sensitive literals): most lines skip `re`, which may be case-insensitive and slow. */
  hint?: RegExp;
}

/** Values that are not secrets even after a `password:` label. */
const NOT_A_VALUE = /^(?:yes|no|none|null|\(null\)|true|false|on|off|set|unset|n\/a|\*+|enabled|disabled|required|ok|0|1)$/i;

const KEYWORD = String.raw`(?:[A-Za-z0-9]+[_-])*(?:pass(?:word|phrase|wd|key)?|pwd|psk|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|access[_-]?token|token|credentials?)`;

export const BUILTIN_CREDENTIALS: readonly CredentialPattern[] = [
  // `Wi-Fi password 'x'`, `wifi_password=x`, `MQTT password: "x"`, `psk = x`, `api_key: x`.
  {
    name: 'labelled',
    re: new RegExp(String.raw`\b${KEYWORD}\b(?:\s*[:=]\s*|\s+is\s+|\s+(?=['"]))(?:'(?<q1>[^']*)'|"(?<q2>[^"]*)"|(?<secret>[^\s'",;]+))`, 'gi'),
    hint: /(?:[Pp]ass|PASS|[Pp]wd|PWD|[Pp]sk|PSK|[Ss]ecret|SECRET|[Kk]ey|KEY|[Tt]oken|TOKEN|[Cc]redential|CREDENTIAL)[\w-]*(?:\s*[:=]|\s+is\s|\s+['"])/,
  },
  // `mqtts://user:pw@host`, `https://user:pw@host/path`.
  { name: 'url-userinfo', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:(?<secret>[^\s@/]+)@/gi, hint: /:\/\/[^\s/@]*@/ },
  // `Authorization: Basic x`, `Bearer x` (a bearer token is one even without the header name).
  { name: 'authorization', re: /\bAuthorization:\s*(?:Bearer|Basic|Token|Digest)\s+(?<secret>[A-Za-z0-9._~+/-]+=*)/gi, hint: /[Aa]uthorization|AUTHORIZATION/ },
  { name: 'bearer', re: /\bBearer\s+(?<secret>[A-Za-z0-9._~+/-]{12,}=*)/g, hint: /Bearer/ },
  // Shapes that are keys wherever they appear: JWTs, AWS access key ids, GitHub and Slack tokens.
  { name: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, hint: /eyJ/ },
  { name: 'aws-key-id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, hint: /AKIA|ASIA/ },
  { name: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, hint: /gh[pousr]_/ },
  { name: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, hint: /xox/ },
];

/** A cheap necessary condition for the built-in patterns (most device lines hold none of these). */
// Case-sensitive literals (a case-insensitive alternation costs about a microsecond a line).
const MAY_HOLD = /[Pp]ass|PASS|[Pp]wd|PWD|[Pp]sk|PSK|[Ss]ecret|SECRET|[Kk]ey|KEY|[Tt]oken|TOKEN|[Cc]redential|CREDENTIAL|:\/\/|[Aa]uthorization|AUTHORIZATION|Bearer|eyJ|AKIA|ASIA|gh[pousr]_|xox/;

export interface CredentialHit {
  start: number;
  end: number;
  value: string;
}

/**
 * Compiles the user's `redact.patterns`: JavaScript regex sources; the named group `secret`,
 * else group 1, else the whole match is hidden. Throws with the pattern's index on a bad one.
 */
export function compileCredentialPatterns(sources: readonly string[]): CredentialPattern[] {
  return sources.map((src, i) => {
    try {
      return { name: `redact.patterns[${i}]`, re: new RegExp(src, 'g') };
    } catch (e) {
      throw new Error(`redact.patterns[${i}]: not a valid regular expression: ${(e as Error).message}`);
    }
  });
}

function hitsOf(p: CredentialPattern, text: string, out: CredentialHit[]): void {
  if (p.hint && !p.hint.test(text)) return;
  p.re.lastIndex = 0;
  for (const m of text.matchAll(p.re)) {
    if (m[0].length === 0) continue;
    const g = m.groups ?? {};
    const value = g['secret'] ?? g['q1'] ?? g['q2'] ?? m[1] ?? m[0];
    if (value === undefined || value === '' || NOT_A_VALUE.test(value)) continue;
    // The group's place: search for it from the end of the match backwards (a value is last).
    const start = m.index + m[0].lastIndexOf(value);
    out.push({ start, end: start + value.length, value });
  }
}

/** Where credentials are in a line (built-in patterns, then the user's). */
export function findCredentials(text: string, extra: readonly CredentialPattern[] = []): CredentialHit[] {
  const out: CredentialHit[] = [];
  if (MAY_HOLD.test(text)) for (const p of BUILTIN_CREDENTIALS) hitsOf(p, text, out);
  for (const p of extra) hitsOf(p, text, out);
  return out;
}
