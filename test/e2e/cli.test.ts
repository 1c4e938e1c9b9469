/**
 * The `hsmon` command as scripts use it: exit codes of summarize, NDJSON of replay --json, and
 * bad input (a one-line explanation, exit 2 where unreadable, no stack trace, no hang).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hsmon } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);

describe('hsmon summarize', () => {
  it('exits 0 when every handshake is ok and says so first', async () => {
    const r = await hsmon(['summarize', 'recordings/tls13_mtls_ok.log']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^OK: the TLS handshake completed \(TLS 1\.3, TLS1-3-CHACHA20-POLY1305-SHA256\)/);
  });

  it('exits 1 when a handshake failed, naming the state, alert and error on the first line', async () => {
    const r = await hsmon(['summarize', 'recordings/tls12_no_shared_cipher.log']);
    expect(r.code).toBe(1);
    const first = r.stdout.split('\n')[0]!;
    expect(first).toContain('FAILED');
    expect(first).toContain('SERVER_HELLO');
    expect(first).toContain('handshake_failure');
    expect(first).toContain('-0x7780');
  });

  it('--json prints one summary object whose handshake fields match the log', async () => {
    const r = await hsmon(['summarize', 'recordings/tls12_server_untrusted.log', '--json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0]!);
    expect(s).toMatchObject({ kind: 'summary', schema: 'hsmon/v1', source: 'recordings/tls12_server_untrusted.log', lines: 335 });
    expect(s.handshakes[0]).toMatchObject({ outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_CERTIFICATE', error: { hex: '-0x2700' } });
  });

  it('lists printed certificates with their validity and whether they hold the device key', async () => {
    // test/fixtures/keys/device-transcript.log: device time at line 9, key point at line 11,
    // PUBLIC KEY at line 23, the certificate at line 28, its CSR at line 53.
    const r = await hsmon(['summarize', 'test/fixtures/keys/device-transcript.log']);
    expect(r.stdout).toContain('(364 days left on the device clock)');
    expect(r.stdout).toContain('    key matches the CSR at line 53');
    expect(r.stdout).toContain('    key matches the key the device exported at line 11');
    expect(r.stdout).not.toContain('does NOT match');
  });

  it('exits 1 for a log that ends in the middle of a handshake (incomplete)', async () => {
    // The first 200 lines of tls13_mtls_ok.log: `=> handshake` at line 9, no `<= handshake`.
    const { readFileSync } = await import('node:fs');
    const cut = readFileSync('recordings/tls13_mtls_ok.log', 'utf8').split('\n').slice(0, 200).join('\n');
    const path = join(dir, 'cut.log');
    writeFileSync(path, cut);
    const r = await hsmon(['summarize', path, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).handshakes[0].outcome).toBe('incomplete');
  });
});

describe('hsmon replay --json', () => {
  it('prints NDJSON only on stdout, every line with kind, t and line, the summary last', async () => {
    const r = await hsmon(['replay', 'recordings/tls12_no_shared_cipher.log', '--json', '--speed', 'max']);
    expect(r.code).toBe(1);
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    for (const o of objs.slice(0, -1)) {
      expect(typeof o.kind).toBe('string');
      expect(typeof o.t).toBe('number');
      expect('line' in o).toBe(true);
    }
    expect(objs.at(-1).kind).toBe('summary');
    // grep -c 'client state' tls12_no_shared_cipher.log → 3 steps; grep -c 'handshake state' → 2 transitions inside them.
    expect(objs.filter((o) => o.kind === 'tls.state').length).toBe(3);
    expect(objs.filter((o) => o.kind === 'tls.transition').length).toBe(2);
    const alert = objs.find((o) => o.kind === 'tls.alert');
    // ssl_msg.c:5274: |2| got an alert message, type: [2:40] is line 133 (seq 132)
    expect(alert).toMatchObject({ direction: 'received', level: 2, description: 40, name: 'handshake_failure', line: 132 });
  });
});

describe('hsmon chart', () => {
  it('prints the statechart as Mermaid, and rejects a TLS version it has no graph for', async () => {
    const r = await hsmon(['chart', '--tls', '1.3']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(r.stdout).toContain('hello_SERVER_HELLO --> tls13_ENCRYPTED_EXTENSIONS');
    const bad = await hsmon(['chart', '--tls', '1.1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("hsmon: --tls takes 1.2 or 1.3, got '1.1'");
  });
});

describe('bad input', () => {
  it('a missing file: one line, exit 2', async () => {
    const r = await hsmon(['summarize', join(dir, 'nope.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hsmon: cannot read .*nope\.log: no such file/);
    noStack(r.stderr);
  });

  it('a directory: one line, exit 2', async () => {
    const r = await hsmon(['replay', dir, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/directory/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an empty file: no handshake, said plainly, exit 3', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const r = await hsmon(['summarize', path]);
    expect(r.code).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe('NO HANDSHAKE: no TLS handshake found in 0 lines.');
  });

  it('2 MB of random bytes: finishes, flags garbled input, no crash', async () => {
    const path = join(dir, 'random.bin');
    const { randomBytes } = await import('node:crypto');
    writeFileSync(path, randomBytes(2 * 1024 * 1024));
    const r = await hsmon(['summarize', path, '--json'], { timeoutMs: 60_000 });
    expect(r.code).toBe(3);
    noStack(r.stderr);
    const s = JSON.parse(r.stdout);
    expect(s.handshakes).toEqual([]);
    expect(s.findings.map((f: { code: string }) => f.code)).toContain('garbled-input');
  });

  it('a file of 1 MB lines: each cut at 64 KiB, the handshake after them still parsed', async () => {
    const path = join(dir, 'long.log');
    const { readFileSync } = await import('node:fs');
    const big = 'A'.repeat(1024 * 1024) + '\n';
    writeFileSync(path, big + big + readFileSync('recordings/tls12_no_shared_cipher.log', 'utf8'));
    const r = await hsmon(['summarize', path, '--json'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.handshakes[0].failedAt).toBe('MBEDTLS_SSL_SERVER_HELLO');
    expect(s.lines).toBe(2 + 144);
  });

  it('an unknown command or option: one line naming it, exit 2', async () => {
    const a = await hsmon(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown command 'frobnicate'/);
    const b = await hsmon(['summarize', 'x.log', '--sped', 'max']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--sped/);
    noStack(b.stderr);
  });

  it('the interactive monitor without a terminal says what to use instead, exit 2', async () => {
    const r = await hsmon(['replay', 'recordings/tls13_mtls_ok.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal.*--json/);
  });
});

describe('hsmon ports, sim and schema', () => {
  it('ports lists the serial ports or says there are none, without needing udevadm', async () => {
    const r = await hsmon(['ports']);
    expect(r.code).toBe(0);
    noStack(r.stderr);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
    const j = await hsmon(['ports', '--json']);
    expect(Array.isArray(JSON.parse(j.stdout))).toBe(true);
  });

  it('sim --list names the scenarios; an unknown one is one line, exit 2', async () => {
    const r = await hsmon(['sim', '--list']);
    expect(r.code).toBe(0);
    for (const s of ['handshake-ok', 'psa-ecdh-export-failure', 'client-cert-rejected', 'no-shared-cipher']) expect(r.stdout).toContain(s);
    const demo = await hsmon(['--scenario', 'nope', '--json']);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/unknown scenario "nope"/);
    const bad = await hsmon(['sim', '--pty', '--scenario', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown scenario 'nope'/);
  });

  it('--help lists every command', async () => {
    const r = await hsmon(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['monitor', 'replay', 'summarize', 'ports', 'sim', 'schema']) expect(r.stdout).toContain(`hsmon ${c}`);
  });
});

describe('user prefix profiles from the config file', () => {
  it('a log in a vendor format no built-in profile knows is read once the config describes it', async () => {
    // tls12_no_shared_cipher.log rewritten into the `<L> file#line message` form of
    // test/fixtures/profiles/example.json (levels 1-4 → E W I D).
    const { readFileSync } = await import('node:fs');
    const L = ['', 'E', 'W', 'I', 'D'];
    const vendor = readFileSync('recordings/tls12_no_shared_cipher.log', 'utf8').split('\n')
      .map((l) => l.replace(/^([a-z_0-9]+\.[ch]):(\d+): \|(\d)\| /, (_m, f, n, lv) => `<${L[Number(lv)]}> ${f}#${Number(n)} `))
      .join('\n');
    const log = join(dir, 'vendor.log');
    writeFileSync(log, vendor);
    const plain = await hsmon(['summarize', log, '--json']);
    // Without the profile only the unprefixed lines are understood (`=> handshake` glued to the
    // program's output, `! mbedtls_ssl_handshake returned -0x7780`): no state, no alert.
    expect(JSON.parse(plain.stdout).handshakes[0]).toMatchObject({ states: [], alert: null, failedAt: null });
    const withConfig = await hsmon(['summarize', log, '--json', '--config', 'test/fixtures/profiles/example.json']);
    expect(withConfig.code).toBe(1);
    const h = JSON.parse(withConfig.stdout).handshakes[0];
    expect(h).toMatchObject({ outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_HELLO', alert: { description: 40 } });
    expect(h.states).toEqual(['MBEDTLS_SSL_HELLO_REQUEST', 'MBEDTLS_SSL_CLIENT_HELLO', 'MBEDTLS_SSL_SERVER_HELLO']);
  });

  it('a profile whose sample does not match is named on stderr and left out', async () => {
    const cfg = join(dir, 'bad-profile.json');
    writeFileSync(cfg, JSON.stringify({ profiles: [{ name: 'broken', description: 'x', regex: '^X (?<body>.*)$', samples: [{ line: 'Y hello', body: 'hello' }] }] }));
    const r = await hsmon(['summarize', 'recordings/tls13_mtls_ok.log', '--config', cfg]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/bad-profile\.json: .*broken/);
  });

  it('a config file that is not JSON: one line naming the file, exit 2', async () => {
    const cfg = join(dir, 'broken.json');
    writeFileSync(cfg, '{ profiles: ');
    const r = await hsmon(['summarize', 'recordings/tls13_mtls_ok.log', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json: invalid JSON/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
