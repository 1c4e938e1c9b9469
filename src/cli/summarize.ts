/** `hsmon summarize FILE [--json]` and `hsmon replay FILE --json`: a recording read to its end. */
import { openFileSource } from '../io/file-source.ts';
import { NdjsonWriter } from '../output/ndjson.ts';
import { streamFindings } from '../output/finding-stream.ts';
import { formatSummaryText, summaryExitCode } from '../output/summary-text.ts';
import { createSession } from '../session/create-session.ts';
import { pump } from './pump.ts';
import type { SessionSettings } from './session-settings.ts';
import { discardPrestarted, parseInWorker } from './parse-in-worker.ts';
import { stageOptions } from './parse-worker.ts';

export interface FileRunOptions {
  path: string;
  json: boolean;
  /** Emit every event (replay --json) or only the summary (summarize --json). */
  events: boolean;
  speed: number | 'max';
  settings: SessionSettings;
}

export async function runFile(opts: FileRunOptions): Promise<number> {
  const source = await openFileSource(opts.path, { speed: opts.speed, onWarning: (m) => process.stderr.write(`hsmon: ${m}\n`) });
  const { mbedtls, redact, profiles } = opts.settings;
  const session = createSession({ source: { type: 'file', name: opts.path }, mbedtls, redact, profiles });
  const out = new NdjsonWriter(process.stdout);
  const findings = opts.json && opts.events ? streamFindings(session, (e) => out.write(e)) : null;
  if (opts.json && opts.events) session.onEvent((e) => out.write(e));
  let now: () => number;
  if (source.format === 'text' && process.env['HSMON_NO_WORKER'] === undefined) {
    // A plain log has no timing: parse it on a worker thread while this one runs the session
    // (HSMON_NO_WORKER=1: all in this thread, as a .cast recording is).
    await parseInWorker({ path: opts.path, stage: stageOptions(mbedtls, redact, profiles) }, session, () => out.backedUp());
    now = () => 0;
  } else {
    discardPrestarted();
    const p = pump(source, session, { liveClock: false });
    await p.done;
    now = p.now;
  }
  // The source failed part way (a read error, or an exception of hsmon's own): say so, and
  // still end the session and print what it saw; the exit code says the input was not read.
  const status = session.getSnapshot().status;
  const failed = status.state === 'error' ? (status.detail ?? `cannot read ${opts.path}`) : null;
  if (failed !== null) process.stderr.write(`hsmon: ${failed}\n`);
  session.end();
  await session.settled();
  const summary = session.summary();
  if (opts.json) {
    findings?.flush(now());
    out.write(summary);
    await out.drain();
  } else {
    process.stdout.write(formatSummaryText(summary));
  }
  await source.close();
  return failed !== null ? 2 : summaryExitCode(summary);
}
