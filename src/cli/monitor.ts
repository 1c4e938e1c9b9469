/**
 * `hsmon monitor PORT`: a serial port (with auto-reconnect), recorded as it arrives, optionally
 * the broker side over mqtt.js, shown in the interactive monitor or as NDJSON.
 */
import { connectBroker, type BrokerConnection, type BrokerHandlers, type BrokerOptions, type BrokerStatus } from '../io/broker.ts';
import { openSerialSource, type Parity } from '../io/serial.ts';
import { CastWriter } from '../record/cast-writer.ts';
import { defaultRecordingPath } from '../record/default-path.ts';
import { SecretRedactor } from '../../parsers/secrets.ts';
import { brokerMessageEvent } from '../mqtt/summary.ts';
import { NdjsonWriter } from '../output/ndjson.ts';
import { streamFindings } from '../output/finding-stream.ts';
import { Session } from '../session/session.ts';
import { attachDiagnosis } from '../session/diagnosis-hook.ts';
import type { Parsed } from './args.ts';
import { UsageError } from './errors.ts';
import { pump } from './pump.ts';
import { loadProfiles } from './profiles.ts';
import { recordedSource } from './recorded-source.ts';
import { onStdoutClosed } from './stdout-closed.ts';

const PARITIES: Parity[] = ['none', 'even', 'odd', 'mark', 'space'];

function intOption(v: unknown, name: string, allowed?: number[]): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || (allowed && !allowed.includes(n))) {
    throw new UsageError(`--${name} takes ${allowed ? allowed.join(', ') : 'a positive whole number'}, got '${String(v)}'`);
  }
  return n;
}

/** How long the first broker verdict may take before the monitor starts anyway (then it reconnects as usual). */
const BROKER_VERDICT_MS = 6000;

/**
 * Connects to the broker and waits for its first verdict. An error that retrying cannot fix
 * (malformed URL, unreadable --ca/--cert/--key, TLS or credentials refused) is a usage error
 * (exit 2, one line); a broker that is merely down is retried while the monitor runs.
 */
export async function startBroker(opts: BrokerOptions, handlers: BrokerHandlers): Promise<BrokerConnection> {
  let verdict!: (s: BrokerStatus | null) => void;
  const first = new Promise<BrokerStatus | null>((resolve) => (verdict = resolve));
  const conn = connectBroker(opts, {
    message: (m) => handlers.message(m),
    status(s) {
      if (s.state !== 'connecting') verdict(s);
      handlers.status(s);
    },
  });
  const timer = setTimeout(() => verdict(null), BROKER_VERDICT_MS);
  const s = await first;
  clearTimeout(timer);
  if (s?.state === 'error') {
    await conn.close();
    throw new UsageError(s.detail ?? `the broker ${opts.url} cannot be used`);
  }
  return conn;
}

export async function runMonitor(port: string, v: Parsed['values'], opts: { mbedtls?: '2.28' | '3.6' | undefined; redact: boolean }): Promise<number> {
  let start = performance.now();
  const now = () => performance.now() - start;
  const baud = intOption(v['baud'], 'baud') ?? 115200;
  const dataBits = intOption(v['data-bits'], 'data-bits', [5, 6, 7, 8]) as 5 | 6 | 7 | 8 | undefined;
  const stopBits = intOption(v['stop-bits'], 'stop-bits', [1, 2]) as 1 | 2 | undefined;
  const parity = v['parity'] as Parity | undefined;
  if (parity !== undefined && !PARITIES.includes(parity)) throw new UsageError(`--parity takes ${PARITIES.join(', ')}, got '${parity}'`);
  const flow = v['flow'] as string | undefined;
  if (flow !== undefined && !['none', 'rtscts', 'xonxoff'].includes(flow)) throw new UsageError(`--flow takes none, rtscts or xonxoff, got '${flow}'`);
  const json = Boolean(v['json']);

  // The broker first: one that can never work stops the monitor before the port is opened.
  let broker: BrokerConnection | null = null;
  const early: BrokerStatus[] = [];
  const brokerSink: BrokerHandlers = { message: () => undefined, status: (s) => early.push(s) };
  if (typeof v['broker'] === 'string') {
    broker = await startBroker(
      {
        url: v['broker'], topics: (v['topic'] as string[] | undefined) ?? ['#'], now: () => now(),
        ...(v['ca'] ? { ca: v['ca'] as string } : {}), ...(v['cert'] ? { cert: v['cert'] as string } : {}), ...(v['key'] ? { key: v['key'] as string } : {}),
      },
      { message: (m) => brokerSink.message(m), status: (s) => brokerSink.status(s) },
    );
  }

  let serial;
  try {
    serial = await openSerialSource({
      path: port, baud, dataBits, stopBits, parity,
      rtscts: flow === 'rtscts', xonxoff: flow === 'xonxoff',
      reconnect: !v['no-reconnect'],
    });
  } catch (err) {
    await broker?.close();
    throw new UsageError((err as Error).message);
  }

  const recordingPath = v['no-record'] ? null : ((v['record'] as string | undefined) ?? defaultRecordingPath(port));
  const profiles = await loadProfiles(v['config'] as string | undefined, (l) => process.stderr.write(`${l}\n`));
  const session = new Session({ source: { type: 'serial', name: port, baud, recordingPath }, mbedtls: opts.mbedtls, redact: opts.redact, ...(profiles ? { profiles } : {}) });
  attachDiagnosis(session);
  start = performance.now();

  let writer: CastWriter | null = null;
  if (recordingPath) {
    // The recording is redacted line by line like every other output, unless --no-redact.
    const redactor = opts.redact ? new SecretRedactor() : null;
    try {
      writer = new CastWriter(recordingPath, {
        title: `hsmon ${port}`, source: port, baud,
        ...(redactor ? { redact: (text: string) => redactor.redact(text).text } : {}),
      });
    } catch (err) {
      await serial.close();
      throw new UsageError(`cannot write the recording ${recordingPath}: ${(err as Error).message} (use --record FILE or --no-record)`);
    }
    process.stderr.write(`hsmon: recording to ${recordingPath}\n`);
  }

  const out = json ? new NdjsonWriter(process.stdout) : null;
  const findings = out ? streamFindings(session, (e) => out.write(e)) : null;
  if (out) session.onEvent((e) => out.write(e));

  if (broker) {
    brokerSink.message = (m) => {
      session.facts.brokerMessage(m);
      out?.write(brokerMessageEvent(m, session.lines - 1));
    };
    brokerSink.status = (s) => {
      session.facts.brokerStatus = s.detail ? `${s.state}: ${s.detail}` : s.state;
      out?.write({ kind: 'broker.status', t: now(), line: null, state: s.state, detail: s.detail ?? null });
      // The detail names the broker already ("broker at host:port refused …").
      if (json && (s.state === 'error' || s.state === 'offline')) process.stderr.write(`hsmon: ${s.detail ?? `broker ${s.state}`}\n`);
    };
  }
  // What the broker said before the session existed; after the signal handlers are in place.
  const flushEarly = (): void => {
    for (const s of early.splice(0)) brokerSink.status(s);
  };

  const source = recordedSource(serial, writer, session, now);
  const close = async () => {
    await broker?.close();
    await source.close();
    writer?.close();
  };

  if (json && out) {
    const p = pump(source, session, { liveClock: true });
    const stop = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      // `| head` went away: keep the recording, write nothing more.
      onStdoutClosed(resolve);
    });
    flushEarly();
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

  flushEarly();
  const { runInteractive } = await import('./interactive.ts');
  return runInteractive({ kind: 'monitor', source, session, close, broker });
}
