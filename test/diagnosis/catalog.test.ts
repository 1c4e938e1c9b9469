/**
 * The finding codes are a contract (scripts and agents match on them): this list is pinned
 * here by hand. Renaming a code means a new entry plus an alias, never an edit of this list
 * in place. Every code a rule or the session can emit must have its catalog entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ALIASES, CATALOG, catalogEntry } from '../../src/diagnosis/catalog.ts';
import { ALL_RULES } from '../../src/diagnosis/index.ts';
import { hsmon, ROOT } from '../helpers/cli.ts';

const PINNED = [
  'client-cert-rejected',
  'server-cert-untrusted',
  'device-clock-unset',
  'server-cert-date-invalid',
  'no-shared-ciphersuite',
  'psa-ecdh-export-failed',
  'psa-key-policy-mismatch',
  'psa-algorithm-unsupported',
  'record-exceeds-buffer',
  'mfl-not-honored',
  'handshake-fragmentation-unsupported',
  'out-of-memory',
  'connect-retry-loop',
  'session-secrets-in-log',
  'private-key-exposed',
  'credential-in-log',
  'garbled-input',
  'pem-incomplete',
  'pem-unreadable',
  'prefix-guessed',
];

/** Every `code: '…'` literal and `pemFinding(…, '…'` of the finding sources, found by reading them. */
function emittedCodes(): Set<string> {
  const files = [
    ...readdirSync(join(ROOT, 'src/diagnosis/rules')).map((f) => join(ROOT, 'src/diagnosis/rules', f)),
    join(ROOT, 'src/session/session.ts'),
    join(ROOT, 'src/session/facts.ts'),
  ];
  const out = new Set<string>();
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bcode: '([a-z0-9-]+)'/g)) out.add(m[1]!);
    for (const m of src.matchAll(/pemFinding\([^,]+, '([a-z0-9-]+)'/g)) out.add(m[1]!);
    for (const m of src.matchAll(/\bcode === '([a-z0-9-]+)'/g)) out.add(m[1]!);
  }
  return out;
}

describe('the finding catalog', () => {
  it('holds exactly the pinned codes, each once', () => {
    expect(CATALOG.map((e) => e.code)).toEqual(PINNED);
  });

  it('covers every code a rule or the session emits, with the rule\'s severity', () => {
    const emitted = emittedCodes();
    expect(emitted.size).toBeGreaterThanOrEqual(ALL_RULES.length);
    for (const code of emitted) expect(catalogEntry(code)?.code, code).toBe(code);
    for (const rule of ALL_RULES) expect(catalogEntry(rule.code)?.severity, rule.code).toBe(rule.severity);
  });

  it('every alias points at a current code and never shadows one', () => {
    for (const [from, to] of Object.entries(ALIASES)) {
      expect(PINNED).toContain(to);
      expect(PINNED).not.toContain(from);
      expect(catalogEntry(from)?.code).toBe(to);
    }
  });

  it('every entry says what it means, what evidence it needs and the fix', () => {
    for (const e of CATALOG) {
      for (const field of [e.title, e.meaning, e.evidence, e.fix]) expect(field.length, e.code).toBeGreaterThan(20);
    }
  });
});

describe('hsmon findings and hsmon explain', () => {
  it('findings --json lists the pinned codes with meaning, evidence and fix', async () => {
    const r = await hsmon(['findings', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { findings: { code: string; fix: string }[]; aliases: Record<string, string> };
    expect(j.findings.map((f) => f.code)).toEqual(PINNED);
    expect(j.aliases).toEqual(ALIASES);
  });

  it('the JSON forms satisfy `hsmon schema`', async () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse((await hsmon(['schema'])).stdout));
    for (const args of [['findings', '--json'], ['explain', 'out-of-memory', '--json']]) {
      const o = JSON.parse((await hsmon(args)).stdout);
      expect(validate(o), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
    expect(validate({ kind: 'catalog.entry', code: 'x' })).toBe(false);
  });

  it('findings (text) names every code', async () => {
    const r = await hsmon(['findings']);
    expect(r.code).toBe(0);
    for (const code of PINNED) expect(r.stdout).toMatch(new RegExp(`^${code} \\(`, 'm'));
  });

  it('explain CODE prints one entry; an alias answers with the current code', async () => {
    const r = await hsmon(['explain', 'server-cert-untrusted']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^server-cert-untrusted \(error, certificates\): /);
    expect(r.stdout).toContain('Fix:');
    const alias = await hsmon(['explain', 'no-shared-cipher', '--json']);
    expect(JSON.parse(alias.stdout)).toMatchObject({ kind: 'catalog.entry', code: 'no-shared-ciphersuite' });
  });

  it('explain of an unknown code: one line with the nearest codes, exit 2', async () => {
    const r = await hsmon(['explain', 'clock']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("hsmon: no finding code 'clock' — did you mean device-clock-unset? (hsmon findings lists them)");
  });
});

describe('credential-in-log', () => {
  it('is in the catalog: an error of the secrets family, what it means, that --no-redact cannot find it, and the fix', () => {
    const e = catalogEntry('credential-in-log');
    expect(e).toMatchObject({ code: 'credential-in-log', severity: 'error', family: 'secrets' });
    expect(e!.meaning).toMatch(/Wi-Fi passphrase/);
    expect(e!.evidence).toMatch(/--no-redact/);
    expect(e!.fix).toMatch(/revoke/);
  });
});
