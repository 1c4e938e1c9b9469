/**
 * `hsmon monitor PORT --json` against a socat pty pair standing in for the board's UART:
 * the monitor follows a device transcript at 921600 baud, survives the pty vanishing and
 * coming back (unplug/replug), prints the summary last on SIGINT and exits 0, and its
 * recording summarizes to the same verdict.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../src/io/pty.ts';
import { openSerialSource, type SerialSource } from '../../src/io/serial.ts';
import { HSMON, ROOT, hsmon } from '../helpers/cli.ts';
import { MOSQUITTO, freePort, spawnMosquitto, stopProcess } from '../helpers/mosquitto.ts';
import { writeFileSync } from 'node:fs';
import { poll } from '../helpers/poll.ts';
import { paced } from '../helpers/uart.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped test/e2e/monitor.test.ts: socat is not installed (apt-get install socat)');

const hasMosquitto = Boolean(MOSQUITTO) && spawnSync('mosquitto_pub', ['--help']).error === undefined;
if (!hasMosquitto) console.log('skipped the --broker test of test/e2e/monitor.test.ts: mosquitto/mosquitto_pub not installed (apt-get install mosquitto mosquitto-clients)');

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});


async function board(links: { a: string; b: string }): Promise<{ pair: PtyPair; dev: SerialSource }> {
  const pair = await createPtyPair(links);
  const dev = await openSerialSource({ path: links.a, baud: 921600, reconnect: false });
  await dev.start({ data: () => undefined, status: () => undefined });
  return { pair, dev };
}

function ndjson(child: ChildProcess): { lines: () => Record<string, unknown>[] } {
  let buf = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (buf += d));
  return { lines: () => buf.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe.runIf(hasSocat)('hsmon monitor through a socat pty pair', () => {
  it('follows the device, reconnects after unplug/replug, prints the summary last on SIGINT, and records it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-mon-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const links = { a: join(dir, 'board'), b: join(dir, 'ttyUSB0') };
    const recording = join(dir, 'session.cast');

    let b = await board(links);
    cleanups.push(() => b.dev.close().then(() => b.pair.close()));
    const child = spawn(process.execPath, [HSMON, 'monitor', links.b, '--baud', '921600', '--json', '--record', recording], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const out = ndjson(child);
    await poll('the monitor to open the port', () => stderr.includes('recording to'), { timeoutMs: 15_000 });

    // First half of a failing transcript, then the cable is pulled.
    const transcript = readFileSync(join(ROOT, 'recordings/tls12_server_untrusted.log'));
    const cut = transcript.indexOf('client state: MBEDTLS_SSL_SERVER_HELLO');
    await paced(b.dev, transcript.subarray(0, cut));
    await poll('the first state line', () => out.lines().some((e) => e['kind'] === 'tls.state'), { timeoutMs: 5000 });
    await b.dev.close();
    await b.pair.close();
    await poll('serial.disconnected', () => out.lines().some((e) => e['kind'] === 'serial.disconnected'), { timeoutMs: 5000 });

    // Replug: the same device path comes back; the rest of the transcript arrives.
    b = await board(links);
    await poll('serial.reconnected', () => out.lines().some((e) => e['kind'] === 'serial.reconnected'), { timeoutMs: 5000 });
    await paced(b.dev, transcript.subarray(cut));
    await poll('the handshake result', () => out.lines().some((e) => e['kind'] === 'tls.handshake.result'), { timeoutMs: 5000 });

    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    const lines = out.lines();
    const last = lines.at(-1)!;
    expect(last['kind']).toBe('summary');
    const [h] = last['handshakes'] as { outcome: string; failedAt: string; error: { hex: string } }[];
    expect(h).toMatchObject({ outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_CERTIFICATE', error: { hex: '-0x2700' } });
    const kinds = lines.map((e) => e['kind']);
    expect(kinds.indexOf('serial.disconnected')).toBeLessThan(kinds.indexOf('serial.reconnected'));

    // The recording holds every byte and gives the same verdict.
    expect(existsSync(recording)).toBe(true);
    const replayed = await hsmon(['summarize', recording, '--json']);
    expect(replayed.code).toBe(1);
    const s = JSON.parse(replayed.stdout);
    expect(s.lines).toBe(last['lines']);
    expect(s.handshakes[0]).toMatchObject({ outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_CERTIFICATE', error: { hex: '-0x2700' }, alert: { description: 48 } });
    expect(readFileSync(recording, 'utf8')).toMatch(/"m", "?serial disconnected/);
  }, 60_000);

  it('explains a port that is a regular file or missing in one line, exit 2', async () => {
    const missing = await hsmon(['monitor', '/dev/ttyNOPE9', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/no such device.*\/dev\/ttyNOPE9/);
    const file = await hsmon(['monitor', 'README.md', '--json']);
    expect(file.code).toBe(2);
    expect(file.stderr.trim().split('\n')).toHaveLength(1);
    expect(file.stderr).toMatch(/README\.md.*(not a (tty|serial)|regular file)/);
  });

  it.runIf(hasMosquitto)(
    'with --broker: a message published with mosquitto_pub appears in NDJSON and in summary.mqtt as source broker, and its recording replays both sides',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hsmon-mqtt-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const port = await freePort();
      const conf = join(dir, 'mosquitto.conf');
      writeFileSync(conf, `listener ${port} 127.0.0.1\npersistence false\nallow_anonymous true\n`);
      const broker = await spawnMosquitto(conf, port);
      cleanups.push(() => stopProcess(broker));
      const links = { a: join(dir, 'board'), b: join(dir, 'ttyACM0') };
      const b = await board(links);
      cleanups.push(() => b.dev.close().then(() => b.pair.close()));
      const recording = join(dir, 'both-sides.cast');
      const child = spawn(process.execPath, [HSMON, 'monitor', links.b, '--baud', '921600', '--json', '--record', recording, '--broker', `mqtt://127.0.0.1:${port}`, '--topic', 'ledstatus'],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      cleanups.push(() => void child.kill('SIGKILL'));
      const out = ndjson(child);
      await poll('the broker connection', () => out.lines().some((e) => e['kind'] === 'broker.status' && e['state'] === 'connected'), { timeoutMs: 15_000 });

      // The device's side: its MQTT lines (test/fixtures/mqtt/device-mqtt.log, built from the Infineon formats).
      await paced(b.dev, readFileSync(join(ROOT, 'test/fixtures/mqtt/device-mqtt.log')));
      const r = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'ledstatus', '-m', 'TURN OFF', '-q', '1'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      // Both sides before the stop: under load the port (read on its own thread) may still be
      // opening when the broker's message arrives, and the device's lines follow it. The fixture has
      // four device messages: grep -c "Publisher: Publishing\|Incoming MQTT message received" → 4.
      await poll('the broker message and the device lines', () =>
        out.lines().some((e) => e['kind'] === 'mqtt.message' && e['source'] === 'broker') &&
        out.lines().filter((e) => e['kind'] === 'mqtt.message' && e['source'] === 'device').length === 4, { timeoutMs: 15_000 });

      child.kill('SIGINT');
      expect(await new Promise((res) => child.on('close', res))).toBe(0);
      const msg = out.lines().find((e) => e['kind'] === 'mqtt.message' && e['source'] === 'broker');
      expect(msg).toMatchObject({ topic: 'ledstatus', payload: 'TURN OFF', qos: 1 });
      const summary = out.lines().at(-1)!;
      const mqtt = summary['mqtt'] as { connected: boolean; subscriptions: { topic: string }[]; messages: { source: string; topic: string; payload: string }[] };
      expect(mqtt.messages).toContainEqual(expect.objectContaining({ source: 'broker', topic: 'ledstatus', payload: 'TURN OFF' }));
      expect(mqtt.messages.some((m) => m.source === 'device')).toBe(true);
      expect(mqtt.subscriptions).toContainEqual({ topic: 'ledstatus' });

      // The recording holds the broker's side as an asciicast marker: a replay of it has the
      // broker message beside the device's, and asciinema still reads the file.
      const replayed = await hsmon(['summarize', recording, '--json']);
      // exit 3: the device transcript has MQTT lines and no handshake (README, exit codes)
      expect(replayed.code, replayed.stderr).toBe(3);
      const again = (JSON.parse(replayed.stdout) as { mqtt: typeof mqtt }).mqtt;
      expect(again.messages).toContainEqual(expect.objectContaining({ source: 'broker', topic: 'ledstatus', payload: 'TURN OFF' }));
      expect(again.messages.some((m) => m.source === 'device')).toBe(true);
      // asciinema cat opens /dev/tty: under script(1), as test/record/cast.test.ts runs it.
      if (spawnSync('asciinema', ['--version']).status === 0 && spawnSync('script', ['--version']).status === 0) {
        const cat = spawnSync('script', ['-qec', `asciinema cat ${recording}`, '/dev/null'], { encoding: 'utf8' });
        expect(cat.status, cat.stdout).toBe(0);
        expect(cat.stdout).toContain('MQTT');
      } else console.log('asciinema or script(1) not installed: the check that asciinema reads the recording was not made');
    },
    30_000,
  );
});
