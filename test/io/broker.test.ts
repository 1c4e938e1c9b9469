import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { checkBrokerUrl, connectBroker, type BrokerConnection, type BrokerMessageIn, type BrokerStatus } from '../../src/io/broker.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/io/embedded-broker.ts';
import { poll } from '../helpers/poll.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

function watch(url: string, topics: string[], extra: Partial<Parameters<typeof connectBroker>[0]> = {}) {
  const statuses: BrokerStatus[] = [];
  const messages: BrokerMessageIn[] = [];
  const conn: BrokerConnection = connectBroker({ url, topics, reconnectPeriodMs: 200, env: {}, ...extra }, {
    message: (m) => messages.push(m),
    status: (s) => statuses.push(s),
  });
  cleanups.push(() => conn.close());
  return { conn, statuses, messages };
}

async function embedded(port = 0): Promise<EmbeddedBroker> {
  const b = await startEmbeddedBroker({ port });
  cleanups.push(() => b.close());
  return b;
}

/**
 * Waits until the subscription is active (SUBACK): publishes a probe on `topic` until it comes
 * back, then a last one (delivered in order after every earlier probe) and forgets them all.
 */
async function subscribed(w: ReturnType<typeof watch>, b: EmbeddedBroker, topic: string): Promise<void> {
  await poll(`the subscription to take effect (a probe on ${topic} comes back)`, async () => {
    await b.publish(topic, 'probe');
    return w.messages.some((m) => m.topic === topic);
  }, { timeoutMs: 8000, intervalMs: 50 });
  await b.publish(topic, 'last probe');
  await poll(`the last probe on ${topic}`, () => w.messages.some((m) => m.topic === topic && Buffer.from(m.payload).toString() === 'last probe'), { timeoutMs: 8000 });
  w.messages.length = 0;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('checkBrokerUrl', () => {
  it.each([
    ['mqtt://localhost', { ok: true, host: 'localhost', port: 1883, address: 'localhost:1883' }],
    ['mqtts://broker.example:8884', { ok: true, protocol: 'mqtts', port: 8884 }],
    ['wss://b.example/mqtt', { ok: true, port: 443, path: '/mqtt' }],
  ])('%s is fine', (url, want) => expect(checkBrokerUrl(url)).toMatchObject(want));
  it.each([
    ['localhost:1883', /protocol "localhost:" is not one of mqtt:, mqtts:, ws:, wss:/],
    ['http://localhost', /protocol "http:"/],
    ['mqtt//localhost', /malformed broker URL "mqtt\/\/localhost"/],
    ['mqtt://', /malformed broker URL "mqtt:\/\/": no host/],
    ['mqtt://bob:s3cret@localhost', /must not carry credentials/],
  ])('%s is refused with one line', (url, re) => {
    const r = checkBrokerUrl(url);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(re);
      expect(r.error).not.toContain('\n');
      expect(r.error).not.toContain('s3cret');
    }
  });
});

