/**
 * `hsmon monitor PORT`: a serial port (with auto-reconnect), recorded as it arrives, optionally
 * the broker side over mqtt.js, shown in the interactive monitor or as NDJSON.
 */
import { brokerMarker } from '../mqtt/broker-marker.ts';
import { openSerialSource, type Parity } from '../io/serial.ts';
import { noFlushOpenRate } from '../io/exact-baud.ts';
import { TtyReader } from '../io/tty-reader.ts';
import { CastWriter } from '../record/cast-writer.ts';
import { defaultRecordingPath } from '../record/default-path.ts';
import { privateDir } from '../record/private-files.ts';
import { stableClientId } from '../io/broker.ts';
import { checkBrokerSecurity } from '../mqtt/broker-security.ts';
import { NdjsonWriter } from '../output/ndjson.ts';
import { streamFindings } from '../output/finding-stream.ts';
import { createSession } from '../session/create-session.ts';
import type { SessionEvent } from '../session/types.ts';
import type { Parsed } from './args.ts';
import { UsageError } from './errors.ts';
import { pump } from './pump.ts';
import { recordedSource } from './recorded-source.ts';
import type { SessionSettings } from './session-settings.ts';
import { requireBroker } from './broker-verdict.ts';
import { onStdoutClosed } from './stdout-closed.ts';
import { CaptureFiles, captureOptions } from './capture-files.ts';

const PARITIES: Parity[] = ['none', 'even', 'odd', 'mark', 'space'];

function intOption(v: unknown, name: string, allowed?: number[]): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || (allowed && !allowed.includes(n))) {
    throw new UsageError(`--${name} takes ${allowed ? allowed.join(', ') : 'a positive whole number'}, got '${String(v)}'`);
  }
  return n;
}

/**
 * The start-up checks of the broker options that stop hsmon before it opens anything: TLS
 * options with a plaintext URL, credentials over plaintext without consent.
 */
export function validateBrokerOptions(v: Parsed['values'], env: NodeJS.ProcessEnv = process.env): void {
  const url = v['broker'];
  if (typeof url !== 'string') {
    const stray = ['ca', 'cert', 'key'].filter((o) => v[o] !== undefined);
    if (stray.length > 0) throw new UsageError(`${stray.map((o) => `--${o}`).join(', ')} without --broker: there is no broker connection to use them for`);
    return;
  }
  const problem = checkBrokerSecurity({
    url, ca: v['ca'] as string | undefined, cert: v['cert'] as string | undefined, key: v['key'] as string | undefined,
    hasCredentials: Boolean(env['HSMON_MQTT_USERNAME'] || env['HSMON_MQTT_PASSWORD']),
    allowPlaintextCredentials: Boolean(v['allow-plaintext-credentials']),
  });
  if (problem) throw new UsageError(problem);
}

