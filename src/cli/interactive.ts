/**
 * The interactive monitor: `hsmon replay FILE`, `hsmon` (the simulated device) and
 * `hsmon monitor PORT` end here. Wires a source to a session, the session to the Ink UI, and
 * the UI's keys back to replay controls or device commands. Needs a terminal: without one it
 * says what to use instead and exits 2.
 */
import { loadRecording } from '../io/recording.ts';
import { modemLinesError, modemLinesNote } from '../io/modem-lines.ts';
import { TimeMachine } from '../session/time-machine.ts';
import { replayPlayer, type ReplayPlayer } from './replay-player.ts';
import { stageOptions } from './parse-worker.ts';
import { discardEarlyTapeWorkers, readTapeInWorker } from './tape-in-worker.ts';
import type { Source } from '../io/source.ts';
import { createSession } from '../session/create-session.ts';
import type { BrokerLink, Session } from '../session/session.ts';
import { encodeLine } from '../commands/line-input.ts';
import { loadCommandConfig, readConfigFile, runCommand, type CommandConfig } from '../commands/index.ts';
import { NdjsonWriter } from '../output/ndjson.ts';
import { presetsFromConfig } from '../mqtt/presets.ts';
import type { BrokerControls, DeviceControls, Speed } from '../ui/controls.ts';
import { useFastInkTokenizer } from '../io/ink-tokenizer.ts';
import { startDemo } from './demo-broker.ts';
import { pump, type Pump } from './pump.ts';
import type { SessionSettings } from './session-settings.ts';

/** What the UI needs of a broker connection to publish presets (`session.broker` is one). */
export type BrokerHandle = Pick<BrokerLink, 'address' | 'publish'>;

/** The demo's device presses its button this often, so the MQTT pane keeps moving. */
const DEMO_BUTTON_MS = 20_000;

export type InteractiveOptions =
  | { kind: 'replay'; path: string; speed: Speed; settings: SessionSettings }
  | { kind: 'demo'; scenario?: string | undefined; settings: SessionSettings; json?: boolean }
  | {
      kind: 'monitor';
      /** An opened source (serial port with reconnect); the session is fed from it here unless `pumped` is given. */
      source: Source;
      session: Session;
      pumped?: Pump;
      /** Device commands (from src/commands' config); omitted: the defaults / ./hsmon.json. */
      commands?: CommandConfig;
      /** Called after the UI has closed, to flush the recording and close the port. */
      close?: () => Promise<void>;
      /** --config FILE: the presets published through `session.broker`. */
      config?: string | undefined;
    };

export interface InteractiveIo {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export const NOT_A_TERMINAL =
  'hsmon: the interactive monitor needs a terminal (stdin and stdout are not one here); use --json for NDJSON or `hsmon summarize FILE` for a text summary\n';

/**
 * Runs the monitor until the user quits. Resolves with the exit code: 0 after a quit, 2 when
 * there is no terminal or the source cannot be opened (one line on stderr).
 */
export async function runInteractive(opts: InteractiveOptions, io: InteractiveIo = {}): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  if (opts.kind === 'demo' && opts.json) return runDemoJson(opts, stdout);
  if (!stdin.isTTY || !stdout.isTTY) {
    stderr.write(NOT_A_TERMINAL);
    return 2;
  }
  // Ink draws nothing until exit when it thinks it runs in CI; a terminal was asked for.
  if (process.env['CI'] !== undefined || Object.keys(process.env).some((k) => k.startsWith('CI_') || k === 'CONTINUOUS_INTEGRATION')) {
    process.env['CI'] = '0';
  }
  // React's development build records every render's prop diffs in performance entries that
  // are never cleared: at replay speed that is gigabytes. The monitor runs the production build.
  process.env['NODE_ENV'] ??= 'production';
  await useFastInkTokenizer();
  const loadUi = () => import('../ui/mount.tsx');

  let session: Session;
  let source: Source;
  let device: DeviceControls | null = null;
  let closeExtra: (() => Promise<void>) | undefined;
  let brokerHandle: BrokerHandle | null = null;
  let p: Pump;

  if (opts.kind === 'replay') {
    // The time machine: the whole recording in memory, every seek re-feeds a fresh session.
    // Opened before the UI loads: the parse worker reads the file meanwhile (a G pressed at
    // once waits that much less), and the replay plays from when the first frame is drawn.
    let r: Replay;
    try {
      r = await openReplay(opts, { paused: true });
    } catch (err) {
      stderr.write(`hsmon: ${(err as Error).message}\n`);
      return 2;
    }
    const { mountMonitor } = await loadUi();
    r.player.resume();
    const ui = mountMonitor({ store: r.machine, replay: r.player, stdin, stdout });
    await ui.done;
    r.player.close();
    return 0;
  }
  const { mountMonitor } = await loadUi();
  if (opts.kind === 'demo') {
    const config = opts.settings.config;
    const commands = await loadCommandConfig(config ? { file: config } : {});
    const demo = await startDemo({ scenario: opts.scenario, settings: opts.settings, buttonEveryMs: DEMO_BUTTON_MS });
    source = demo.sim;
    session = demo.session;
    brokerHandle = demo.broker;
    closeExtra = demo.close;
    p = demo.start();
    device = deviceControls(source, session, p, commands);
  } else {
    source = opts.source;
    session = opts.session;
    p = opts.pumped ?? pump(source, session, { liveClock: true });
    device = deviceControls(source, session, p, opts.commands ?? (await loadCommandConfig(opts.config ? { file: opts.config } : {})));
    closeExtra = opts.close;
    brokerHandle = session.broker;
  }
  const configFile = opts.kind === 'demo' ? opts.settings.config : opts.kind === 'monitor' ? opts.config : undefined;
  const broker = brokerHandle ? await brokerControls(brokerHandle, session, configFile) : null;