describe('connectBroker against aedes in-process', () => {
  it('reports connected and delivers messages on the subscribed filters with topic, payload, QoS, retain', async () => {
    const b = await embedded();
    let clock = 1000;
    const w = watch(b.url, ['ledstatus', 'dev/+/cfg'], { now: () => clock++ });
    await poll('connected', () => w.statuses.find((s) => s.state === 'connected'), { timeoutMs: 8000 });
    expect(w.statuses[0]).toEqual({ state: 'connecting', detail: `connecting to broker at 127.0.0.1:${b.port}` });
    await subscribed(w, b, 'dev/probe/cfg');
    await b.publish('ledstatus', 'TURN ON', { qos: 1 });
    await b.publish('dev/7/cfg', new Uint8Array([1, 2, 255]), { qos: 0 });
    await b.publish('other', 'not for us');
    await poll('two messages', () => w.messages.length >= 2, { timeoutMs: 8000 });
    // Nothing more comes: 'other' is outside the filters (an absence needs a window).
    await new Promise((r) => setTimeout(r, 100));
    expect(w.messages.map((m) => [m.topic, Buffer.from(m.payload).toString('hex'), m.qos, m.retain])).toEqual([
      ['ledstatus', Buffer.from('TURN ON').toString('hex'), 1, false],
      ['dev/7/cfg', '0102ff', 0, false],
    ]);
    expect(w.messages[0]!.t).toBeGreaterThanOrEqual(1000);
  });

  it('publishes a preset and sees it come back on its own subscription', async () => {
    const b = await embedded();
    const w = watch(b.url, ['ledstatus']);
    await poll('connected', () => w.statuses.find((s) => s.state === 'connected'), { timeoutMs: 8000 });
    await subscribed(w, b, 'ledstatus');
    await w.conn.publish('ledstatus', 'TURN OFF', { qos: 1, retain: false });
    const m = await poll('echo', () => w.messages[0], { timeoutMs: 8000 });
    expect(Buffer.from(m.payload).toString()).toBe('TURN OFF');
    await expect(w.conn.publish('a/#', 'x')).rejects.toThrow('a topic name has no wildcards');
  });

  it('malformed URL: one error line, no connection attempt', async () => {
    const w = watch('ftp://localhost', ['#']);
    await poll('the error status', () => w.statuses.length > 0);
    expect(w.statuses).toEqual([{ state: 'error', detail: 'malformed broker URL: protocol "ftp:" is not one of mqtt:, mqtts:, ws:, wss:' }]);
    await expect(w.conn.publish('t', 'x')).rejects.toThrow('malformed broker URL');
  });

  it('bad topic filter and unreadable CA file: one error line each', async () => {
    const a = watch('mqtt://127.0.0.1:1', ['a/#/b']);
    const c = watch('mqtts://127.0.0.1:1', ['#'], { ca: '/nonexistent/ca.pem' });
    await poll('both error statuses', () => a.statuses.length > 0 && c.statuses.length > 0);
    expect(a.statuses).toEqual([{ state: 'error', detail: expect.stringContaining('invalid topic filter "a/#/b"') }]);
    expect(c.statuses).toEqual([{ state: 'error', detail: 'cannot read the CA file "/nonexistent/ca.pem" (ENOENT)' }]);
  });

  it('unreachable broker: offline with "refused the connection — is it running?", no repeated lines while it retries', async () => {
    const port = await freePort();
    const w = watch(`mqtt://127.0.0.1:${port}`, ['#']);
    await poll('offline', () => w.statuses.find((s) => s.state === 'offline'), { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 700)); // a few reconnect periods: no new line in them (an absence needs a window)
    expect(w.statuses).toEqual([
      { state: 'connecting', detail: `connecting to broker at 127.0.0.1:${port}` },
      { state: 'offline', detail: `broker at 127.0.0.1:${port} refused the connection — is it running?` },
    ]);
    await expect(w.conn.publish('t', 'x')).rejects.toThrow(/^not connected to the broker at 127\.0\.0\.1:\d+: broker at .* refused the connection/);
  });

  it('broker goes away: reconnecting with a clear detail, then connected again when it returns on the same port', async () => {
    const b = await embedded();
    const w = watch(b.url, ['t']);
    await poll('connected', () => w.statuses.find((s) => s.state === 'connected'), { timeoutMs: 8000 });
    await b.close();
    await poll('reconnecting', () => w.statuses.find((s) => s.state === 'reconnecting'), { timeoutMs: 8000 });
    expect(w.statuses.find((s) => s.state === 'reconnecting')!.detail).toBe(`lost the connection to the broker at 127.0.0.1:${b.port} — reconnecting`);
    const again = await embedded(b.port);
    const n = w.statuses.length;
    await poll('connected again', () => w.statuses.slice(n).find((s) => s.state === 'connected'), { timeoutMs: 8000 });
    await subscribed(w, again, 't');
    await again.publish('t', 'back');
    const m = await poll('message after reconnect', () => w.messages[0], { timeoutMs: 8000 });
    expect(Buffer.from(m.payload).toString()).toBe('back');
  });

  it('wrong credentials: one error line naming the variables, never the password, and no retry loop', async () => {
    const broker = await Aedes.createBroker();
    broker.authenticate = (_client, username, password, done) => {
      const ok = username === 'dev' && password?.toString() === 'right';
      if (ok) return done(null, true);
      const err = Object.assign(new Error('bad'), { returnCode: 4 });
      return done(err as never, false);
    };
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(async () => { await new Promise((r) => broker.close(() => r(undefined))); await new Promise((r) => server.close(r)); });
    const port = (server.address() as AddressInfo).port;
    const w = watch(`mqtt://127.0.0.1:${port}`, ['#'], { env: { HSMON_MQTT_USERNAME: 'dev', HSMON_MQTT_PASSWORD: 'wrong-pw' }, allowPlaintextCredentials: true });
    await poll('error', () => w.statuses.find((s) => s.state === 'error'), { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 600));
    expect(w.statuses.slice(1)).toEqual([
      { state: 'error', detail: `broker at 127.0.0.1:${port} rejected the credentials (CONNACK 4: Bad username or password) — check HSMON_MQTT_USERNAME / HSMON_MQTT_PASSWORD` },
    ]);
    expect(JSON.stringify(w.statuses)).not.toContain('wrong-pw');
    // The right ones connect.
    const ok = watch(`mqtt://127.0.0.1:${port}`, ['#'], { env: { HSMON_MQTT_USERNAME: 'dev', HSMON_MQTT_PASSWORD: 'right' }, allowPlaintextCredentials: true });
    await poll('connected with the right credentials', () => ok.statuses.find((s) => s.state === 'connected'), { timeoutMs: 8000 });
  });

  it('persistent session: QoS 1 messages published while hsmon is cut off arrive after it reconnects (a clean session loses them)', async () => {
    const got: Record<string, number> = {};
    for (const persistent of [true, false]) {
      const broker = await Aedes.createBroker();
      const server = createServer(broker.handle);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      cleanups.push(async () => { await new Promise((r) => broker.close(() => r(undefined))); await new Promise((r) => server.close(r)); });
      const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const id = `hsmon-test-${persistent}`;
      let subscribed = 0;
      broker.on('subscribe', (_subs, client) => {
        if (client?.id === id) subscribed++;
      });
      const w = watch(url, ['bench/#'], { clientId: id, persistent, reconnectPeriodMs: 300 });
      await poll('the subscription at the broker', () => subscribed >= 1, { timeoutMs: 8000 });
      // The broker drops hsmon's connection; while hsmon waits to reconnect, a device publishes.
      (broker as unknown as { clients: Record<string, { close(): void }> }).clients[id]!.close();
      await poll('reconnecting', () => w.statuses.some((s) => s.state === 'reconnecting'), { timeoutMs: 8000 });
      const pub = watch(url, [], { clientId: `pub-${persistent}` });
      await poll('publisher connected', () => pub.statuses.some((s) => s.state === 'connected'), { timeoutMs: 8000 });
      for (let i = 0; i < 5; i++) await pub.conn.publish('bench/seq', String(i), { qos: 1 });
      await poll('hsmon back', () => w.statuses.filter((s) => s.state === 'connected').length >= 2, { timeoutMs: 8000 });
      // A probe published after the reconnect: once it is here, anything queued before it is too.
      await poll('subscribed again', () => subscribed >= 2, { timeoutMs: 8000 });
      await pub.conn.publish('bench/probe', 'x', { qos: 1 });
      await poll('the probe', () => w.messages.some((m) => m.topic === 'bench/probe'), { timeoutMs: 8000 });
      got[String(persistent)] = w.messages.filter((m) => m.topic === 'bench/seq').length;
    }
    expect(got).toEqual({ true: 5, false: 0 });
  });

  it('credentials over mqtt:// without --allow-plaintext-credentials: refused before any packet, one line', async () => {
    let connects = 0;
    const broker = await Aedes.createBroker();
    broker.on('client', () => connects++);
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(async () => { await new Promise((r) => broker.close(() => r(undefined))); await new Promise((r) => server.close(r)); });
    const port = (server.address() as AddressInfo).port;
    const w = watch(`mqtt://127.0.0.1:${port}`, ['#'], { env: { HSMON_MQTT_PASSWORD: 'pw-123456' } });
    await poll('error', () => w.statuses.find((s) => s.state === 'error'), { timeoutMs: 8000 });
    expect(w.statuses).toHaveLength(1);
    expect(w.statuses[0]!.detail).toMatch(/cleartext over mqtt:\/\/: use mqtts:\/\/, or pass --allow-plaintext-credentials/);
    expect(JSON.stringify(w.statuses)).not.toContain('pw-123456');
    // TLS options with a plaintext URL: refused too, never a downgrade.
    const t = watch(`mqtt://127.0.0.1:${port}`, ['#'], { ca: '/dev/null' });
    await poll('error', () => t.statuses.find((s) => s.state === 'error'), { timeoutMs: 8000 });
    expect(t.statuses[0]!.detail).toMatch(/^--ca needs a TLS broker URL \(mqtts:\/\/\)/);
    expect(connects).toBe(0);
  });
});
