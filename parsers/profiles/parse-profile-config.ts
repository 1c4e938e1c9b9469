import { builtinProfiles } from './builtin-profiles.ts';
import { compileProfile, GROUP_NAMES, groupNames, matchProfile, type Profile, type ProfileSample } from './profile.ts';

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Validates a user profile config `{ "profiles": [ … ] }` (the format is in README.md here).
 * Profiles with errors are left out; each error names the profile and, for a sample, its number.
 */
export function parseProfileConfig(json: unknown): { profiles: Profile[]; errors: string[] } {
  const errors: string[] = [];
  const profiles: Profile[] = [];
  if (!isObject(json) || !Array.isArray(json['profiles'])) {
    return { profiles, errors: ['config: expected an object {"profiles": [ … ]}'] };
  }
  const taken = new Set(['none', ...builtinProfiles.map((p) => p.name)]);
  json['profiles'].forEach((raw: unknown, i: number) => {
    const label = isObject(raw) && typeof raw['name'] === 'string' ? `profile "${raw['name']}"` : `profile #${i + 1}`;
    const own: string[] = [];
    const profile = readProfile(raw, label, own);
    if (profile !== null) {
      if (taken.has(profile.name)) own.push(`${label}: the name is already used (built-in profile, "none", or an earlier profile)`);
      else own.push(...checkProfile(profile));
    }
    if (own.length === 0 && profile !== null) {
      taken.add(profile.name);
      profiles.push(profile);
    }
    errors.push(...own);
  });
  return { profiles, errors };
}

/**
 * Checks a profile the way a config is checked: the regex compiles, is anchored, has a `body`
 * group and no unknown group, and every sample matches and yields the stated fields.
 */
export function checkProfile(profile: Profile): string[] {
  const label = `profile "${profile.name}"`;
  const errors: string[] = [];
  try {
    new RegExp(profile.regex, 's');
  } catch (e) {
    return [`${label}: regex does not compile: ${e instanceof Error ? e.message : String(e)}`];
  }
  if (!profile.regex.startsWith('^')) errors.push(`${label}: regex must start with ^ (it matches the start of a line)`);
  const names = groupNames(profile.regex);
  if (!names.includes('body')) errors.push(`${label}: regex has no (?<body>…) group`);
  const unknown = names.filter((n) => !(GROUP_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) errors.push(`${label}: unknown group ${unknown.join(', ')} (allowed: ${GROUP_NAMES.join(', ')})`);
  if (errors.length > 0) return errors;
  if (profile.samples.length === 0) errors.push(`${label}: needs at least one sample line`);
  const cp = compileProfile(profile);
  profile.samples.forEach((sample, i) => {
    const where = `${label} sample ${i + 1}`;
    const seg = matchProfile(cp, sample.line);
    if (seg === null) {
      errors.push(`${where}: regex does not match ${JSON.stringify(sample.line)}`);
      return;
    }
    const expect: [keyof ProfileSample & keyof typeof seg, unknown][] = [
      ['body', sample.body],
      ['file', sample.file],
      ['srcLine', sample.srcLine],
      ['level', sample.level],
      ['ctx', sample.ctx],
    ];
    for (const [field, want] of expect) {
      if (want === undefined && field !== 'body') continue;
      const got = seg[field];
      if (got !== want) errors.push(`${where}: ${field} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
  });
  return errors;
}

function readProfile(raw: unknown, label: string, errors: string[]): Profile | null {
  if (!isObject(raw)) {
    errors.push(`${label}: expected an object`);
    return null;
  }
  const { name, description, regex, levelMap, wraps, bodyOnNextLine, samples } = raw;
  const before = errors.length;
  if (typeof name !== 'string' || !NAME.test(name)) errors.push(`${label}: name must be a string of letters, digits, _ . -`);
  if (description !== undefined && typeof description !== 'string') errors.push(`${label}: description must be a string`);
  if (typeof regex !== 'string') errors.push(`${label}: regex must be a string`);
  if (levelMap !== undefined) {
    const ok = isObject(levelMap) && Object.values(levelMap).every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 5);
    if (!ok) errors.push(`${label}: levelMap must map strings to mbedTLS levels 0-5`);
  }
  if (wraps !== undefined && typeof wraps !== 'boolean') errors.push(`${label}: wraps must be true or false`);
  if (bodyOnNextLine !== undefined && typeof bodyOnNextLine !== 'boolean') errors.push(`${label}: bodyOnNextLine must be true or false`);
  const list: ProfileSample[] = [];
  if (!Array.isArray(samples)) errors.push(`${label}: samples must be a list of {"line", "body", …}`);
  else {
    samples.forEach((s: unknown, i: number) => {
      const sample = readSample(s);
      if (sample === null) errors.push(`${label} sample ${i + 1}: expected {"line": string, "body": string, "file"?: string, "srcLine"?: number, "level"?: number, "ctx"?: string}`);
      else list.push(sample);
    });
  }
  if (errors.length > before) return null;
  const profile: Profile = { name: name as string, description: (description as string | undefined) ?? '', regex: regex as string, samples: list };
  if (levelMap !== undefined) profile.levelMap = { ...(levelMap as Record<string, number>) };
  if (wraps === true) profile.wraps = true;
  if (bodyOnNextLine === true) profile.bodyOnNextLine = true;
  return profile;
}

function readSample(s: unknown): ProfileSample | null {
  if (!isObject(s) || typeof s['line'] !== 'string' || typeof s['body'] !== 'string') return null;
  const sample: ProfileSample = { line: s['line'], body: s['body'] };
  for (const key of ['file', 'ctx'] as const) {
    const v = s[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') return null;
    sample[key] = v;
  }
  for (const key of ['srcLine', 'level'] as const) {
    const v = s[key];
    if (v === undefined) continue;
    if (typeof v !== 'number') return null;
    sample[key] = v;
  }
  return sample;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
