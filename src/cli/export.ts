/**
 * `hsmon export FILE --pcapng OUT [--keylog KEYS] [--no-keys] [--json]`: a Wireshark capture
 * and/or an NSS key log from a log or a recording (src/export/capture.ts says how). With
 * --json the session's events are printed as by `replay --json`, each `tls.record` with the
 * number of its packet in OUT.
 */
import { stat } from 'node:fs/promises';
import { openFileSource } from '../io/file-source.ts';
import { readCastHeader } from '../record/cast-reader.ts';
import { NdjsonWriter } from '../output/ndjson.ts';
import { streamFindings } from '../output/finding-stream.ts';
import { createSession } from '../session/create-session.ts';
import type { SessionEvent } from '../session/types.ts';
import type { Parsed } from './args.ts';
import { CaptureFiles, captureOptions } from './capture-files.ts';
import { UsageError } from './errors.ts';
import { pump } from './pump.ts';
import type { SessionSettings } from './session-settings.ts';

export async function runExport(path: string, v: Parsed['values'], settings: SessionSettings): Promise<number> {
  const files = captureOptions(v);
  if (files.pcapng === undefined && files.keylog === undefined) {
    throw new UsageError('hsmon export needs --pcapng OUT (a Wireshark capture) and/or --keylog KEYS (an NSS key log)');
  }
  let source;
  try {
    source = await openFileSource(path, { speed: 'max' });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // Packet times: the recording's start plus each line's t; a plain log has no times, so its
  // packets are placed at the file's modification time.
  let startMs = (await stat(path)).mtimeMs;
  let redacted = false;
  if (source.format === 'cast') {
    const header = await readCastHeader(path);
    if (typeof header.timestamp === 'number') startMs = header.timestamp * 1000;
    redacted = header.hsmon?.redacted === true;
  }
  const { mbedtls, redact, profiles } = settings;
  const warn = (l: string) => process.stderr.write(`${l}\n`);
  const capture = new CaptureFiles({ ...files, startMs, ...(profiles ? { profiles } : {}), warn });

  const json = Boolean(v['json']);
  // The NDJSON (--json) is hsmon's usual output, redacted unless --no-redact; the diagnosis
  // is only worth running for it.
  const session = createSession({ source: { type: 'file', name: path }, mbedtls, redact, profiles, redactPatterns: settings.redactPatterns, ...(json ? {} : { diagnosis: null }) });
  const out = json ? new NdjsonWriter(process.stdout) : null;
  const annotator = out ? capture.annotator<SessionEvent>((e) => out.write(e)) : null;
  const findings = annotator ? streamFindings(session, (e) => annotator.event(e)) : null;
  if (annotator) session.onEvent((e) => annotator.event(e));
  let lastT = 0;
  const clock = (t: number | undefined) => (t === undefined ? lastT : (lastT = t));
  const p = pump(capture.tee(source, clock, () => annotator?.release()), session, { liveClock: false });
  await p.done;
  await source.close();
  const ok = capture.finish(p.now(), redacted);
  session.end();
  if (out && annotator) {
    annotator.release(true);
    await session.settled();
    findings?.flush(p.now());
    out.write(session.summary());
    await out.drain();
  }
  return ok ? 0 : 2;
}