export async function runMonitor(port: string, v: Parsed['values'], opts: SessionSettings): Promise<number> {
  validateBrokerOptions(v);
  const baud = intOption(v['baud'], 'baud') ?? 115200;
  const dataBits = intOption(v['data-bits'], 'data-bits', [5, 6, 7, 8]) as 5 | 6 | 7 | 8 | undefined;
  const stopBits = intOption(v['stop-bits'], 'stop-bits', [1, 2]) as 1 | 2 | undefined;
  const parity = v['parity'] as Parity | undefined;
  if (parity !== undefined && !PARITIES.includes(parity)) throw new UsageError(`--parity takes ${PARITIES.join(', ')}, got '${parity}'`);
  const flow = v['flow'] as string | undefined;
  if (flow !== undefined && !['none', 'rtscts', 'xonxoff'].includes(flow)) throw new UsageError(`--flow takes none, rtscts or xonxoff, got '${flow}'`);
  const json = Boolean(v['json']);
  // Before anything can print: Ctrl+C and a reader that went away (`| head`) end the NDJSON run
  // with the summary, and the recording kept.
  const stop = json
    ? new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
        onStdoutClosed(resolve);
      })
    : null;

  const ownFolder = v['record'] === undefined;
  const recordingPath = v['no-record'] ? null : ((v['record'] as string | undefined) ?? defaultRecordingPath(port));
  const start = performance.now();
  const now = () => performance.now() - start;
  const out = json ? new NdjsonWriter(process.stdout) : null;
  const session = createSession({
    source: { type: 'serial', name: port, baud, recordingPath },
    mbedtls: opts.mbedtls, redact: opts.redact, profiles: opts.profiles, redactPatterns: opts.redactPatterns,
    broker: typeof v['broker'] === 'string'
      ? {
          url: v['broker'], topics: (v['topic'] as string[] | undefined) ?? ['#'], now,
          clientId: stableClientId(port, v['broker']), allowPlaintextCredentials: Boolean(v['allow-plaintext-credentials']),
          ...(v['ca'] ? { ca: v['ca'] as string } : {}), ...(v['cert'] ? { cert: v['cert'] as string } : {}), ...(v['key'] ? { key: v['key'] as string } : {}),
        }
      : null,
  });
  // A broker that can never work stops the monitor here, before the port is opened: its one
  // line is the error, nothing goes to stdout.
  await requireBroker(session);
  // NDJSON goes through `emit`: with --pcapng it becomes the capture's annotator (below).
  let emit = (e: SessionEvent): void => out?.write(e);
  const findings = out ? streamFindings(session, (e) => emit(e)) : null;
  if (out) {
    const brokerLine = (state: string, detail: string | null | undefined): void => {
      // The detail names the broker already ("broker at host:port refused …").
      if (state === 'error' || state === 'offline') process.stderr.write(`hsmon: ${detail ?? `broker ${state}`}\n`);
    };
    const known = session.getSnapshot().mqtt.brokerStatus;
    if (known) {
      out.write({ kind: 'broker.status', t: now(), line: null, state: known.state, detail: known.detail ?? null });
      brokerLine(known.state, known.detail);
    }
    session.onEvent((e) => {
      emit(e);
      if (e.kind === 'broker.status') brokerLine(e.state, e.detail);
    });
  }

  // The broker's side goes into the recording too, so a replay shows both sides; the broker
  // connects before the port opens, so what it delivers before the recording starts waits for it.
  const brokerSide = recordBrokerSide(session);
  // On Linux the port is read, and recorded, on a worker thread (io/tty-reader.ts): what the
  // device sends is on disk within 50 ms however long the UI takes to render. Elsewhere
  // serialport reads it here (its open flushes the tty, so nothing may read it in between).
  const reader = noFlushOpenRate(baud) !== null
    ? await TtyReader.start().catch((err: Error) => {
        process.stderr.write(`hsmon: the port reader thread did not start (${err.message}); reading the port on the main thread\n`);
        return null;
      })
    : null;
  // The reader thread keeps the process alive: whatever ends the monitor early ends it too.
  try {
    let serial;
    try {
      serial = await openSerialSource({
        path: port, baud, dataBits, stopBits, parity,
        rtscts: flow === 'rtscts', xonxoff: flow === 'xonxoff',
        reconnect: !v['no-reconnect'],
        ...(reader ? { reader } : {}),
      });
    } catch (err) {
      await reader?.close();
      await session.close();
      throw new UsageError((err as Error).message);
    }

    let writer: CastWriter | null = null;
    if (!opts.redact) process.stderr.write('hsmon: --no-redact: private keys, session secrets and credentials the device prints are shown and recorded as they are\n');
    // Disk full or an I/O error: the file keeps every complete event before it, and the monitor
    // goes on without recording (status bar, NDJSON `record.stopped`, stderr).
    const recordingStopped = (detail: string): void => {
      session.recordingStopped(detail, now());
      process.stderr.write(`hsmon: recording to ${recordingPath} stopped: ${detail}; monitoring goes on\n`);
    };
    if (reader) {
      reader.onFailed = (why) => {
        if (recordingPath) recordingStopped(why);
        session.setStatus({ state: 'error', detail: `${port}: ${why} — hsmon reads the port no more (please report it)` }, now());
        process.stderr.write(`hsmon: ${why}; hsmon reads ${port} no more (please report it)\n`);
      };
    }
    if (recordingPath) {
      // The recording is written from the session's redaction (on the reader's thread, the same
      // redaction fed the same lines: record/line-redaction.ts), line by line, unless --no-redact:
      // then the bytes as they came.
      let failure: string | null = null;
      try {
        if (ownFolder) privateDir(recordingPath, { tighten: true });
        if (reader) {
          reader.onRecordingFailed = recordingStopped;
          failure = await reader.record({ path: recordingPath, title: `hsmon ${port}`, source: port, baud, redact: opts.redact, redactPatterns: opts.redactPatterns ?? [] });
        } else {
          writer = new CastWriter(recordingPath, {
            title: `hsmon ${port}`, source: port, baud,
            onError: () => recordingStopped(writer?.failure ?? 'write failed'),
            ...(opts.redact ? { shown: { partial: () => session.safePartial(), counts: () => session.redactions() ?? {} } } : { redacted: false }),
          });
          const w = writer;
          if (opts.redact) session.onLine((text, t) => w.line(text, t));
        }
      } catch (err) {
        failure = (err as Error).message;
      }
      if (failure !== null) {
        await serial.close();
        await reader?.close();
        await session.close();
        throw new UsageError(`cannot write the recording ${recordingPath}: ${failure} (use --record FILE or --no-record)`);
      }
      process.stderr.write(`hsmon: recording to ${recordingPath}\n`);
      const w = writer;
      brokerSide.record((e) => (w ? w.marker(brokerMarker(e), e.t) : reader?.marker(brokerMarker(e))));
    } else {
      brokerSide.record(null);
      await reader?.record(null);
    }

    // --pcapng/--keylog: the capture reads the device's own bytes (secrets included) just
    // before the session does; the session, its views and the recording stay redacted.
    const files = captureOptions(v);
    const capture = files.pcapng !== undefined || files.keylog !== undefined
      ? new CaptureFiles({ ...files, startMs: Date.now() - now(), ...(opts.profiles ? { profiles: opts.profiles } : {}), warn: (l) => process.stderr.write(`${l}\n`) })
      : null;
    if (capture) session.setCapture(capture.stage);
    const annotator = out && capture ? capture.annotator<SessionEvent>((e) => out.write(e)) : null;
    if (annotator) emit = (e) => annotator.event(e);

    const recorded = recordedSource(serial, reader ?? writer, session, now);
    const source = capture ? capture.tee(recorded, () => now(), () => annotator?.release()) : recorded;
    const close = async () => {
      await session.close();
      await source.close();
      writer?.close();
      await reader?.close();
      if (capture) {
        capture.finish(now(), false);
        annotator?.release(true);
      }
    };

    if (json && out && stop) {
      const p = pump(source, session, { liveClock: true });
      await Promise.race([p.done, stop]);
      await close();
      session.end(now());
      await session.settled();
      const summary = session.summary();
      findings?.flush(now());
      out.write(summary);
      await out.drain();
      return 0;
    }

    const { runInteractive } = await import('./interactive.ts');
    return runInteractive({ kind: 'monitor', source, session, close, config: opts.config });
  } catch (err) {
    await reader?.close();
    throw err;
  }
}

type BrokerMessageEvent = Extract<SessionEvent, { kind: 'mqtt.message' }>;
/** Broker messages kept at most before the recording starts (a moment: the port is opening). */
const EARLY_BROKER_MESSAGES = 1000;

/** Hands the session's broker messages to the recording once it says where they go (null: nowhere). */
function recordBrokerSide(session: { onEvent(l: (e: SessionEvent) => void): () => void }): { record(to: ((e: BrokerMessageEvent) => void) | null): void } {
  let sink: ((e: BrokerMessageEvent) => void) | null | undefined;
  const early: BrokerMessageEvent[] = [];
  const off = session.onEvent((e) => {
    if (e.kind !== 'mqtt.message' || e.source !== 'broker') return;
    if (sink) sink(e);
    else if (sink === undefined && early.length < EARLY_BROKER_MESSAGES) early.push(e);
  });
  return {
    record(to) {
      sink = to;
      if (to === null) off();
      for (const e of early.splice(0)) to?.(e);
    },
  };
}
