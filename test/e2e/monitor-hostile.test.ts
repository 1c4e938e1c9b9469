/**
 * `hsmon monitor PORT --json` over a socat pty pair when the board and the disk misbehave
 * (issue 15): a PSA line cut by a reset into the boot banner's row of `=` (which froze the
 * monitor at 100 % CPU and made it ignore SIGINT) and an RTC-less clock line (which killed it),
 * and a recording on a disk that fills up (which killed it with an uncaught ENOSPC).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair } from '../../src/io/pty.ts';
import { openSerialSource, type SerialSource } from '../../src/io/serial.ts';
import { HSMON, ROOT, hsmon } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';
import { paced } from '../helpers/uart.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped test/e2e/monitor-hostile.test.ts: socat is not installed (apt-get install socat)');

/** A 16 KiB tmpfs stands in for a full disk; mounting one needs root (CI runs as root). */
function mountTinyDisk(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]);
  if (r.status !== 0) console.log(`skipped the full-disk test of test/e2e/monitor-hostile.test.ts: cannot mount a tmpfs (${(r.stderr?.toString() || r.error?.message || '').trim()}); the injected-error tests in test/record/cast.test.ts still run`);
  return r.status === 0;
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});

let validate: ReturnType<Ajv2020['compile']>;
beforeAll(async () => {
  validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse((await hsmon(['schema'])).stdout));
});


interface Monitor {
  child: ChildProcess;
  stderr: () => string;
  lines: () => Record<string, unknown>[];
  dev: SerialSource;
}

async function startMonitor(dir: string, record: string[]): Promise<Monitor> {
  const links = { a: join(dir, 'board'), b: join(dir, 'ttyACM0') };
  const pair = await createPtyPair(links);
  const dev = await openSerialSource({ path: links.a, baud: 921600, reconnect: false });
  await dev.start({ data: () => undefined, status: () => undefined });
  cleanups.push(() => dev.close().then(() => pair.close()));
  const child = spawn(process.execPath, [HSMON, 'monitor', links.b, '--baud', '921600', '--json', ...record], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => void child.kill('SIGKILL'));
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  await poll('the monitor to open the port', () => stderr.includes('recording to'), { timeoutMs: 15_000 });
  return { child, stderr: () => stderr, lines, dev };
}

async function sigint(m: Monitor): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  m.child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => m.child.on('close', r));
  const lines = m.lines();
  for (const o of lines) if (!validate(o)) throw new Error(`not valid against hsmon schema: ${JSON.stringify(o).slice(0, 300)}`);
  expect(lines.at(-1)?.['kind']).toBe('summary');
  return { code, lines };
}

const LOG = readFileSync(join(ROOT, 'recordings/tls12_rsa_server_ok.log'));
const CUT = LOG.indexOf('client state: MBEDTLS_SSL_SERVER_HELLO');

describe.runIf(hasSocat)('hsmon monitor on hostile input over a pty', () => {
  it('a PSA line cut into a `=` banner and an RTC-less clock: the monitor follows the handshake after them and stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-monh-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const m = await startMonitor(dir, ['--record', join(dir, 'session.cast')]);
    await paced(m.dev, LOG.subarray(0, CUT));
    // A reset in the middle of `psa_generate_key…`: clear screen, home, the boot banner's rule.
    await paced(m.dev, Buffer.from(`psa_gene\x1b[2J\x1b[;H${'='.repeat(60)}\r\nssl_client.c:0724: |3| client hello, current time: 18446744073709551615\r\n`));
    await paced(m.dev, LOG.subarray(CUT));
    await poll('the handshake result after the hostile lines', () => m.lines().some((e) => e['kind'] === 'tls.handshake.result'), { timeoutMs: 10_000 });
    const { code, lines } = await sigint(m);
    expect(code).toBe(0);
    expect(m.stderr()).not.toMatch(/\n\s+at /);
    const summary = lines.at(-1)!;
    expect((summary['handshakes'] as { outcome: string }[])[0]!.outcome).toBe('ok');
    expect(lines.filter((e) => e['kind'] === 'tls.anomaly').map((e) => e['message'])).toContainEqual(expect.stringMatching(/^device clock is no date/));
  }, 60_000);

  it('a disk that fills up while recording: record.stopped, monitoring goes on, the file is valid up to its last complete event', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-monf-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const disk = join(dir, 'disk');
    if (!mountTinyDisk(disk)) return ctx.skip();
    cleanups.push(() => void spawnSync('umount', [disk]));
    const recording = join(disk, 'session.cast');
    const m = await startMonitor(dir, ['--record', recording]);
    // 17 KB of device text is about 25 KB of .cast: the 16 KiB disk fills during the handshake.
    await paced(m.dev, LOG);
    await poll('record.stopped', () => m.lines().some((e) => e['kind'] === 'record.stopped'), { timeoutMs: 10_000 });
    // The board connects again: the monitor follows it without a recording.
    await paced(m.dev, LOG);
    await poll('the second handshake result', () => m.lines().filter((e) => e['kind'] === 'tls.handshake.result').length === 2, { timeoutMs: 10_000 });
    const { code, lines } = await sigint(m);
    expect(code).toBe(0);
    const kinds = lines.map((e) => e['kind']);
    expect(lines.filter((e) => e['kind'] === 'record.stopped')).toMatchObject([{ path: recording, detail: 'disk full (ENOSPC)' }]);
    expect(kinds.lastIndexOf('tls.handshake.result')).toBeGreaterThan(kinds.indexOf('record.stopped'));
    expect((lines.at(-1)!['handshakes'] as { outcome: string }[]).map((h) => h.outcome)).toEqual(['ok', 'ok']);
    expect(m.stderr()).toContain(`hsmon: recording to ${recording} stopped: disk full (ENOSPC); monitoring goes on`);
    // The file: whole lines only, every one an event; a replay skips nothing.
    const text = readFileSync(recording, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const l of text.trimEnd().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
    const replay = await hsmon(['summarize', recording, '--json']);
    expect(replay.stderr).not.toMatch(/skipped|internal error|cannot read/);
    expect(JSON.parse(replay.stdout)['lines']).toBeGreaterThan(10);
  }, 60_000);
});
