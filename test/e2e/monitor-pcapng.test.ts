/**
 * `hsmon monitor PORT --json --pcapng OUT --keylog KEYS` against a socat pty pair standing in
 * for the board: the capture is on disk while the monitor runs (tshark reads the handshake
 * from the file before the device has finished), each NDJSON tls.record names its packet, and
 * after SIGINT the whole session decrypts in tshark.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair } from '../../src/io/pty.ts';
import { openSerialSource } from '../../src/io/serial.ts';
import { HSMON, ROOT } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';
import { paced } from '../helpers/uart.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
const hasTshark = spawnSync('tshark', ['-v']).status === 0;
if (!hasSocat || !hasTshark) console.log(`skipped test/e2e/monitor-pcapng.test.ts: ${hasSocat ? 'tshark' : 'socat'} is not installed (apt-get install socat tshark)`);

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});


function handshakeTypes(file: string): number[] {
  const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'tls.handshake.type'], { encoding: 'utf8' });
  return r.stdout.split('\n').flatMap((l) => (l.trim() ? l.split(',').map(Number) : []));
}

describe.runIf(hasSocat && hasTshark)('hsmon monitor --pcapng through a socat pty pair', () => {
  it('writes the capture as records arrive, numbers the records, and decrypts after SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-pcap-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const links = { a: join(dir, 'board'), b: join(dir, 'ttyUSB0') };
    const pair = await createPtyPair(links);
    const dev = await openSerialSource({ path: links.a, baud: 921600, reconnect: false });
    await dev.start({ data: () => undefined, status: () => undefined });
    cleanups.push(() => dev.close().then(() => pair.close()));
    const pcap = join(dir, 'live.pcapng');
    const keys = join(dir, 'live.keys');

    const child = spawn(process.execPath, [HSMON, 'monitor', links.b, '--baud', '921600', '--json', '--no-record', '--pcapng', pcap, '--keylog', keys], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    let stderr = '';
    let stdout = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    await poll('the monitor to open the capture', () => stderr.includes('will hold the TLS session keys'), { timeoutMs: 15_000, last: () => stderr });
    expect(statSync(pcap).mode & 0o777).toBe(0o600);

    // The handshake up to `<= handshake` (grep -n '<= handshake' recordings/tls13_gcm_debug4_ok.log: line 778).
    const transcript = readFileSync(join(ROOT, 'recordings/tls13_gcm_debug4_ok.log'));
    const cut = transcript.indexOf('\n', transcript.indexOf('|2| <= handshake')) + 1;
    await paced(dev, transcript.subarray(0, cut));
    // Still running: the file already holds the handshake, decrypted (both Finished). The types:
    // ClientHello, then grep 'handshake message: msglen' (2, 8, 11, 15, 20), then the client's Finished.
    await poll('the Finished messages in the live capture', () => handshakeTypes(pcap).filter((t) => t === 20).length === 2, { timeoutMs: 10_000, last: () => handshakeTypes(pcap) });
    expect(handshakeTypes(pcap)).toEqual([1, 2, 8, 11, 15, 20, 20]);
    expect(child.exitCode).toBeNull();

    await paced(dev, transcript.subarray(cut));
    await poll('the session tickets after the handshake', () => handshakeTypes(pcap).filter((t) => t === 4).length === 2, { timeoutMs: 10_000, last: () => handshakeTypes(pcap) });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);

    const events = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.at(-1)!['kind']).toBe('summary');
    const records = events.filter((e) => e['kind'] === 'tls.record');
    // grep -c 'output record: \|input record: ' recordings/tls13_gcm_debug4_ok.log
    expect(records).toHaveLength(14);
    const frames = spawnSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.number', '-Y', 'tls'], { encoding: 'utf8' }).stdout.trim().split('\n').map(Number);
    expect(records.map((r) => r['packet'])).toEqual(frames);
    const get = spawnSync('tshark', ['-r', pcap, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.method'], { encoding: 'utf8' });
    expect(get.stdout.trim()).toBe('GET');
    // The same four lines as the server's key log (its EXPORTER_SECRET aside: mbedTLS prints none).
    const server = readFileSync(join(ROOT, 'recordings/tls13_gcm_debug4_ok.server.keylog'), 'utf8').split('\n').filter((l) => /^[A-Z]/.test(l) && !l.startsWith('EXPORTER_SECRET'));
    expect(readFileSync(keys, 'utf8').trim().split('\n').sort()).toEqual(server.sort());
  }, 60_000);
});
