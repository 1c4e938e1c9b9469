/**
 * hsmon as a user gets it from the registry: `npm pack` of a copy of the project (prepack builds
 * dist/), the tarball installed into an empty folder with --omit=dev (so no tsx, no esbuild:
 * the package must run its build), then the commands a new user tries first through npx. The
 * copy keeps the project's own dist/ untouched while other tests run from it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import type { RenderStats } from '../../src/ui/mount.tsx';
import { hasTmux, tmuxTerminal, type TmuxTerminal } from '../helpers/tmux.ts';

const work = mkdtempSync(join(tmpdir(), 'hsmon-pack-'));
const copy = join(work, 'project');
const app = join(work, 'app');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const tarball = join(work, `hsmon-${version}.tgz`);
let term: TmuxTerminal | undefined;

afterAll(() => {
  term?.kill();
  rmSync(work, { recursive: true, force: true });
});

/** `npx hsmon …` in the app folder, as the user types it (no terminal, stdin closed). */
function npx(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['--no-install', 'hsmon', ...args], { cwd: app, encoding: 'utf8', timeout: 60_000, input: '', env: { ...process.env, HSMON_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(copy);
  for (const f of ['package.json', 'bin', 'scripts', 'src', 'parsers', 'machines', 'recordings', 'docs', 'README.md', 'LICENSE', 'hsmon.example.json', 'tsconfig.json']) {
    cpSync(join(ROOT, f), join(copy, f), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  execFileSync('npm', ['pack', '--pack-destination', work], { cwd: copy, stdio: 'pipe' });
  // The figure the issue asks for, in the test log of every run.
  console.log(`hsmon tarball: ${(statSync(tarball).size / 1024).toFixed(0)} KiB (${tarball.split('/').pop()})`);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'hsmon-pack-test', private: true }));
  // From the npm registry (or its cache when offline): the runtime dependencies only.
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, stdio: 'pipe', timeout: 240_000 });
}, 300_000);

describe('the package from npm pack, installed with --omit=dev', () => {
  it('ships the build, the recordings, docs and license, and nothing of tests or CI', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of ['bin/hsmon.js', 'dist/cli.js', 'dist/parse-worker.js', 'bin/tty-reader-worker.js', 'dist/tty-reader-worker.js', 'recordings/tls12_server_untrusted.log', 'recordings/README.md', 'src/sim/assets/device.crt', 'docs/config.md', 'README.md', 'LICENSE', 'package.json']) {
      expect(files, f).toContain(f);
    }
    const stray = files.filter((f) => /^(test|\.ci|scripts|parsers|machines|node_modules)\//.test(f) || (f.startsWith('src/') && !f.startsWith('src/sim/assets/')));
    expect(stray).toEqual([]);
    // The dev tools did not come along: whatever runs, runs from dist/.
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/esbuild'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/aedes'))).toBe(true);
    // …and nothing shipped refers to them (tsx runs the sources of a checkout: scripts/, not shipped).
    const shipped = files.filter((f) => f.endsWith('.js')).filter((f) => /\b(?:from\s*|import\(\s*|require\(\s*)['"](?:tsx|esbuild)\b/.test(readFileSync(join(app, 'node_modules/hsmon', f), 'utf8')));
    expect(shipped).toEqual([]);
  });

  it('npx hsmon --version prints the package version', () => {
    const r = npx(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`hsmon ${version}\n`);
    expect(r.code).toBe(0);
  });

  it('npx hsmon summarize reads a shipped recording', () => {
    // grep -n "client state\|send alert\|handshake returned" recordings/tls12_server_untrusted.log:
    // the last state is SERVER_CERTIFICATE, alert 48 sent, -0x2700.
    const r = npx(['summarize', 'node_modules/hsmon/recordings/tls12_server_untrusted.log', '--json']);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary.handshakes).toHaveLength(1);
    expect(summary.handshakes[0]).toMatchObject({ outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_CERTIFICATE', error: { hex: '-0x2700' }, alert: { description: 48 } });
    expect(r.code).toBe(1);
  });

  it('npx hsmon sim --list names the scenarios', () => {
    const r = npx(['sim', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^handshake-ok\s/m);
    expect(r.stdout).toMatch(/^client-cert-rejected\s/m);
  });

  it.skipIf(!hasTmux)('npx hsmon (the demo) in a terminal shows a handshake and its embedded broker', async () => {
    // HOME points at an empty directory so a user's config cannot change the demo.
    // HSMON_RENDER_STATS: the counts at exit say whether Ink drew through hsmon's tokenizer,
    // which the build bundles with Ink (scripts/build.js).
    const stats = join(app, 'render-stats.json');
    const cmd = `cd ${JSON.stringify(app)} && env -u CI -u XDG_CONFIG_HOME HOME=/nonexistent-hsmon-home HSMON_RENDER_STATS=${JSON.stringify(stats)} npx --no-install hsmon; echo "HSMON_EXIT=$?"; sleep 120`;
    term = tmuxTerminal('pack', cmd);
    const screen = await term.waitFor(/Attempt \d+ of \d+ · TLS 1\.2/, 30_000);
    expect(screen).toContain('1 Handshake');
    await term.waitFor(/connected to broker at 127\.0\.0\.1:\d+/, 15_000);
    term.tmux('send-keys', '-t', 'pack', 'q');
    expect(await term.waitFor('HSMON_EXIT=', 15_000)).toContain('HSMON_EXIT=0');
    const { inkLines } = JSON.parse(readFileSync(stats, 'utf8')) as RenderStats;
    expect(inkLines?.tokenized).toBeGreaterThan(0);
    expect(inkLines?.reused).toBeGreaterThan(0);
  }, 60_000);

  it('without its build (and without tsx) the command says so in one line and exits 2', () => {
    const info = join(app, 'node_modules/hsmon/dist/build-info.json');
    const aside = `${info}.aside`;
    cpSync(info, aside);
    rmSync(info);
    try {
      const r = npx(['--version']);
      expect(r.stderr).toMatch(/^hsmon: no build in .*dist and no tsx to run the sources: reinstall hsmon: its package must ship dist\/\n$/);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    } finally {
      cpSync(aside, info);
    }
  });
});
if (!hasTmux) console.log('skipping the demo of the installed package: tmux is not installed (apt-get install tmux)');
