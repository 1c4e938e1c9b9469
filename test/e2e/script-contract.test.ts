/**
 * The CLI contract scripts rely on (README "Exit codes", AGENTS.md): exit codes 0/1/2/3 of
 * summarize and replay --json, a closed stdout (`| head`) ending hsmon quietly with 0,
 * replay --json at full speed for every input, options a command would ignore refused with
 * one line (exit 2), and a broker monitor can never use stopping it at start (exit 2).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HSMON, ROOT, hsmon, startHsmon } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';
import { MOSQUITTO, freePort, spawnMosquitto, stopProcess } from '../helpers/mosquitto.ts';
import { createPtyPair } from '../../src/io/pty.ts';
import { openSerialSource } from '../../src/io/serial.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-contract-'));
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasSocat = spawnSync('socat', ['-V']).status === 0;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasSocat) console.log('skipped the monitor tests of test/e2e/script-contract.test.ts: socat is not installed (apt-get install socat)');
if (!MOSQUITTO || !hasOpenssl) console.log('skipped the TLS broker test of test/e2e/script-contract.test.ts: mosquitto or openssl is not installed (apt-get install mosquitto openssl)');

const oneLine = (s: string): string => {
  const lines = s.trim().split('\n');
  expect(lines, s).toHaveLength(1);
  return lines[0]!;
};


describe('exit codes of summarize and replay --json', () => {
  const cases: [string, string, number][] = [
    ['every handshake ok', 'recordings/tls13_mtls_ok.log', 0],
    ['a handshake failed', 'recordings/tls12_server_untrusted.log', 1],
    ['no handshake in a binary file', '/bin/ls', 3],
  ];
  for (const [what, file, code] of cases) {
    it(`${what}: ${code} from both`, async () => {
      const s = await hsmon(['summarize', file, '--json']);
      expect(s.code, s.stderr).toBe(code);
      const r = await hsmon(['replay', file, '--json']);
      expect(r.code, r.stderr).toBe(code);
      expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!).kind).toBe('summary');
    });
  }

  it('an empty file is no handshake found: 3, and the text says so', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const r = await hsmon(['summarize', path]);
    expect(r.code).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe('NO HANDSHAKE: no TLS handshake found in 0 lines.');
  });

  it('an unreadable file is 2 with one line', async () => {
    const r = await hsmon(['replay', join(dir, 'missing.log'), '--json']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^hsmon: cannot read .*missing\.log: no such file$/);
    expect(r.stdout).toBe('');
  });
});

describe('a reader that goes away (EPIPE)', () => {
  it('replay --json | head -1: hsmon exits 0 and says nothing on stderr', async () => {
    // bash reports every member of the pipeline: PIPESTATUS[0] is hsmon's exit code.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${HSMON}" replay recordings/tls12_gcm_debug4_ok.log --json | head -1; echo "hsmon=\${PIPESTATUS[0]}" >&2`], {
      cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, HSMON_DEBUG: '' },
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).kind).toBeTypeOf('string');
    expect(r.stderr.trim()).toBe('hsmon=0');
  });

  it('a reader that closes its end after the first chunk: exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, [HSMON, 'replay', 'recordings/tls13_gcm_debug4_ok.log', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.once('data', () => child.stdout!.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});

describe.runIf(hasSocat)('monitor --json with a reader that goes away', () => {
  it('ends with 0, quietly, and keeps its recording', async () => {
    const links = { a: join(dir, `epipe-dev-${process.pid}`), b: join(dir, `epipe-tty-${process.pid}`) };
    const pair = await createPtyPair(links);
    cleanups.push(() => pair.close());
    const dev = await openSerialSource({ path: links.a, baud: 115200, reconnect: false });
    await dev.start({ data: () => undefined, status: () => undefined });
    cleanups.push(() => dev.close());
    const rec = join(dir, 'epipe.cast');
    const child = spawn(process.execPath, [HSMON, 'monitor', links.b, '--json', '--record', rec], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let got = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      got += d;
      child.stdout!.destroy();
    });
    const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    // The first 40 lines of a corpus log, then more: hsmon writes into a closed pipe.
    const lines = readFileSync(join(ROOT, 'recordings/tls13_mtls_ok.log'), 'utf8').split('\n');
    await poll('the monitor to start', () => stderr.includes('recording to'), { last: () => stderr });
    for (let i = 0; i < lines.length && child.exitCode === null; i += 40) {
      await dev.write(Buffer.from(lines.slice(i, i + 40).join('\r\n') + '\r\n'));
      // A device prints in bursts, not all at once: the pipe must be closed while it still prints.
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await closed).toBe(0);
    expect(stderr.trim()).toBe(`hsmon: recording to ${rec}`);
    expect(got.length).toBeGreaterThan(0);
    // The recording holds what the device sent (its header and at least the first chunk).
    expect(readFileSync(rec, 'utf8')).toContain('=> handshake');
  }, 60_000);
});

describe('replay --json runs at full speed for every input', () => {
  it('a .cast recording with a 10-minute pause finishes at once, with the pause in its times', async () => {
    // Two chunks of tls12_no_shared_cipher.log 600 s apart: at the recording's own pace this
    // would take ten minutes (the helper calls a run over 20 s a hang).
    const log = readFileSync(join(ROOT, 'recordings/tls12_no_shared_cipher.log'), 'utf8');
    const cut = log.indexOf('\n', log.length / 2) + 1;
    const header = { version: 2, width: 120, height: 40, timestamp: 1795357988, hsmon: { version: 1, source: 'test', baud: 115200, redacted: true } };
    const path = join(dir, 'pause.cast');
    writeFileSync(path, [JSON.stringify(header), JSON.stringify([0.5, 'o', log.slice(0, cut)]), JSON.stringify([600.5, 'o', log.slice(cut)]), ''].join('\n'));
    const r = await hsmon(['replay', path, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; t: number });
    // The alert is in the second half (grep -n 'got an alert' → line 133 of 144): after the pause.
    expect(events.find((e) => e.kind === 'tls.alert')!.t).toBeGreaterThanOrEqual(600_000);
  });
});

describe('options a command would ignore are refused', () => {
  const cases: [string[], RegExp][] = [
    [['replay', 'recordings/tls13_mtls_ok.log', '--json', '--broker', 'mqtt://127.0.0.1'], /^hsmon: replay does not take --broker \(hsmon replay --help\)$/],
    [['replay', 'recordings/tls13_mtls_ok.log', '--json', '--topic', 'x'], /^hsmon: replay does not take --topic/],
    [['--json', '--broker', 'mqtt://127.0.0.1'], /^hsmon: the monitor of the simulated device does not take --broker \(hsmon --help\)$/],
    [['summarize', 'recordings/tls13_mtls_ok.log', '--speed', 'max'], /^hsmon: summarize does not take --speed/],
    [['summarize', 'recordings/tls13_mtls_ok.log', 'recordings/tls13_mtls_ok.log'], /^hsmon: unexpected argument 'recordings\/tls13_mtls_ok\.log'/],
    [['monitor', '/dev/ttyNOPE', '--topic', 'x'], /^hsmon: --topic is used only with --broker \(hsmon monitor --help\)$/],
    [['monitor', '/dev/ttyNOPE', '--ca', 'ca.pem'], /^hsmon: --ca is used only with --broker/],
    [['monitor', '/dev/ttyNOPE', '--record', 'x.cast', '--no-record'], /^hsmon: --record and --no-record contradict each other/],
    [['mcp'], /^hsmon: mcp needs a source: a serial PORT, --replay FILE or --sim/],
    [['mcp', '--sim', '--replay', 'x.log'], /^hsmon: mcp takes one source, got --replay and --sim/],
    [['mcp', '--replay', 'x.log', '--scenario', 'no-shared-cipher'], /^hsmon: --scenario is used only with --sim/],
    [['mcp', '--sim', '--baud', '9600'], /^hsmon: --baud is used only with a serial PORT/],
    [['mcp', '--sim', '--broker', 'mqtt://127.0.0.1'], /^hsmon: --broker is used only with a serial PORT or --replay/],
    [['explain'], /^hsmon: explain needs a finding CODE/],
  ];
  for (const [args, message] of cases) {
    it(`hsmon ${args.join(' ')}`, async () => {
      const r = await hsmon(args);
      expect(r.code).toBe(2);
      // The line names each thing once: never "hsmon: hsmon …".
      expect(oneLine(r.stderr)).toMatch(message);
      expect(r.stderr).not.toMatch(/^hsmon: hsmon /);
      expect(r.stdout).toBe('');
    });
  }
});

describe('monitor stops at start when the broker can never work', () => {
  it('a malformed broker URL: one line, exit 2, before the port is opened', async () => {
    const r = await hsmon(['monitor', '/dev/ttyNOPE', '--json', '--no-record', '--broker', 'mqtt:/127.0.0.1']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^hsmon: malformed broker URL/);
  });

  it('an unreadable --ca: one line naming the file once, exit 2', async () => {
    const r = await hsmon(['monitor', '/dev/ttyNOPE', '--json', '--no-record', '--broker', 'mqtts://127.0.0.1:1', '--ca', join(dir, 'no-ca.pem')]);
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line).toMatch(/^hsmon: cannot read the CA file ".*no-ca\.pem" \(ENOENT\)$/);
    expect(line.split('no-ca.pem')).toHaveLength(2);
  });

  describe.runIf(hasSocat && MOSQUITTO && hasOpenssl)('against a real pty and mosquitto', () => {
    async function pty(): Promise<string> {
      const links = { a: join(dir, `board-${process.pid}-${Date.now()}`), b: join(dir, `host-${process.pid}-${Date.now()}`) };
      const pair = await createPtyPair(links);
      cleanups.push(() => pair.close());
      return links.b;
    }

    it('a TLS broker whose certificate the given CA did not sign: one line, exit 2', async () => {
      const openssl = (args: string[]): void => {
        const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
      };
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=other CA']);
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=localhost']);
      writeFileSync(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1\n');
      openssl(['x509', '-req', '-in', 'broker.csr', '-CA', 'other-ca.crt', '-CAkey', 'other-ca.key', '-CAcreateserial', '-out', 'broker.crt', '-days', '2', '-extfile', 'broker.ext']);
      chmodSync(dir, 0o755);
      for (const f of ['broker.crt', 'broker.key', 'other-ca.crt']) chmodSync(join(dir, f), 0o644);
      const port = await freePort();
      const conf = join(dir, 'tls.conf');
      writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `certfile ${join(dir, 'broker.crt')}`, `keyfile ${join(dir, 'broker.key')}`, 'persistence false', ''].join('\n'));
      chmodSync(conf, 0o644);
      const broker = await spawnMosquitto(conf, port);
      cleanups.push(() => stopProcess(broker));
      const r = await hsmon(['monitor', await pty(), '--json', '--no-record', '--broker', `mqtts://127.0.0.1:${port}`, '--ca', 'test/fixtures/pki/ca.crt']);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toMatch(new RegExp(`^hsmon: the broker's certificate at 127\\.0\\.0\\.1:${port} is not trusted \\([A-Z_]+\\) — pass the CA that signed it with --ca$`));
      expect(r.stdout).toBe('');
    });
  });

  describe.runIf(hasSocat)('a broker that is merely down', () => {
    it('is retried while the monitor runs; the line names the broker once', async () => {
      const links = { a: join(dir, `dev-${process.pid}`), b: join(dir, `tty-${process.pid}`) };
      const pair = await createPtyPair(links);
      cleanups.push(() => pair.close());
      const port = await freePort();
      const run = startHsmon(['monitor', links.b, '--json', '--no-record', '--broker', `mqtt://127.0.0.1:${port}`]);
      const child: ChildProcess = run.child;
      cleanups.push(() => void child.kill('SIGKILL'));
      await poll('the broker line', () => run.stderr().includes('refused'), { timeoutMs: 15_000, last: () => run.stderr() });
      child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.stderr().trim().split('\n')[0]).toBe(`hsmon: broker at 127.0.0.1:${port} refused the connection — is it running?`);
      expect(run.stderr()).not.toMatch(/broker broker/);
      expect(JSON.parse(run.stdout().trim().split('\n').at(-1)!).kind).toBe('summary');
    });
  });
});
