/**
 * The build (scripts/build.js, run by `npm install`): bin/hsmon.js runs it while it is newer than
 * every source it was made from, and the sources otherwise, and both give the same output. The
 * test builds a copy of the project in a temporary folder (node_modules and recordings linked),
 * so it can edit that copy's sources without touching the project's own build.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, hsmon, startHsmon } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';

const copy = mkdtempSync(join(tmpdir(), 'hsmon-build-'));
const bin = join(copy, 'bin/hsmon.js');
afterAll(() => rmSync(copy, { recursive: true, force: true }));

beforeAll(() => {
  for (const d of ['bin', 'scripts', 'src', 'parsers', 'machines', 'package.json']) cpSync(join(ROOT, d), join(copy, d), { recursive: true });
  for (const d of ['node_modules', 'recordings']) symlinkSync(join(ROOT, d), join(copy, d));
  execFileSync(process.execPath, [join(copy, 'scripts/build.js')], { stdio: 'pipe' });
}, 60_000);

/** Which code ran, from the HSMON_STATS line on stderr. */
const codeOf = (stderr: string): string | undefined => /hsmon-stats .*code=(\w+)/.exec(stderr)?.[1];

describe('the build in dist/', () => {
  it('records the sources it was made from', () => {
    const info = JSON.parse(readFileSync(join(copy, 'dist/build-info.json'), 'utf8')) as { builtAt: number; inputs: string[] };
    expect(info.inputs).toEqual(expect.arrayContaining(['src/cli.ts', 'src/cli/parse-worker.ts', 'parsers/frame.ts', 'machines/handshake.ts']));
    expect(info.inputs.some((p) => p.startsWith('node_modules/'))).toBe(false);
    expect(existsSync(join(copy, 'dist/cli.js'))).toBe(true);
    expect(existsSync(join(copy, 'dist/parse-worker.js'))).toBe(true);
  });

  it.each([
    { args: ['summarize', 'recordings/tls12_no_shared_cipher.log', '--json'], shows: '"failedAt":"MBEDTLS_SSL_SERVER_HELLO"' },
    // Certificate analysis: @peculiar/x509 is bundled into the build.
    { args: ['summarize', 'recordings/psa_tls12_opaque_ok.log', '--json'], shows: '"subject":"CN=psoc-edge-device, O=Infineon PoC"' },
    { args: ['summarize', 'recordings/tls12_server_untrusted.log'], shows: 'FAILED' },
    { args: ['replay', 'recordings/tls13_mtls_ok.log', '--json', '--speed', 'max'], shows: '"kind":"tls.state"' },
  ].map((c) => ({ ...c, command: c.args.join(' ') })))('runs when fresh, with the same output and exit code as the sources: $command', async ({ args, shows }) => {
    const env = { HSMON_STATS: '1' };
    const built = await hsmon(args, { bin, env });
    const sources = await hsmon(args, { bin, env: { ...env, HSMON_FROM_SOURCE: '1' } });
    expect(codeOf(built.stderr)).toBe('build');
    expect(codeOf(sources.stderr)).toBe('sources');
    expect(built.stdout).toContain(shows);
    // A certificate read on the host clock carries the time of reading.
    const steady = (s: string): string => s.replace(/"now":"[^"]*"/g, '"now":"…"');
    expect(steady(built.stdout)).toBe(steady(sources.stdout));
    expect(built.code).toBe(sources.code);
  });

  it('runs the demo from the build: the simulator finds its recordings and certificate', async () => {
    const { child, stdout, stderr, exited } = startHsmon(['--json'], { bin, env: { HSMON_STATS: '1' } });
    try {
      // The simulated board prints its certificate (src/sim/assets) and then a corpus handshake.
      await poll('a certificate and a handshake from the demo', () => stdout().includes('"kind":"cert.pem"') && stdout().includes('"kind":"tls.state"'), {
        timeoutMs: 15_000, intervalMs: 100, last: () => `stderr:\n${stderr()}`,
      });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(codeOf(stderr())).toBe('build');
  }, 30_000);

  it('maps a stack trace to the TypeScript lines with HSMON_DEBUG (the maps carry no sources\' text)', async () => {
    const r = await hsmon(['summarize', 'recordings/no-such-file.log'], { bin, env: { HSMON_STATS: '1', HSMON_DEBUG: '1' } });
    expect(codeOf(r.stderr)).toBe('build');
    expect(r.code).toBe(2);
    // The error is thrown by openFileSource in src/io/file-source.ts (grep -n "cannot read" src/io/file-source.ts).
    expect(r.stderr).toMatch(/at openFileSource \(.*src\/io\/file-source\.ts:\d+:\d+\)/);
    expect(r.stderr).not.toMatch(/dist\/[\w-]+\.js:\d+/);
  });

  it('is left alone once a source it was made from changed, and hsmon runs the sources', async () => {
    const edited = join(copy, 'parsers/frame.ts');
    // An edit now: after the build was made.
    const now = new Date();
    utimesSync(edited, now, now);
    const r = await hsmon(['summarize', 'recordings/tls13_mtls_ok.log'], { bin, env: { HSMON_STATS: '1' } });
    expect(codeOf(r.stderr)).toBe('sources');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: /);
  });

  it('is not used without its build info (a build cut short)', async () => {
    execFileSync(process.execPath, [join(copy, 'scripts/build.js')], { stdio: 'pipe' });
    expect(codeOf((await hsmon(['summarize', 'recordings/tls13_mtls_ok.log'], { bin, env: { HSMON_STATS: '1' } })).stderr)).toBe('build');
    rmSync(join(copy, 'dist/build-info.json'));
    expect(codeOf((await hsmon(['summarize', 'recordings/tls13_mtls_ok.log'], { bin, env: { HSMON_STATS: '1' } })).stderr)).toBe('sources');
  });
});
