/**
 * The one place `hsmon mcp` touches the session: it opens the source (a serial port, a
 * replayed file, the simulated device), wires it to a session with the diagnosis, the
 * broker and the device commands exactly as `monitor`, `replay` and the demo do, and hands
 * the MCP tools a small view of it (AgentSession). Everything the tools say comes from here.
 */
import { openFileSource } from '../io/file-source.ts';
import { openSerialSource } from '../io/serial.ts';
import type { Source } from '../io/source.ts';
import { loadCommandConfig, runCommand, encodeLine, type CommandConfig } from '../commands/index.ts';
import { streamFindings } from '../output/finding-stream.ts';
import { CastWriter } from '../record/cast-writer.ts';
import { defaultRecordingPath } from '../record/default-path.ts';
import { SecretRedactor } from '../../parsers/secrets.ts';
import { createSession } from '../session/create-session.ts';
import type { Session } from '../session/session.ts';
import type { Finding, Snapshot, SourceInfo, Summary } from '../session/types.ts';
import { requireBroker } from '../cli/broker-verdict.ts';
import { startDemo } from '../cli/demo-broker.ts';
import { UsageError } from '../cli/errors.ts';
import { pump, type Pump } from '../cli/pump.ts';
import { recordedSource } from '../cli/recorded-source.ts';
import type { SessionSettings } from '../cli/session-settings.ts';
import { EventLog, type LoggedEvent } from './event-log.ts';

export type AgentSource =
  | { kind: 'serial'; port: string; baud: number }
  | { kind: 'replay'; path: string; speed: number | 'max' }
  | { kind: 'sim'; scenario?: string | undefined };

export interface AgentSessionOptions {
  source: AgentSource;
  /** --mbedtls, --no-redact, the profiles and --config, as every command reads them. */
  settings: SessionSettings;
  broker?: { url: string; topics: string[]; ca?: string; cert?: string; key?: string } | undefined;
  /** One line for the user (stderr: stdout is the protocol). */
  log: (line: string) => void;
}

export interface AgentCommand {
  name: string;
  description: string;
  /** The key table marks it (regenerate key, reset): an agent must pass confirm: true. */
  destructive: boolean;
}

export interface AgentSession {
  readonly source: SourceInfo;
  readonly events: EventLog;
  /** Resolves when tools may answer: a replay at max speed is ingested whole first. */
  readonly ready: Promise<void>;
  /** The input ended (end of a replay); a live source never ends on its own. */
  ended(): boolean;
  snapshot(): Snapshot;
  summary(): Summary;
  /** The current findings, each with the sequence number of the event that first reported it. */
  findings(): { finding: Finding; seq: number }[];
  readonly commands: AgentCommand[];
  /** Why this source takes no commands (a replay), or null. */
  readonly noCommands: string | null;
  /** Runs a command of the key table; resolves with the bytes sent (none for a reset). */
  run(name: string): Promise<Uint8Array>;
  /** Sends one line with the configured line ending. */
  sendLine(text: string): Promise<Uint8Array>;
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
}