  const failed: Error[] = [];
  p.done.then(
    () => session.end(),
    (err: unknown) => {
      failed.push(err instanceof Error ? err : new Error(String(err)));
      session.setStatus({ state: 'error', detail: (err as Error)?.message ?? String(err) });
    },
  );
  const ui = mountMonitor({ store: session, device, broker, stdin, stdout });
  await ui.done;
  await source.close().catch(() => undefined);
  if (closeExtra) await closeExtra();
  return 0;
}

export interface Replay {
  /** The store the UI reads: the session of the moment, rebuilt by every seek back. */
  machine: TimeMachine;
  /** Pace, pause, step and seek: the replay keys. */
  player: ReplayPlayer;
}

/**
 * The interactive replay: the recording read whole, sessions built by createSession from the
 * same settings `summarize` uses, and a player that paces it (started unless `paused`). A plain
 * log is parsed on the parse worker from the start (tape-in-worker.ts), whatever the pace.
 * Throws with one line when the file cannot be read.
 */
export async function openReplay(opts: Extract<InteractiveOptions, { kind: 'replay' }>, o: { paused?: boolean } = {}): Promise<Replay> {
  const recording = await loadRecording(opts.path);
  const { mbedtls, redact, profiles, redactPatterns } = opts.settings;
  const job = { path: opts.path, stage: stageOptions(mbedtls, redact, profiles, redactPatterns), tape: { bytes: recording.totalBytes } };
  const machine = new TimeMachine(
    recording,
    () => createSession({ source: { type: 'file', name: opts.path }, mbedtls, redact, profiles, redactPatterns }),
    // HSMON_NO_WORKER=1: all on this thread, as for summarize.
    process.env['HSMON_NO_WORKER'] === undefined ? { readElsewhere: (tape, on) => readTapeInWorker(job, tape, on) } : {},
  );
  // Workers bin/hsmon.js started for a tape this replay does not read on them (a .cast): ended.
  discardEarlyTapeWorkers();
  const player = replayPlayer(machine, { speed: opts.speed, paused: o.paused ?? false });
  return { machine, player };
}

/**
 * Presets from the config file (`"presets": [...]`; the built-in ones without), published
 * through the broker connection. A broken entry is named in the log, the rest are offered.
 */
async function brokerControls(handle: BrokerHandle, session: Session, configFile: string | undefined): Promise<BrokerControls> {
  let found: Awaited<ReturnType<typeof readConfigFile>> = null;
  try {
    found = await readConfigFile(configFile ? { file: configFile } : {});
  } catch (err) {
    session.note(`presets: ${(err as Error).message}`, 0);
  }
  const { presets, errors } = presetsFromConfig(found?.json);
  for (const e of errors) session.note(`${found?.path ?? 'config'}: ${e}`, 0);
  return {
    address: handle.address,
    presets,
    publish: (topic, payload, o) => handle.publish(topic, payload, o),
  };
}

/** Device commands through the source; every byte sent also shows in the log as tx. */
function deviceControls(source: Source, session: Session, p: Pump, config: CommandConfig): DeviceControls {
  const sent = (bytes: Uint8Array): void => {
    if (bytes.length > 0) session.tx(bytes, p.now());
  };
  return {
    commands: config.commands.map((c) => {
      // A reset on a pty is said to be hopeless before the question, not after as ENOTTY.
      const note = c.reset ? modemLinesNote(source.name) : null;
      return {
        id: c.name,
        key: c.key,
        label: c.description,
        ...(c.confirm ? { confirm: `${c.description}?` } : {}),
        ...(note ? { note } : {}),
      };
    }),
    async run(id: string) {
      const c = config.commands.find((x) => x.name === id);
      if (!c) throw new Error(`no device command '${id}'`);
      try {
        sent(await runCommand(source, c));
      } catch (err) {
        throw c.reset ? modemLinesError(err, source.name) : err;
      }
      if (c.reset) session.note(`${c.name}: DTR/RTS reset sequence sent`, p.now());
    },
    async sendLine(text: string) {
      const bytes = encodeLine(text, config.lineEnding);
      await source.write(bytes);
      sent(bytes);
    },
    async sendRaw(bytes: Uint8Array) {
      await source.write(bytes);
      sent(bytes);
    },
  };
}

/** `hsmon --json`: the simulated device as NDJSON until Ctrl+C, then the summary as the last line. */
async function runDemoJson(opts: Extract<InteractiveOptions, { kind: 'demo' }>, stdout: NodeJS.WriteStream): Promise<number> {
  const out = new NdjsonWriter(stdout);
  const demo = await startDemo({
    scenario: opts.scenario, settings: opts.settings, buttonEveryMs: DEMO_BUTTON_MS,
    onEvent: (e) => out.write(e),
  });
  const sim = demo.sim;
  const session = demo.session;
  const p = demo.start();
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    p.done.then(stop, stop);
  });
  await sim.close();
  await demo.close();
  session.end(p.now());
  await session.settled();
  out.write(session.summary());
  await out.drain();
  return 0;
}
