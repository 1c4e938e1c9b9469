/**
 * The device's session as its UART tells it: boot → Wi-Fi → TLS → MQTT connected ↔
 * disconnected, with the example app's retry loops (attempt n of max, next try at t).
 *
 * Fed every DeviceEvent (`toConnectionEvent`). Transitions live on the root so that any event
 * is accepted in any state: a log that starts mid-session, or lines in an order the model did
 * not expect, move the machine instead of jamming it. Time is the event's `t`; there are no
 * timers, so "next in 2 s" is computed against the latest event time (`retryText`).
 * The TLS handshake itself is the handshake machine's business; here only "a TLS attempt is
 * in progress" and its outcome are kept.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';
import type { DeviceEvent, EventKind, EventOf } from '../parsers/events.ts';
import type { CyRslt } from '../parsers/tables/cy-rslt.ts';
import type { MqttStatus } from '../parsers/mqtt.ts';

/** Topic filters the device subscribed to that the machine keeps (the rest are not news). */
const MAX_SUBSCRIPTIONS = 256;

export type ConnectionEvent = { [K in EventKind]: EventOf<K> & { type: K } }[EventKind];

/** XState wants `type`; device events carry `kind`. */
export function toConnectionEvent(e: DeviceEvent): ConnectionEvent {
  return { ...e, type: e.kind } as ConnectionEvent;
}

export interface RetryState {
  /** The attempt in progress, or the next one while waiting; 0 before the first. */
  attempt: number;
  /** attempt + "Retries left" as last printed; null until a failure line says it. */
  maxAttempts: number | null;
  retryDelayMs: number | null;
  /** Event time at which the device will try again (t of the failure + delay). */
  nextRetryAt: number | null;
  lastError: CyRslt | null;
  gaveUp: boolean;
}

export interface ConnectionContext {
  boots: number;
  banner: string | null;
  wifi: RetryState & { ssid: string | null; ip: string | null; up: boolean };
  tls: {
    inProgress: boolean;
    attempts: number;
    outcome: 'ok' | 'failed' | null;
    host: string | null;
    port: number | null;
    startedAt: number | null;
    endedAt: number | null;
    /** What made the attempt fail (`mbedtls_ssl_handshake failed …`, alert name, cy_rslt). */
    error: string | null;
  };
  mqtt: RetryState & {
    clientId: string | null;
    host: string | null;
    connected: boolean;
    connectedAt: number | null;
    lastStatus: MqttStatus | null;
    disconnects: number;
    lastDisconnect: { reason: string; t: number; line: number } | null;
    subscriptions: string[];
  };
  lastT: number;
  lastLine: number;
}

const retryInit = (): RetryState => ({ attempt: 0, maxAttempts: null, retryDelayMs: null, nextRetryAt: null, lastError: null, gaveUp: false });

export function initialConnectionContext(): ConnectionContext {
  return {
    boots: 0,
    banner: null,
    wifi: { ...retryInit(), ssid: null, ip: null, up: false },
    tls: { inProgress: false, attempts: 0, outcome: null, host: null, port: null, startedAt: null, endedAt: null, error: null },
    mqtt: { ...retryInit(), clientId: null, host: null, connected: false, connectedAt: null, lastStatus: null, disconnects: 0, lastDisconnect: null, subscriptions: [] },
    lastT: 0,
    lastLine: -1,
  };
}

/** A failure line said "Retrying in d ms. Retries left: r" about the current attempt. */
function scheduleRetry(r: RetryState, t: number, delayMs: number | null, retriesLeft: number | null): RetryState {
  const failed = Math.max(r.attempt, 1);
  // "Retries left: 0" is printed after the last attempt: no further one follows.
  if (retriesLeft === 0) return { ...r, attempt: failed, maxAttempts: failed, retryDelayMs: delayMs, nextRetryAt: null };
  return {
    ...r,
    attempt: failed + 1,
    maxAttempts: retriesLeft === null ? r.maxAttempts : failed + retriesLeft,
    retryDelayMs: delayMs,
    nextRetryAt: delayMs === null ? null : t + delayMs,
  };
}

const at = (e: { t: number; line: number }) => ({ lastT: e.t, lastLine: e.line });

function tlsFailed(c: ConnectionContext, error: string): ConnectionContext['tls'] {
  return { ...c.tls, outcome: 'failed', error: c.tls.error ?? error };
}

