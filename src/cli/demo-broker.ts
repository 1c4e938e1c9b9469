/**
 * The demo (`hsmon`, `hsmon --json`): the simulated board plus an MQTT broker in-process, so
 * both sides of MQTT are visible with nothing installed. Three parties, as at the bench:
 * - an embedded broker (aedes) on loopback, which other MQTT clients may join too;
 * - the simulated device's own MQTT client, subscribed to its topic: the device's publishes
 *   go out through it and what the broker delivers to it is printed on the device's UART;
 * - hsmon's own client on `#`, exactly what `hsmon monitor --broker` connects: its messages
 *   feed the session (broker side) and the UI publishes presets through it.
 */
import { connectBroker, type BrokerConnection } from '../io/broker.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../io/embedded-broker.ts';
import { createSession } from '../session/create-session.ts';
import type { BrokerLink, Session, SessionEvent } from '../session/session.ts';
import type { SessionSettings } from './session-settings.ts';
import { createSimulator, type Simulator } from '../sim/simulator.ts';
import { getScenario } from '../sim/scenarios.ts';
import { CLIENT_ID, TOPIC } from '../sim/device-text.ts';
import { pump, type Pump } from './pump.ts';

export interface DemoOptions {
  scenario?: string | undefined;
  /** --mbedtls, --no-redact, the profiles of --config; default: none of them. */
  settings?: Partial<SessionSettings>;
  /** The simulator's pace (default 1: a UART at 115200 baud). */
  speed?: number | 'max';
  /** Press the device's button this often once connected (off by default). */
  buttonEveryMs?: number;
  /** Every session event from the start, the broker's first states included (NDJSON). */
  onEvent?: (e: SessionEvent) => void;
  /** How long the device waits for the clients before it boots anyway. Default 3000 ms. */
  connectTimeoutMs?: number;
}

export interface Demo {
  sim: Simulator;
  session: Session;
  /** hsmon's own broker client (session.broker); null when the embedded broker could not start. */
  broker: BrokerLink | null;
  /** The embedded broker's URL (mqtt://127.0.0.1:PORT), null when it could not start. */
  url: string | null;
  /** Boots the device and feeds the session; call once, after attaching listeners. */
  start(): Pump;
  /** Closes both clients and the broker (the caller closes the simulator first). */
  close(): Promise<void>;
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  // An unknown scenario is a usage error: say so before a broker holds the process open.
  if (opts.scenario !== undefined) getScenario(opts.scenario);
  let p: Pump | null = null;
  // Broker messages carry the session's clock, which starts with the pump.
  const now = (): number => (p ? p.now() : 0);

  let embedded: EmbeddedBroker | null = null;
  let startError: string | null = null;
  try {
    embedded = await startEmbeddedBroker();
  } catch (err) {
    startError = `cannot start the embedded MQTT broker: ${(err as Error).message}`;
  }

  let device: BrokerConnection | null = null;
  const sim = createSimulator({
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
    ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
    ...(opts.buttonEveryMs !== undefined ? { buttonEveryMs: opts.buttonEveryMs } : {}),
    ...(embedded ? { mqtt: { publish: (topic: string, payload: string, qos: 0 | 1 | 2) => device?.publish(topic, payload, { qos }) } } : {}),
  });
  const { mbedtls, redact, profiles, redactPatterns } = opts.settings ?? {};
  const source = { type: 'sim' as const, name: sim.name };

  if (!embedded) {
    const session = createSession({ source, mbedtls, redact, profiles, redactPatterns });
    if (opts.onEvent) session.onEvent(opts.onEvent);
    session.setBrokerStatus({ state: 'error', detail: startError! }, 0);
    session.note(startError!, 0);
    return { sim, session, broker: null, url: null, start: () => (p = pump(sim, session, { liveClock: true })), close: async () => undefined };
  }

  const server = embedded;
  const url = server.url;

  let hsmonUp!: () => void;
  let deviceUp!: () => void;
  const ready = Promise.all([new Promise<void>((r) => (hsmonUp = r)), new Promise<void>((r) => (deviceUp = r))]);

  // hsmon's own client, exactly what `hsmon monitor --broker` connects.
  const session = createSession({ source, mbedtls, redact, profiles, redactPatterns, broker: { url, topics: ['#'], now, env: {} /* the embedded broker: the user's broker credentials are not for it */ } });
  if (opts.onEvent) session.onEvent(opts.onEvent);
  session.onEvent((e) => {
    if (e.kind !== 'broker.status') return;
    // The log keeps the story of the connection; the status bar shows only its latest state.
    session.note(`broker: ${e.detail ?? e.state}`, now());
    if (e.state === 'connected' || e.state === 'error') hsmonUp();
  });
  session.note(`embedded MQTT broker on ${url} — other clients may join (mosquitto_pub -p ${server.port} -t ${TOPIC} -m 'TURN OFF')`, 0);
  const broker = session.broker!;
  const deviceClient = connectBroker({ url, topics: [TOPIC], clientId: CLIENT_ID, persistent: false, now, env: {} }, {
    message(m) {
      sim.deliver(m.topic, m.payload, m.qos);
    },
    status(s) {
      if (s.state === 'connected' || s.state === 'error') deviceUp();
      if (s.state !== 'connected' && s.state !== 'connecting') session.note(`simulated device's MQTT client: ${s.detail ?? s.state}`, now());
    },
  });

  device = deviceClient;

  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ready, new Promise<void>((r) => (timer = setTimeout(r, opts.connectTimeoutMs ?? 3000)))]);
  clearTimeout(timer);

  let closed = false;
  return {
    sim,
    session,
    broker,
    url,
    start: () => (p = pump(sim, session, { liveClock: true })),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([session.close(), deviceClient.close()]);
      await server.close();
    },
  };
}
