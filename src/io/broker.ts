/**
 * hsmon's own view of the broker: an mqtt.js client subscribed to the user's topic filters,
 * reconnecting on its own, with every failure turned into one line a developer can act on.
 * Credentials come only from HSMON_MQTT_USERNAME / HSMON_MQTT_PASSWORD and never appear in
 * a status line, so they cannot end up in a recording, NDJSON or a summary.
 */
import { readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { isIP } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { isValidTopicFilter } from '../mqtt/topic-filter.ts';
import { checkBrokerSecurity } from '../mqtt/broker-security.ts';
import type { BrokerStatus } from '../contracts/snapshot.ts';

export interface BrokerOptions {
  /** mqtt://, mqtts://, ws:// or wss://host[:port] (no credentials in it). */
  url: string;
  /** Topic filters to subscribe to (`+` / `#` allowed). */
  topics: string[];
  /** File paths of the CA bundle, client certificate and client key (PEM). */
  ca?: string;
  cert?: string;
  key?: string;
  /**
   * A client id that stays the same across runs (`stableClientId`): with it the broker keeps a
   * persistent session (clean: false) and queues QoS 1/2 messages while hsmon is away.
   */
  clientId?: string;
  /** Persistent session (clean: false). Default: true when `clientId` is given. */
  persistent?: boolean;
  /** --allow-plaintext-credentials: send HSMON_MQTT_* over mqtt:// or ws:// all the same. */
  allowPlaintextCredentials?: boolean;
  /** Clock for message times: ms since session start. Default Date.now. */
  now?: () => number;
  /** First delay before reconnecting; it doubles on each failed attempt up to `maxReconnectMs`. Default 100 ms. */
  reconnectPeriodMs?: number;
  /** Longest delay between reconnection attempts. Default 5000 ms. */
  maxReconnectMs?: number;
  /** How long to wait for TCP + TLS + CONNACK. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Environment to read credentials from (tests). Default process.env. */
  env?: Record<string, string | undefined>;
}

export interface BrokerMessageIn {
  topic: string;
  payload: Uint8Array;
  qos: number;
  retain: boolean;
  t: number;
}

export type { BrokerState, BrokerStatus } from '../contracts/snapshot.ts';

export interface BrokerHandlers {
  message(m: BrokerMessageIn): void;
  status(s: BrokerStatus): void;
}

export interface BrokerConnection {
  /** `host:port` of the broker (for titles; never holds credentials). */
  readonly address: string;
  publish(topic: string, payload: string | Uint8Array, opts?: { qos?: 0 | 1 | 2; retain?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_PORTS: Record<string, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

export type CheckedUrl =
  | { ok: true; protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss'; host: string; port: number; path: string; address: string }
  | { ok: false; error: string };

/** Check a broker URL before connecting; the error is one line fit for the status bar. */
export function checkBrokerUrl(url: string): CheckedUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, error: `malformed broker URL "${url}": expected mqtt[s]://host[:port] or ws[s]://host[:port]/path` };
  }
  const protocol = u.protocol.replace(/:$/, '');
  if (!(protocol in DEFAULT_PORTS)) {
    return { ok: false, error: `malformed broker URL: protocol "${protocol}:" is not one of mqtt:, mqtts:, ws:, wss:` };
  }
  if (u.username || u.password) {
    // Printing the URL back would leak the password; say so without echoing it.
    return { ok: false, error: 'broker URL must not carry credentials: set HSMON_MQTT_USERNAME and HSMON_MQTT_PASSWORD instead' };
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return { ok: false, error: `malformed broker URL "${url}": no host` };
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[protocol]!;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { ok: true, protocol: protocol as 'mqtt', host, port, path: u.pathname === '/' ? '' : u.pathname, address };
}

/**
 * The same id for the same user, machine, device and broker on every run, so the broker keeps
 * hsmon's persistent session across hsmon restarts too; two monitors of different ports do not
 * take over each other's session.
 */
export function stableClientId(device: string, url: string): string {
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return `hsmon-${createHash('sha256').update(`${user}@${hostname()}|${device}|${url}`).digest('hex').slice(0, 12)}`;
}

interface Explained {
  detail: string;
  /** Retrying cannot help (bad credentials, untrusted certificate): stop reconnecting. */
  fatal: boolean;
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE',
]);

/** One line for an mqtt.js / socket / TLS error. Exported for tests. */
export function explainBrokerError(err: Error & { code?: unknown }, ctx: { address: string; host: string; tls: boolean; hasClientCert: boolean; hasCredentials: boolean }): Explained {
  const code = err.code;
  const msg = err.message ?? String(err);
  if (typeof code === 'number') {
    if (code === 4 || code === 5 || code === 134 || code === 135) {
      const reason = msg.replace(/^Connection refused:\s*/, '');
      const hint = ctx.hasCredentials ? 'check HSMON_MQTT_USERNAME / HSMON_MQTT_PASSWORD' : 'set HSMON_MQTT_USERNAME and HSMON_MQTT_PASSWORD';
      return { detail: `broker at ${ctx.address} rejected the credentials (CONNACK ${code}: ${reason}) — ${hint}`, fatal: true };
    }
    return { detail: `broker at ${ctx.address} refused the connection (CONNACK ${code}: ${msg.replace(/^Connection refused:\s*/, '')})`, fatal: true };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { detail: `broker at ${ctx.address} refused the connection — is it running?`, fatal: false };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { detail: `cannot resolve the broker host "${ctx.host}"`, fatal: false };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { detail: `broker at ${ctx.address} is unreachable (${code})`, fatal: false };
    case 'ECONNRESET':
    case 'EPIPE':
      if (ctx.tls && !ctx.hasClientCert) {
        return { detail: `broker at ${ctx.address} closed the TLS connection — it may require a client certificate (--cert, --key)`, fatal: false };
      }
      return { detail: `broker at ${ctx.address} closed the connection (${code})`, fatal: false };
    case 'CERT_HAS_EXPIRED':
      return { detail: `the broker's certificate at ${ctx.address} has expired`, fatal: true };
    case 'CERT_NOT_YET_VALID':
      return { detail: `the broker's certificate at ${ctx.address} is not valid yet (check this machine's clock)`, fatal: true };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { detail: `the broker's certificate does not name "${ctx.host}"`, fatal: true };
    default:
      break;
  }
  if (typeof code === 'string' && UNTRUSTED.has(code)) {
    return { detail: `the broker's certificate at ${ctx.address} is not trusted (${code}) — pass the CA that signed it with --ca`, fatal: true };
  }
  if (/certificate required/i.test(msg)) {
    return { detail: `broker at ${ctx.address} requires a client certificate — pass --cert and --key`, fatal: true };
  }
  if (/alert (unknown ca|bad certificate|certificate unknown|handshake failure)/i.test(msg)) {
    const what = ctx.hasClientCert ? 'rejected the client certificate' : 'failed the TLS handshake — it may require a client certificate (--cert, --key)';
    return { detail: `broker at ${ctx.address} ${what} (${/alert ([a-z ]+)/i.exec(msg)?.[1] ?? 'alert'})`, fatal: true };
  }
  if (/wrong version number|packet length too long/i.test(msg)) {
    return { detail: `broker at ${ctx.address} does not speak TLS on this port — use mqtt:// or the TLS port`, fatal: true };
  }
  if (/connack timeout/i.test(msg)) {
    return { detail: `no answer from the broker at ${ctx.address} (no CONNACK) — is this an MQTT port?`, fatal: false };
  }
  return { detail: `broker at ${ctx.address}: ${msg.split('\n')[0]}`, fatal: false };
}

function readPem(label: string, path: string | undefined): Buffer | undefined | Error {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    return new Error(`cannot read the ${label} file "${path}" (${code})`);
  }
}

/**
 * Connect, subscribe to `topics` on every (re)connection, and report messages and status.
 * Returns at once; all outcomes, bad input included, arrive through `handlers.status`.
 */
export function connectBroker(opts: BrokerOptions, handlers: BrokerHandlers): BrokerConnection {
  const now = opts.now ?? Date.now;
  const env = opts.env ?? process.env;
  let last: BrokerStatus | null = null;
  let closed = false;
  let client: MqttClient | null = null;

  const report = (s: BrokerStatus) => {
    if (closed) return;
    if (last && last.state === s.state && last.detail === s.detail) return;
    last = s;
    handlers.status(s);
  };

  const checked = checkBrokerUrl(opts.url);
  const badTopic = opts.topics.find((t) => !isValidTopicFilter(t));
  const files = { ca: readPem('CA', opts.ca), cert: readPem('client certificate', opts.cert), key: readPem('client key', opts.key) };
  let setupError: string | null = null;
  if (!checked.ok) setupError = checked.error;
  else if (badTopic !== undefined) setupError = `invalid topic filter "${badTopic}" (+ and # must fill a whole level; # only last)`;
  else if (Object.values(files).some((f) => f instanceof Error)) setupError = Object.values(files).find((f): f is Error => f instanceof Error)!.message;
  else if ((opts.cert === undefined) !== (opts.key === undefined)) setupError = 'a client certificate needs its key: pass both --cert and --key';
  else {
    const hasCredentials = Boolean(env['HSMON_MQTT_USERNAME'] || env['HSMON_MQTT_PASSWORD']);
    setupError = checkBrokerSecurity({ url: opts.url, ca: opts.ca, cert: opts.cert, key: opts.key, hasCredentials, allowPlaintextCredentials: opts.allowPlaintextCredentials });
  }

  const address = checked.ok ? checked.address : opts.url;

  if (setupError !== null || !checked.ok) {
    const detail = setupError ?? 'malformed broker URL';
    queueMicrotask(() => report({ state: 'error', detail }));
    const fail = () => Promise.reject(new Error(detail));
    return { address, publish: fail, close: async () => { closed = true; } };
  }

  const username = env['HSMON_MQTT_USERNAME'] || undefined;
  const password = env['HSMON_MQTT_PASSWORD'] || undefined;
  const tls = checked.protocol === 'mqtts' || checked.protocol === 'wss';
  const ctx = { address, host: checked.host, tls, hasClientCert: opts.cert !== undefined, hasCredentials: username !== undefined };

  const firstDelay = opts.reconnectPeriodMs ?? 100;
  const maxDelay = Math.max(firstDelay, opts.maxReconnectMs ?? 5000);
  const options: IClientOptions = {
    protocol: checked.protocol,
    host: checked.host,
    port: checked.port,
    path: checked.path || undefined,
    clientId: opts.clientId ?? `hsmon-${randomBytes(4).toString('hex')}`,
    username,
    password,
    reconnectPeriod: firstDelay,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    resubscribe: false,
    // A persistent session: QoS 1/2 messages published while hsmon reconnects (a broker
    // restart) are queued for it by the broker and arrive when it is back.
    clean: !(opts.persistent ?? opts.clientId !== undefined),
  };
  if (tls) {
    if (files.ca) options.ca = files.ca as Buffer;
    if (files.cert) options.cert = files.cert as Buffer;
    if (files.key) options.key = files.key as Buffer;
    options.rejectUnauthorized = true;
    // SNI carries host names only (RFC 6066).
    if (isIP(checked.host) === 0) options.servername = checked.host;
  }

  report({ state: 'connecting', detail: `connecting to broker at ${address}` });
  const c = mqtt.connect(options);
  client = c;
  let lastError: string | null = null;

  // Backoff that starts fast: a broker restart is over in well under a second, a broker that
  // is down for longer is not hammered.
  c.on('reconnect', () => {
    c.options.reconnectPeriod = Math.min(maxDelay, (c.options.reconnectPeriod ?? firstDelay) * 2);
  });
  c.on('connect', () => {
    c.options.reconnectPeriod = firstDelay;
    lastError = null;
    // `connected` once the broker has granted the subscription: from then on a message
    // published to the topic reaches hsmon (a script that publishes on `connected` relies on it).
    if (opts.topics.length === 0) return report({ state: 'connected', detail: `connected to broker at ${address}` });
    c.subscribe(opts.topics, { qos: 2 }, (err, granted) => {
      if (!c.connected) return; // lost again before the answer: `reconnecting` stands
      if (err) {
        report({ state: 'connected', detail: `connected to broker at ${address}; subscribing failed: ${err.message}` });
        return;
      }
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      report({ state: 'connected', detail: refused.length > 0 ? `connected to broker at ${address}; it refused the subscription to ${refused.map((t) => `"${t}"`).join(', ')}` : `connected to broker at ${address}` });
    });
  });

  c.on('message', (topic, payload, packet) => {
    if (closed) return;
    handlers.message({ topic, payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength).slice(), qos: packet.qos, retain: packet.retain, t: now() });
  });

  c.on('error', (err) => {
    const e = explainBrokerError(err as Error & { code?: unknown }, ctx);
    lastError = e.detail;
    if (e.fatal) {
      report({ state: 'error', detail: e.detail });
      c.end(true);
      return;
    }
    report({ state: last?.state === 'reconnecting' ? 'reconnecting' : 'offline', detail: e.detail });
  });

  // mqtt.js may emit `offline` before or after `close` when a live connection drops.
  const dropped = () => {
    if (closed || last?.state === 'error') return;
    if (last?.state === 'connected') report({ state: 'reconnecting', detail: `lost the connection to the broker at ${address} — reconnecting` });
  };
  c.on('close', dropped);
  c.on('offline', () => {
    dropped();
    if (closed || last?.state === 'error' || last?.state === 'reconnecting') return;
    report({ state: 'offline', detail: lastError ?? `broker at ${address} is unreachable` });
  });

  return {
    address,
    publish(topic, payload, popts = {}) {
      if (closed) return Promise.reject(new Error('the broker connection is closed'));
      if (!topic || topic.includes('+') || topic.includes('#')) return Promise.reject(new Error(`cannot publish to "${topic}": a topic name has no wildcards`));
      if (!c.connected) return Promise.reject(new Error(`not connected to the broker at ${address}${lastError ? `: ${lastError}` : ''}`));
      const body = typeof payload === 'string' ? payload : Buffer.from(payload);
      return new Promise((resolve, reject) => {
        c.publish(topic, body, { qos: popts.qos ?? 0, retain: popts.retain ?? false }, (err) => (err ? reject(new Error(`publish to "${topic}" failed: ${err.message}`)) : resolve()));
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await client?.endAsync(true);
    },
  };
}