export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
  },
}).createMachine({
  id: 'connection',
  context: initialConnectionContext,
  initial: 'boot',
  states: {
    boot: {},
    wifiConnecting: {},
    wifiWaiting: {},
    wifiUp: {},
    wifiDown: {},
    tls: {},
    mqttConnecting: {},
    mqttWaiting: {},
    mqttConnected: {},
    mqttDisconnected: {},
    gaveUp: {},
  },
  on: {
    'app.boot': {
      target: '.boot',
      actions: assign(({ context, event }) => ({ ...initialConnectionContext(), boots: context.boots + 1, banner: event.banner, ...at(event) })),
    },
    'wifi.connecting': {
      target: '.wifiConnecting',
      actions: assign(({ context, event }) => ({ wifi: { ...context.wifi, ...retryInit(), attempt: 1, ssid: event.ssid, up: false }, ...at(event) })),
    },
    'wifi.failed': {
      target: '.wifiWaiting',
      actions: assign(({ context, event }) => ({
        wifi: { ...context.wifi, ...scheduleRetry(context.wifi, event.t, event.retryInMs, event.retriesLeft), lastError: event.error, up: false },
        ...at(event),
      })),
    },
    'wifi.exhausted': {
      target: '.gaveUp',
      actions: assign(({ context, event }) => ({ wifi: { ...context.wifi, gaveUp: true, nextRetryAt: null }, ...at(event) })),
    },
    'wifi.connected': {
      target: '.wifiUp',
      actions: assign(({ context, event }) => ({
        wifi: { ...context.wifi, attempt: Math.max(context.wifi.attempt, 1), ssid: event.ssid, up: true, nextRetryAt: null },
        ...at(event),
      })),
    },
    'wifi.ip': {
      actions: assign(({ context, event }) => ({ wifi: { ...context.wifi, ip: event.address, up: true }, ...at(event) })),
    },
    'wifi.disconnected': {
      target: '.wifiDown',
      actions: assign(({ context, event }) => ({
        wifi: { ...context.wifi, up: false, ip: null },
        mqtt: { ...context.mqtt, connected: false },
        ...at(event),
      })),
    },
    'wifi.reconnecting': { target: '.wifiConnecting', actions: assign(({ event }) => at(event)) },
    'mqtt.connecting': {
      target: '.mqttConnecting',
      actions: assign(({ context, event }) => ({
        mqtt: { ...context.mqtt, ...retryInit(), attempt: 1, clientId: event.clientId, host: event.host, connected: false },
        ...at(event),
      })),
    },
    'mqtt.tls.connecting': {
      target: '.tls',
      actions: assign(({ context, event }) => ({
        tls: context.tls.inProgress
          ? { ...context.tls, host: event.host, port: event.port }
          : { ...context.tls, inProgress: true, attempts: context.tls.attempts + 1, outcome: null, error: null, host: event.host, port: event.port, startedAt: event.t, endedAt: null },
        ...at(event),
      })),
    },
    'tls.handshake.begin': {
      target: '.tls',
      actions: assign(({ context, event }) => ({
        // The library's "Establishing a TLS session" line may already have opened this attempt.
        tls: context.tls.inProgress && context.tls.outcome === null
          ? { ...context.tls, startedAt: context.tls.startedAt ?? event.t }
          : { ...context.tls, inProgress: true, attempts: context.tls.attempts + 1, outcome: null, error: null, startedAt: event.t, endedAt: null },
        ...at(event),
      })),
    },
    'tls.error': {
      actions: assign(({ context, event }) => ({
        tls: context.tls.inProgress ? tlsFailed(context, `${event.fn}() returned ${event.error.hex}${event.error.name ? ` (${event.error.name})` : ''}`) : context.tls,
        ...at(event),
      })),
    },
    'tls.alert': {
      actions: assign(({ context, event }) => ({
        tls: context.tls.inProgress && event.level === 2 ? tlsFailed(context, `fatal alert ${event.direction}: ${event.name}`) : context.tls,
        ...at(event),
      })),
    },
    'tls.platform.failed': {
      // The MQTT library reports its own failure next (mqtt.failed / mqtt.retry); until then the
      // TLS failure is what the device is stuck on.
      target: '.tls',
      actions: assign(({ context, event }) => ({
        tls: { ...tlsFailed(context, `${event.fn} failed ${event.error.hex}${event.error.name ? ` (${event.error.name})` : ''}`), inProgress: false, endedAt: event.t },
        ...at(event),
      })),
    },
    'tls.platform.ok': [
      {
        guard: ({ context }) => context.mqtt.attempt > 0,
        target: '.mqttConnecting',
        actions: assign(({ context, event }) => ({ tls: { ...context.tls, inProgress: false, outcome: 'ok', endedAt: event.t }, ...at(event) })),
      },
      {
        target: '.tls',
        actions: assign(({ context, event }) => ({ tls: { ...context.tls, inProgress: false, outcome: 'ok', endedAt: event.t }, ...at(event) })),
      },
    ],
    'tls.handshake.end': [
      // After a good handshake an MQTT client goes on to CONNECT; a plain TLS client (or a
      // failed handshake) stays in the TLS phase, which then reads "completed" / "failed".
      {
        guard: ({ context }) => context.tls.outcome !== 'failed' && context.mqtt.attempt > 0,
        target: '.mqttConnecting',
        actions: assign(({ context, event }) => ({ tls: { ...context.tls, inProgress: false, outcome: context.tls.outcome ?? 'ok', endedAt: event.t }, ...at(event) })),
      },
      {
        target: '.tls',
        actions: assign(({ context, event }) => ({ tls: { ...context.tls, inProgress: false, outcome: context.tls.outcome ?? 'ok', endedAt: event.t }, ...at(event) })),
      },
    ],
    'mqtt.tls.connected': {
      target: '.mqttConnecting',
      actions: assign(({ context, event }) => ({
        tls: { ...context.tls, inProgress: false, outcome: context.tls.outcome ?? 'ok', endedAt: context.tls.endedAt ?? event.t },
        ...at(event),
      })),
    },
    'mqtt.tls.failed': {
      target: '.mqttConnecting',
      actions: assign(({ context, event }) => ({
        tls: { ...tlsFailed(context, `TLS connection failed ${event.error?.name ?? event.error?.hex ?? ''}`.trim()), inProgress: false, endedAt: event.t },
        mqtt: { ...context.mqtt, lastError: event.error ?? context.mqtt.lastError },
        ...at(event),
      })),
    },
    'mqtt.connected': {
      target: '.mqttConnected',
      actions: assign(({ context, event }) => ({
        mqtt: {
          ...context.mqtt,
          attempt: Math.max(context.mqtt.attempt, 1),
          connected: true,
          connectedAt: context.mqtt.connected ? context.mqtt.connectedAt : event.t,
          nextRetryAt: null,
          gaveUp: false,
        },
        tls: context.tls.inProgress ? { ...context.tls, inProgress: false, outcome: context.tls.outcome ?? 'ok', endedAt: event.t } : context.tls,
        ...at(event),
      })),
    },
    'mqtt.failed': [
      {
        guard: ({ event }) => event.scope === 'app',
        target: '.mqttWaiting',
        actions: assign(({ context, event }) => ({
          mqtt: { ...context.mqtt, connected: false, lastError: event.error ?? context.mqtt.lastError, lastStatus: event.status ?? context.mqtt.lastStatus },
          tls: context.tls.inProgress ? { ...context.tls, inProgress: false, endedAt: event.t } : context.tls,
          ...at(event),
        })),
      },
      {
        // Inside one attempt of the app: note why, the app's own line decides the retry.
        actions: assign(({ context, event }) => ({
          mqtt: { ...context.mqtt, connected: false, lastError: event.error ?? context.mqtt.lastError, lastStatus: event.status ?? context.mqtt.lastStatus },
          ...at(event),
        })),
      },
    ],
    'mqtt.retry': [
      {
        guard: ({ event }) => event.scope === 'app',
        target: '.mqttWaiting',
        actions: assign(({ context, event }) => ({
          mqtt: { ...context.mqtt, ...scheduleRetry(context.mqtt, event.t, event.delayMs, event.retriesLeft), connected: false },
          ...at(event),
        })),
      },
      { actions: assign(({ event }) => at(event)) },
    ],
    'mqtt.exhausted': {
      target: '.gaveUp',
      actions: assign(({ context, event }) => ({ mqtt: { ...context.mqtt, gaveUp: true, connected: false, nextRetryAt: null }, ...at(event) })),
    },
    'mqtt.subscribed': {
      actions: assign(({ context, event }) => ({
        // At most MAX_SUBSCRIPTIONS: a log of a million distinct topics made this quadratic.
        mqtt: context.mqtt.subscriptions.length >= MAX_SUBSCRIPTIONS || context.mqtt.subscriptions.includes(event.topic) ? context.mqtt : { ...context.mqtt, subscriptions: [...context.mqtt.subscriptions, event.topic] },
        ...at(event),
      })),
    },
    'mqtt.disconnected': {
      target: '.mqttDisconnected',
      actions: assign(({ context, event }) => ({
        mqtt: {
          ...context.mqtt,
          connected: false,
          disconnects: context.mqtt.connected ? context.mqtt.disconnects + 1 : context.mqtt.disconnects,
          lastDisconnect: { reason: event.reason, t: event.t, line: event.line },
        },
        ...at(event),
      })),
    },
    'mqtt.reconnecting': { target: '.mqttConnecting', actions: assign(({ event }) => at(event)) },
    '*': { actions: assign(({ event }) => ('t' in event && typeof event.t === 'number' ? at(event) : {})) },
  },
});