export async function openAgentSession(opts: AgentSessionOptions): Promise<AgentSession> {
  const { settings } = opts;
  let session: Session;
  let source: Source;
  // Set once the source is started (below); the broker may speak before that.
  let p: Pump | null = null;
  const now = (): number => p?.now() ?? 0;
  let closeExtra: () => Promise<void> = async () => undefined;
  let commands: CommandConfig | null = null;
  const common = { mbedtls: settings.mbedtls, redact: settings.redact, profiles: settings.profiles };
  const b = opts.broker;
  const broker = b ? { url: b.url, topics: b.topics, now, ...(b.ca ? { ca: b.ca } : {}), ...(b.cert ? { cert: b.cert } : {}), ...(b.key ? { key: b.key } : {}) } : null;

  const o = opts.source;
  if (o.kind === 'replay') {
    const file = await openFileSource(o.path, { speed: o.speed });
    session = createSession({ source: { type: 'file', name: o.path }, ...common, broker });
    source = file;
  } else if (o.kind === 'sim') {
    commands = await loadCommandConfig(settings.config ? { file: settings.config } : {});
    // The demo brings its own embedded broker and hsmon's client on it (args.ts refuses --broker).
    const demo = await startDemo({ scenario: o.scenario, settings });
    session = demo.session;
    source = demo.sim;
    closeExtra = demo.close;
  } else {
    commands = await loadCommandConfig(settings.config ? { file: settings.config } : {});
    const recordingPath = defaultRecordingPath(o.port);
    session = createSession({ source: { type: 'serial', name: o.port, baud: o.baud, recordingPath }, ...common, broker });
    await requireBroker(session);
    let serial;
    try {
      serial = await openSerialSource({ path: o.port, baud: o.baud, reconnect: true });
    } catch (err) {
      await session.close();
      throw new UsageError((err as Error).message);
    }
    const redactor = settings.redact ? new SecretRedactor() : null;
    let writer: CastWriter | null = null;
    try {
      writer = new CastWriter(recordingPath, { title: `hsmon mcp ${o.port}`, source: o.port, baud: o.baud, ...(redactor ? { redact: (t: string) => redactor.redact(t).text } : {}) });
      opts.log(`recording to ${recordingPath}`);
    } catch (err) {
      opts.log(`not recording: cannot write ${recordingPath}: ${(err as Error).message}`);
    }
    const start = performance.now();
    source = recordedSource(serial, writer, session, () => performance.now() - start);
    closeExtra = async () => writer?.close();
  }
  if (o.kind === 'replay') await requireBroker(session);

  const events = new EventLog();
  const firstSeq = new Map<string, number>();
  const record = (e: LoggedEvent): void => {
    const seq = events.push(e);
    if (e.kind === 'finding') {
      const f = (e as unknown as { finding: Finding }).finding;
      const key = `${f.code}@${f.line}`;
      if (!firstSeq.has(key)) firstSeq.set(key, seq);
    }
  };
  const findingStream = streamFindings(session, (e) => record(e as LoggedEvent));
  session.onEvent((e) => record(e as LoggedEvent));

  session.onEvent((e) => {
    if (e.kind === 'broker.status' && (e.state === 'error' || e.state === 'offline')) opts.log(e.detail ?? `broker ${e.state}`);
  });

  const started = pump(source, session, { liveClock: o.kind !== 'replay' });
  p = started;
  let ended = false;
  const finished = started.done.then(
    async () => {
      session.end(now());
      await session.settled();
      findingStream.flush(now());
      ended = true;
    },
    (err: unknown) => {
      session.setStatus({ state: 'error', detail: (err as Error)?.message ?? String(err) });
      opts.log(`the source stopped: ${(err as Error)?.message ?? String(err)}`);
    },
  );
  // A replay at max speed is answered from the whole file; a paced one (and a live source) at once.
  const ready = o.kind === 'replay' && o.speed === 'max' ? finished : Promise.resolve();

  const bytesSent = (bytes: Uint8Array): Uint8Array => {
    if (bytes.length > 0) session.tx(bytes, now());
    return bytes;
  };

  return {
    source: session.source,
    events,
    ready,
    ended: () => ended,
    snapshot: () => session.getSnapshot(),
    summary: () => session.summary(),
    findings() {
      findingStream.flush(now());
      return session.getSnapshot().findings.map((finding) => ({ finding, seq: firstSeq.get(`${finding.code}@${finding.line}`) ?? events.cursor }));
    },
    commands: (commands?.commands ?? []).map((c) => ({ name: c.name, description: c.description, destructive: c.confirm })),
    noCommands: commands ? null : 'a replayed file takes no device commands (use --sim or a serial PORT)',
    async run(name) {
      const c = commands?.commands.find((x) => x.name === name);
      if (!c) throw new Error(`no device command '${name}'`);
      const sent = bytesSent(await runCommand(source, c));
      if (c.reset) session.note(`${c.name}: DTR/RTS reset sequence sent`, now());
      return sent;
    },
    async sendLine(text) {
      if (!commands) throw new Error('a replayed file takes no device commands');
      const bytes = encodeLine(text, commands.lineEnding);
      await source.write(bytes);
      return bytesSent(bytes);
    },
    onChange: (listener) => session.onChange(listener),
    async close() {
      await session.close();
      await source.close().catch(() => undefined);
      await closeExtra();
    },
  };
}
