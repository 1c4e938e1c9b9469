// The broker side against a real broker: mosquitto from Debian on loopback (installed by .ci/run).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOSQUITTO, freePort, spawnMosquitto, stopProcess as stop } from '../helpers/mosquitto.ts';
import { connectBroker, type BrokerMessageIn, type BrokerStatus } from '../../src/io/broker.ts';
import { MqttTracker, brokerMessageEvent } from '../../src/mqtt/summary.ts';
import { poll } from '../helpers/poll.ts';

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = !MOSQUITTO ? 'mosquitto' : !which('mosquitto_pub') ? 'mosquitto_pub' : !which('mosquitto_passwd') ? 'mosquitto_passwd' : !which('openssl') ? 'openssl' : null;
if (missing) console.warn(`test/e2e/mosquitto.test.ts skipped: ${missing} is not installed (apt-get install mosquitto mosquitto-clients openssl)`);

let dir = '';
const running = new Set<ChildProcess>();
const conns: { close(): Promise<void> }[] = [];

async function startMosquitto(name: string, port: number, lines: string[]): Promise<ChildProcess> {
  const proc = await spawnMosquitto(file(`${name}.conf`, [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', ...lines, ''].join('\n')), port);
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  return proc;
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, 0o644); // mosquitto started as root drops to its own user and must still read these
  return p;
}

function pub(args: string[]): void {
  const r = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', ...args], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`mosquitto_pub failed: ${r.stderr}`);
}

function watch(opts: Omit<Parameters<typeof connectBroker>[0], 'reconnectPeriodMs'>) {
  const statuses: BrokerStatus[] = [];
  const messages: BrokerMessageIn[] = [];
  const conn = connectBroker({ reconnectPeriodMs: 250, env: {}, ...opts }, { message: (m) => messages.push(m), status: (s) => statuses.push(s) });
  conns.push(conn);
  return { conn, statuses, messages };
}

/**
 * Waits until the subscription is active (SUBACK): publishes a probe on `topic` until it comes
 * back, then forgets the probes, so the test sees only its own messages.
 */
async function subscribed(w: ReturnType<typeof watch>, topic: string, pubArgs: string[]): Promise<void> {
  await poll(`the subscription to take effect (a probe on ${topic} comes back)`, () => {
    pub([...pubArgs, '-t', topic, '-m', 'probe']);
    return w.messages.some((m) => m.topic === topic);
  }, { intervalMs: 100 });
  // Probes sent before that one may still be on their way: the broker delivers in the order it
  // received them, so once a last one is back, every earlier one that will come has come.
  pub([...pubArgs, '-t', topic, '-m', 'last probe']);
  await poll(`the last probe on ${topic}`, () => w.messages.some((m) => m.topic === topic && Buffer.from(m.payload).toString() === 'last probe'));
  w.messages.length = 0;
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

describe.skipIf(missing !== null)('broker side against mosquitto', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hsmon-mosq-'));
    chmodSync(dir, 0o755);
    // A test CA, a server certificate for 127.0.0.1 and a client certificate, all EC P-256.
    const ext = file('server.ext', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=hsmon e2e CA']);
    for (const who of ['server', 'client']) {
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'hsmon-e2e-client'}`]);
      openssl(['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, '-days', '2', ...(who === 'server' ? ['-extfile', ext] : [])]);
    }
    for (const f of ['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key']) chmodSync(join(dir, f), 0o644);
  });

  afterEach(async () => {
    while (conns.length) await conns.pop()!.close();
    for (const p of [...running]) await stop(p);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a message published with mosquitto_pub arrives with its topic and payload, and lands in summary.mqtt as source broker', async () => {
    const port = await freePort();
    await startMosquitto('plain', port, ['allow_anonymous true']);
    const w = watch({ url: `mqtt://127.0.0.1:${port}`, topics: ['hsmon/#'] });
    await poll('connected', () => w.statuses.find((s) => s.state === 'connected'));
    await subscribed(w, 'hsmon/probe', ['-p', String(port)]);
    pub(['-p', String(port), '-t', 'hsmon/led', '-m', 'TURN ON', '-q', '1']);
    pub(['-p', String(port), '-t', 'elsewhere', '-m', 'no']);
    const m = await poll('message', () => w.messages[0]);
    expect([m.topic, Buffer.from(m.payload).toString(), m.qos, m.retain]).toEqual(['hsmon/led', 'TURN ON', 1, false]);
    const tracker = new MqttTracker();
    tracker.broker(m);
    expect(tracker.summary().messages).toEqual([{ source: 'broker', direction: null, topic: 'hsmon/led', qos: 1, payload: 'TURN ON', line: null }]);
    expect(brokerMessageEvent(m)).toMatchObject({ kind: 'mqtt.message', source: 'broker', topic: 'hsmon/led', payload: 'TURN ON' });
    // Nothing more comes: 'elsewhere' is outside the subscription (an absence needs a window).
    await new Promise((r) => setTimeout(r, 100));
    expect(w.messages).toHaveLength(1);
  });

  it('stopping mosquitto gives a clear status; restarting it on the same port reconnects and messages flow again', async () => {
    const port = await freePort();
    const first = await startMosquitto('restart', port, ['allow_anonymous true']);
    const w = watch({ url: `mqtt://127.0.0.1:${port}`, topics: ['t/#'] });
    await poll('connected', () => w.statuses.find((s) => s.state === 'connected'));
    await stop(first);
    await poll('refused while the broker is down', () => w.statuses.find((s) => s.detail?.includes('refused the connection — is it running?')));
    const down = w.statuses.slice(w.statuses.findIndex((s) => s.state === 'connected') + 1);
    expect(down[0]).toEqual({ state: 'reconnecting', detail: `lost the connection to the broker at 127.0.0.1:${port} — reconnecting` });
    expect(down.every((s) => s.state === 'reconnecting' || s.state === 'offline')).toBe(true);
    await startMosquitto('restart', port, ['allow_anonymous true']);
    const n = w.statuses.length;
    await poll('connected again', () => w.statuses.slice(n).find((s) => s.state === 'connected'));
    await subscribed(w, 't/probe', ['-p', String(port)]);
    pub(['-p', String(port), '-t', 't/x', '-m', 'back']);
    const m = await poll('message after restart', () => w.messages[0]);
    expect(Buffer.from(m.payload).toString()).toBe('back');
  });

  it('mqtts with require_certificate: the client certificate options connect; without them, one clear line', async () => {
    const port = await freePort();
    await startMosquitto('mtls', port, [
      'allow_anonymous true',
      `cafile ${join(dir, 'ca.crt')}`,
      `certfile ${join(dir, 'server.crt')}`,
      `keyfile ${join(dir, 'server.key')}`,
      'require_certificate true',
    ]);
    const url = `mqtts://127.0.0.1:${port}`;
    const good = watch({ url, topics: ['secure/#'], ca: join(dir, 'ca.crt'), cert: join(dir, 'client.crt'), key: join(dir, 'client.key') });
    await poll('mTLS connected', () => good.statuses.find((s) => s.state === 'connected'));
    await subscribed(good, 'secure/probe', ['-p', String(port), '--cafile', join(dir, 'ca.crt'), '--cert', join(dir, 'client.crt'), '--key', join(dir, 'client.key')]);
    pub(['-p', String(port), '--cafile', join(dir, 'ca.crt'), '--cert', join(dir, 'client.crt'), '--key', join(dir, 'client.key'), '-t', 'secure/x', '-m', '{"ok":true}']);
    const m = await poll('message over mTLS', () => good.messages[0]);
    expect([m.topic, Buffer.from(m.payload).toString()]).toEqual(['secure/x', '{"ok":true}']);

    const noCert = watch({ url, topics: ['#'], ca: join(dir, 'ca.crt') });
    const s = await poll('rejection without a client certificate', () => noCert.statuses.find((x) => x.state === 'error' || x.state === 'offline'));
    expect(s.detail).toMatch(new RegExp(`^broker at 127\\.0\\.0\\.1:${port} (requires a client certificate — pass --cert and --key|closed the TLS connection — it may require a client certificate \\(--cert, --key\\)|failed the TLS handshake — it may require a client certificate \\(--cert, --key\\).*)$`));

    // The project's fixture CA did not sign this server.
    const wrongCa = watch({ url, topics: ['#'], ca: 'test/fixtures/pki/ca.crt', cert: join(dir, 'client.crt'), key: join(dir, 'client.key') });
    const w2 = await poll('untrusted server certificate', () => wrongCa.statuses.find((x) => x.state === 'error'));
    expect(w2.detail).toMatch(/^the broker's certificate at 127\.0\.0\.1:\d+ is not trusted \([A-Z_]+\) — pass the CA that signed it with --ca$/);
  });

  it('wrong credentials: one line; the right ones from the environment connect; neither password is ever shown', async () => {
    const port = await freePort();
    const pw = join(dir, 'passwd');
    const r = spawnSync('mosquitto_passwd', ['-b', '-c', pw, 'bench', 'correct-horse'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    chmodSync(pw, 0o644);
    await startMosquitto('auth', port, ['allow_anonymous false', `password_file ${pw}`]);
    const bad = watch({ url: `mqtt://127.0.0.1:${port}`, topics: ['#'], env: { HSMON_MQTT_USERNAME: 'bench', HSMON_MQTT_PASSWORD: 'wrong-battery' }, allowPlaintextCredentials: true });
    await poll('rejected', () => bad.statuses.find((s) => s.state === 'error'));
    await new Promise((r) => setTimeout(r, 600));
    expect(bad.statuses.slice(1)).toEqual([{ state: 'error', detail: expect.stringMatching(new RegExp(`^broker at 127\\.0\\.0\\.1:${port} rejected the credentials \\(CONNACK 5: Not authorized\\) — check HSMON_MQTT_USERNAME / HSMON_MQTT_PASSWORD$`)) }]);
    const none = watch({ url: `mqtt://127.0.0.1:${port}`, topics: ['#'] });
    await poll('rejected without credentials', () => none.statuses.find((s) => s.state === 'error'));
    expect(none.statuses.at(-1)!.detail).toContain('set HSMON_MQTT_USERNAME and HSMON_MQTT_PASSWORD');
    const good = watch({ url: `mqtt://127.0.0.1:${port}`, topics: ['#'], env: { HSMON_MQTT_USERNAME: 'bench', HSMON_MQTT_PASSWORD: 'correct-horse' }, allowPlaintextCredentials: true });
    await poll('connected with the right credentials', () => good.statuses.find((s) => s.state === 'connected'));
    expect(JSON.stringify([bad.statuses, good.statuses])).not.toMatch(/wrong-battery|correct-horse/);
  });

  it('unreachable broker and malformed URL: one clear line each', async () => {
    const port = await freePort();
    const gone = watch({ url: `mqtt://127.0.0.1:${port}`, topics: ['#'] });
    await poll('offline', () => gone.statuses.find((s) => s.state === 'offline'));
    await new Promise((r) => setTimeout(r, 700));
    expect(gone.statuses.slice(1)).toEqual([{ state: 'offline', detail: `broker at 127.0.0.1:${port} refused the connection — is it running?` }]);
    const bad = watch({ url: 'mqtt:/127.0.0.1', topics: ['#'] });
    await poll('a status', () => bad.statuses.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(bad.statuses).toHaveLength(1);
    expect(bad.statuses[0]!.state).toBe('error');
    expect(bad.statuses[0]!.detail).toMatch(/^malformed broker URL/);
  });
});
