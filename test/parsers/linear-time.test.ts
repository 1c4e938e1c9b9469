// Every parser returns on any line: runs of each punctuation character and blank up to the
// framer's 64 KiB cap behind the heads that steer a line into each family, and a fast-check
// property over runs of two-character units (` |`, `a=`: what quadratic patterns need). The
// static check is eslint-plugin-regexp (eslint.config.js); this is the run-time half, which also
// covers the regexes built from strings (profiles, mqtt) that the linter cannot see.
// No timing is asserted. A super-linear regex blocks its thread (issue 15: `psa_gene` + 60 `=`
// never returned), so the lines are fed in a child process (hostile-lines.ts) and a child that
// has not answered by the deadline is a hang, not a slow run.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { lastTokenStart, starBannerTitle, textAfter, tighten } from '../../parsers/linear-text.ts';

const HANG_MS = 120_000;

function runHostileLines(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/run-ts.js', 'test/parsers/hostile-lines.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`a parser did not return within ${HANG_MS / 1000} s on a hostile line (super-linear regex?)`));
    }, HANG_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('parsers on hostile lines', () => {
  it('return on every 64 KiB punctuation run and on the two-character-unit property; the cut PSA line yields no call', { timeout: HANG_MS + 10_000 }, async () => {
    const r = await runHostileLines();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sweep: number; property: number; psaCalls: unknown[]; learnedRedacted: number };
    // 25 heads × (32 punctuation characters + space + tab).
    expect(out.sweep).toBe(25 * 34);
    expect(out.property).toBe(150);
    // `psa_gene` + `=` row is no call; the next line's call is read as usual.
    expect(out.psaCalls).toMatchObject([{ kind: 'psa.call', fn: 'psa_generate_key', status: -134, line: 1 }]);
    expect(out.psaCalls).toHaveLength(1);
    // After a learned master secret: the two 64 KiB lines that hold it are redacted, the four of noise are not.
    expect(out.learnedRedacted).toBe(2);
  });
});

describe('linear-text', () => {
  it.each([
    ['a | b|c  |  d', '|', 'a|b|c|d'],
    ['  a , b ', ',', '  a,b '],
    ['no sep', ',', 'no sep'],
    [' | ', '|', '|'],
  ])('tighten(%j, %j) = %j', (s, sep, want) => {
    expect(tighten(s, sep)).toBe(want);
    // The regex it replaces, on these short strings.
    expect(tighten(s, sep)).toBe(s.replace(new RegExp(`\\s*\\${sep}\\s*`, 'g'), sep));
  });

  it('lastTokenStart is where /\\S+$/ matches', () => {
    for (const s of ['abc', 'a bc', 'a b\tcd', 'ab ', '', ' x']) {
      const at = s.search(/\S+$/);
      expect(lastTokenStart(s), s).toBe(at === -1 ? s.length : at);
    }
  });

  it('textAfter drops trailing blanks and one final dot', () => {
    expect(textAfter('Perform PSA-based ECDH computation.', 'Perform PSA-based ')).toBe('ECDH computation');
    expect(textAfter('x Perform PSA-based ECDH computation  ', 'Perform PSA-based ')).toBe('ECDH computation');
    expect(textAfter('Perform PSA-based ', 'Perform PSA-based ')).toBeNull();
  });

  it('starBannerTitle reads `***** Title *****`', () => {
    expect(starBannerTitle('  ****** PSOC Edge MCU: mTLS client ******  ')).toBe('PSOC Edge MCU: mTLS client');
    expect(starBannerTitle('**** short ****')).toBeNull();
    expect(starBannerTitle('**********')).toBeNull();
    expect(starBannerTitle('***** a ** b *****')).toBe('a ** b');
  });
});