export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;
export type ConnectionPhase = ConnectionSnapshot['value'];

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

/**
 * `attempt 3 of 150, next in 2 s` (or `retrying now` once `now` has passed the retry time).
 * `now` defaults to the time of the latest event, which is what a replay should show.
 */
export function retryText(r: RetryState, now: number): string {
  const parts: string[] = [];
  if (r.attempt > 0) parts.push(r.maxAttempts !== null ? `attempt ${r.attempt} of ${r.maxAttempts}` : `attempt ${r.attempt}`);
  if (r.gaveUp) parts.push('gave up');
  else if (r.nextRetryAt !== null) parts.push(now < r.nextRetryAt ? `next in ${seconds(r.nextRetryAt - now)}` : 'retrying now');
  return parts.join(', ');
}

/** One line for the status bar / MQTT pane header, from the machine's snapshot. */
export function connectionText(s: { value: ConnectionPhase; context: ConnectionContext }, now = s.context.lastT): string {
  const c = s.context;
  const err = (e: CyRslt | null) => (e ? ` (${e.name ?? e.hex})` : '');
  switch (s.value) {
    case 'boot': return c.boots > 0 ? `booted${c.banner ? `: ${c.banner}` : ''}` : 'waiting for the device';
    case 'wifiConnecting': return `Wi-Fi: connecting to '${c.wifi.ssid ?? '?'}' — ${retryText(c.wifi, now)}`;
    case 'wifiWaiting': return `Wi-Fi: failed${err(c.wifi.lastError)} — ${retryText(c.wifi, now)}`;
    case 'wifiUp': return `Wi-Fi: connected to '${c.wifi.ssid ?? '?'}'${c.wifi.ip ? `, ${c.wifi.ip}` : ''}`;
    case 'wifiDown': return 'Wi-Fi: connection lost';
    case 'tls':
      if (!c.tls.inProgress && c.tls.outcome === 'failed') return `TLS: handshake failed${c.tls.error ? ` — ${c.tls.error}` : ''}`;
      if (!c.tls.inProgress && c.tls.outcome === 'ok') return 'TLS: handshake completed';
      return `TLS: handshake in progress${c.tls.host ? ` with ${c.tls.host}${c.tls.port !== null ? `:${c.tls.port}` : ''}` : ''}${c.mqtt.attempt > 0 ? ` — MQTT ${retryText(c.mqtt, now)}` : ''}`;
    case 'mqttConnecting': return `MQTT: connecting to ${c.mqtt.host ?? 'the broker'} — ${retryText(c.mqtt, now) || 'attempt 1'}`;
    case 'mqttWaiting': return `MQTT: connect failed${err(c.mqtt.lastError)} — ${retryText(c.mqtt, now)}`;
    case 'mqttConnected': return `MQTT: connected to ${c.mqtt.host ?? 'the broker'}`;
    case 'mqttDisconnected': return `MQTT: disconnected (${c.mqtt.lastDisconnect?.reason ?? 'unknown'})`;
    case 'gaveUp': return c.mqtt.gaveUp ? `MQTT: gave up after ${c.mqtt.attempt} attempts${err(c.mqtt.lastError)}` : `Wi-Fi: gave up${err(c.wifi.lastError)}`;
    default: return String(s.value);
  }
}
