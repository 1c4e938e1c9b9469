import type { Source, SourceHandlers } from '../io/source.ts';
import { initialDeviceCertificate, newDeviceCertificate } from './certificate.ts';
import * as text from './device-text.ts';
import { DEFAULT_SCENARIO, getScenario, type Scenario } from './scenarios.ts';

export interface SimulatorOptions {
  scenario?: string;
  /** Output is paced like a UART: 10 bits per byte (8N1). */
  baud?: number;
  /** Multiplies the pace and shortens the pauses; 'max' prints everything at once. */
  speed?: number | 'max';
  /** Test seam: makes the certificate printed after `regen`. */
  newCertificate?: () => Promise<string>;
  /**
   * A broker for the device's MQTT client. Without one the device's publish comes straight
   * back as its own incoming message (as the example application shows against a public
   * broker); with one it is published there, and only what the broker delivers (`deliver`)
   * is printed as incoming.
   */
  mqtt?: SimulatorMqtt;
  /** While connected, press USER BTN1 this often (publishing TURN OFF / TURN ON in turn). */
  buttonEveryMs?: number;
}

export interface SimulatorMqtt {
  /** Called when the device prints its `Publishing` line (QoS 1, as the example application). */
  publish(topic: string, payload: string, qos: 0 | 1 | 2): Promise<void> | void;
}

export interface Simulator extends Source {
  readonly scenario: Scenario;
  /** Resolves when everything queued so far has been printed. */
  whenIdle(): Promise<void>;
  /**
   * The broker delivers a message to the device's MQTT client. Printed as the subscriber's
   * incoming message when the device is connected and subscribed to the topic; returns
   * whether it was.
   */
  deliver(topic: string, payload: string | Uint8Array, qos: number): boolean;
}

type Item = { bytes: Uint8Array; off: number } | { waitMs: number; until?: number } | { run: () => void };

const enc = new TextEncoder();
/** retarget-io's CONVERT_LF_TO_CRLF: a device sends "\r\n" for every "\n". */
const crlf = (s: string): Uint8Array => enc.encode(s.replace(/\r?\n/g, '\r\n'));

/**
 * A PSOC Edge-like board printing a scenario's life on its UART: banner, Wi-Fi, PSA key and
 * certificate, MQTT connect with the TLS handshake, then MQTT traffic or the failure. It
 * answers the default device commands: `regen` (new key and certificate), `retry` (connect
 * again); a DTR/RTS reset (RTS asserted while DTR is not, as on ESP-style auto-reset
 * circuits, then released) reboots it.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const scenario = getScenario(options.scenario ?? DEFAULT_SCENARIO);
  const baud = options.baud ?? 115200;
  const speed = options.speed ?? 1;
  const makeCert = options.newCertificate ?? (() => newDeviceCertificate());
  let certificate = initialDeviceCertificate();

  let handlers: SourceHandlers | null = null;
  let closed = false;
  let queue: Item[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let last = 0;
  let budget = 0;
  let idleWaiters: (() => void)[] = [];
  let input = '';
  let retriesLeft = 149;
  let lines = { dtr: false, rts: false };
  let generation = 0; // bumps on reboot so late async work (regen) from before it is dropped
  /** Connected and subscribed to TOPIC, as far as what has been printed goes. */
  let mqttUp = false;
  let nextButton: 'TURN ON' | 'TURN OFF' = 'TURN OFF';
  let button: NodeJS.Timeout | null = null;

  const say = (s: string): void => {
    queue.push({ bytes: crlf(s), off: 0 });
  };
  const pause = (ms: number): void => {
    queue.push({ waitMs: ms });
  };

  /** Runs when the pump reaches it, i.e. right after the text before it went out. */
  const then = (run: () => void): void => {
    queue.push({ run });
  };

  const publish = (payload: string): void => {
    say(text.publishing(payload));
    if (!options.mqtt) {
      // No broker of its own: the subscribed device sees its own message come back.
      say(text.incoming(text.TOPIC, 1, payload));
      return;
    }
    const link = options.mqtt;
    then(() => {
      void Promise.resolve()
        .then(() => link.publish(text.TOPIC, payload, 1))
        .catch(() => undefined);
    });
  };

  const stopButton = (): void => {
    if (button) clearInterval(button);
    button = null;
  };

  const startButton = (): void => {
    stopButton();
    const every = options.buttonEveryMs;
    if (!every || every <= 0) return;
    button = setInterval(() => {
      if (closed || !mqttUp) return;
      const payload = nextButton;
      nextButton = payload === 'TURN ON' ? 'TURN OFF' : 'TURN ON';
      publish(payload);
      kick();
    }, every);
    button.unref();
  };

  const connect = (): void => {
    mqttUp = false;
    say(text.mqttConnecting());
    pause(300);
    say(scenario.handshake());
    if (scenario.ok) {
      pause(200);
      say(text.mqttConnected());
      then(() => {
        mqttUp = true;
        startButton();
      });
      publish('TURN ON');
    } else {
      say(text.mqttFailed(retriesLeft));
      retriesLeft = Math.max(0, retriesLeft - 1);
    }
  };

  const boot = (): void => {
    say(text.banner());
    pause(150);
    say(text.wifi());
    pause(150);
    say(text.keyGeneration(certificate));
    connect();
  };

  let pendingWork = 0;
  const idle = (): boolean => queue.length === 0 && pendingWork === 0;

  const settle = (): void => {
    if (!idle()) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const f of w) f();
  };

  const emit = (chunks: Uint8Array[], total: number): void => {
    if (total === 0 || !handlers) return;
    let out: Uint8Array;
    if (chunks.length === 1) out = chunks[0]!;
    else {
      out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
    }
    handlers.data(out);
  };

  const pump = (): void => {
    timer = null;
    immediate = null;
    if (closed || !handlers) return;
    const now = performance.now();
    const max = speed === 'max';
    const bytesPerMs = max ? Infinity : (baud / 10 / 1000) * speed;
    if (!max) {
      budget = Math.min(budget + (now - last) * bytesPerMs, Math.max(1, bytesPerMs * 50));
      last = now;
    }
    let room = max ? 64 * 1024 : Math.floor(budget);
    const chunks: Uint8Array[] = [];
    let total = 0;
    let waitUntil = 0;
    while (queue.length > 0 && room > 0) {
      const head = queue[0]!;
      if ('run' in head) {
        // Whatever the action does (a publish) happens after the text before it was sent.
        emit(chunks, total);
        chunks.length = 0;
        total = 0;
        queue.shift();
        head.run();
        if (closed || !handlers) return;
        continue;
      }
      if ('waitMs' in head) {
        if (max) {
          queue.shift();
          continue;
        }
        head.until ??= now + head.waitMs / (speed as number);
        if (now < head.until) {
          waitUntil = head.until;
          break;
        }
        queue.shift();
        continue;
      }
      const n = Math.min(room, head.bytes.length - head.off);
      chunks.push(head.bytes.subarray(head.off, head.off + n));
      head.off += n;
      total += n;
      room -= n;
      if (head.off === head.bytes.length) queue.shift();
    }
    if (!max) budget -= total;
    emit(chunks, total);
    if (queue.length === 0) {
      settle();
      return;
    }
    if (max) immediate = setImmediate(pump);
    else timer = setTimeout(pump, waitUntil > 0 ? Math.max(1, waitUntil - now) : 10);
  };

  const kick = (): void => {
    if (closed || !handlers || timer || immediate) return;
    last = performance.now();
    budget = 0;
    immediate = setImmediate(pump);
  };

  const reboot = (): void => {
    generation += 1;
    queue = [];
    mqttUp = false;
    stopButton();
    retriesLeft = 149;
    boot();
    kick();
  };

  const command = (cmd: string): void => {
    if (cmd === '') return;
    if (cmd === 'retry') {
      connect();
      kick();
    } else if (cmd === 'regen') {
      const gen = generation;
      pendingWork += 1;
      void makeCert().then(
        (pem) => {
          pendingWork -= 1;
          if (gen !== generation || closed) return settle();
          certificate = pem;
          say(text.keyGeneration(pem, true));
          kick();
        },
        () => {
          pendingWork -= 1;
          say('\npsa_generate_key() = -147\n');
          kick();
        },
      );
    } else {
      say(text.unknownCommand(cmd));
      kick();
    }
  };

  return {
    name: `sim:${scenario.name}`,
    scenario,
    async start(h: SourceHandlers): Promise<void> {
      handlers = h;
      h.status({ state: 'open' });
      boot();
      kick();
    },
    async write(bytes: Uint8Array): Promise<void> {
      if (closed) throw new Error('the simulated device is closed');
      input += new TextDecoder().decode(bytes);
      let m: RegExpExecArray | null;
      while ((m = /[\r\n]/.exec(input))) {
        const line = input.slice(0, m.index);
        input = input.slice(m.index + 1);
        command(line.trim());
      }
      if (input.length > 256) input = input.slice(-256); // a device's line buffer is small too
    },
    async setSignals(signals: { dtr?: boolean; rts?: boolean }): Promise<void> {
      const wasReset = lines.rts && !lines.dtr;
      lines = { dtr: signals.dtr ?? lines.dtr, rts: signals.rts ?? lines.rts };
      const inReset = lines.rts && !lines.dtr;
      if (inReset && !wasReset) {
        // EN held low: the board stops mid-line.
        generation += 1;
        queue = [];
        mqttUp = false;
        stopButton();
        settle();
      } else if (!inReset && wasReset) {
        reboot();
      }
    },
    deliver(topic: string, payload: string | Uint8Array, qos: number): boolean {
      if (closed || !mqttUp || topic !== text.TOPIC) return false;
      const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
      // The device subscribed with QoS 1: the broker delivers at most that.
      say(text.incoming(topic, Math.min(qos, 1), body));
      if (body !== 'TURN ON' && body !== 'TURN OFF') say(text.invalidPayload());
      kick();
      return true;
    },
    whenIdle(): Promise<void> {
      if (idle()) return Promise.resolve();
      return new Promise((r) => idleWaiters.push(r));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stopButton();
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      queue = [];
      settle();
      handlers?.status({ state: 'closed' });
    },
  };
}
