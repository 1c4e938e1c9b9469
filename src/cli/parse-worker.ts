/**
 * Worker thread of a file replay (parse-in-worker.ts): reads a plain text log, runs the parse
 * stage over it (framer, redaction, profiles, family parsers) and posts what it found to the
 * main thread in batches, one per block read (256 KiB), while the main thread runs the rest of
 * the session on the previous ones.
 *
 * bin/hsmon.js starts it before the main thread loads hsmon, with the command line: it works
 * out from that the file and options runFile will use and starts at once, and tells the main
 * thread what it assumed (`began`); runFile checks that against its own and starts a worker with
 * its options if they differ. So does the interactive replay with its tape's two workers
 * (bin/early-workers.js, tape-in-worker.ts): each is told its half of the pipe in `workerData`. A
 * worker started with no usable command line waits for `start`.
 */
import { createReadStream } from 'node:fs';
import { setPriority } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchSink, ParseStage, type ParseSink, type ParseStageOptions, type ParsedBatch } from '../session/parse-stage.ts';
import type { TapeChunk } from '../session/replay-tape.ts';
import { TapeRecorder, recordingSink } from '../session/tape-recorder.ts';
import { RedactionFeed, RedactionPass, type Redactions } from '../session/redaction-pass.ts';
import { parseCommandLine, parseMbedtls } from './args.ts';
import { loadProfiles } from './profiles.ts';
import { loadRedactPatterns } from './redact-config.ts';
import { Wakeup } from '../util/wakeup.ts';

export type WorkerStage = Omit<ParseStageOptions, 'parsers' | 'redactions'>;

/** What to read and how to parse it. */
export interface ParseJob {
  path: string;
  stage: WorkerStage;
  /**
   * The interactive replay's tape (tape-in-worker.ts): TapeChunks instead of batches, of the
   * first `bytes` bytes (what the replay loaded; a log still growing has more).
   */
  tape?: { bytes: number };
  /**
   * The tape's parse split over two workers (tape-in-worker.ts, src/session/redaction-pass.ts):
   * `redact` reads the file, frames and redacts it, and hands on each block with what redaction
   * changed through `port`; `parse` runs the rest of the parse stage on those blocks with those
   * redactions and records the tape.
   */
  pipe?: { role: 'redact' | 'parse'; port: MessagePort };
}

/** Main thread to worker, when the worker did not begin on its own. */
export interface ParseWorkerStart extends ParseJob {
  type: 'start';
}

/** Main thread to worker: one batch was ingested (see MAX_IN_FLIGHT). */
export interface ParseWorkerAck {
  type: 'ack';
}

/** Worker to main thread. */
export type ParseWorkerMessage =
  | { type: 'began'; job: ParseJob }
  | { type: 'batch'; batch: ParsedBatch; head?: Uint8Array }
  | { type: 'tape'; chunk: TapeChunk }
  | { type: 'end' }
  /** `internal`: an exception of hsmon's own, not an error reading the file. */
  | { type: 'error'; message: string; internal?: boolean };

/** The session sees the file in chunks of this size, as from the file source. */
const CHUNK = 64 * 1024;
/** Read-ahead block, one batch each. */
const BLOCK = 4 * CHUNK;
/**
 * Batches posted and not yet acknowledged (ingested by the main thread) before this thread
 * waits: 8 MB of the file ahead. That covers the main thread's start-up, and it bounds the
 * memory the batches take when the main thread falls behind (a busy machine), which would
 * otherwise grow with the file.
 */
export const MAX_IN_FLIGHT = 32;
/**
 * Events in a batch beyond which it is sent before its block ends, and events in flight beyond
 * which the worker waits (issue 15: a million MQTT lines of 68 bytes put 3900 events in each of
 * the 32 batches in flight, 275 MB peak RSS; a debug-4 log makes far fewer per block).
 */
const MAX_BATCH_ITEMS = 1024;
const MAX_ITEMS_IN_FLIGHT = 16 * 1024;

/**
 * The job runFile will ask for, from the command line (hsmon's arguments); with `tape`, the job
 * of the interactive replay's tape (openReplay), of the file as large as it is now. Null when
 * unsure.
 */
export async function jobFromArgs(argv: string[], tape = false): Promise<ParseJob | null> {
  const p = parseCommandLine(argv);
  const v = p.values;
  const path = p.positionals[0];
  if (!path || v['help']) return null;
  if (tape ? !(p.command === 'replay' && !v['json']) : !(p.command === 'summarize' || (p.command === 'replay' && v['json']))) return null;
  // A recording in asciicast format is replayed in process: leave it alone.
  if (await mayBeCast(path)) return null;
  const profiles = await loadProfiles(v['config'] as string | undefined, () => {});
  const patterns = await loadRedactPatterns(v['config'] as string | undefined);
  const stage = stageOptions(parseMbedtls(v['mbedtls']), !v['no-redact'], profiles, patterns);
  return tape ? { path, stage, tape: { bytes: (await stat(path)).size } } : { path, stage };
}

/** What bin/early-workers.js gives a tape worker it starts: its half of the pipe, if any. */
export interface TapeWorkerData {
  tape: true;
  pipe?: ParseJob['pipe'];
}

/** The parse stage options of runFile, built the same way on both threads. */
export function stageOptions(mbedtls: WorkerStage['mbedtls'], redact: boolean, profiles: WorkerStage['profiles'], redactPatterns: readonly string[] = []): WorkerStage {
  return { mbedtls, redact, ...(profiles ? { profiles } : {}), ...(redactPatterns.length > 0 ? { redactPatterns } : {}) };
}

async function mayBeCast(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('latin1').trimStart().startsWith('{');
  } finally {
    await fh.close();
  }
}

/**
 * The interactive replay's tape is read ahead of what the screen shows: the screen's thread,
 * and the terminal, must win the CPU over it (a key answered within 100 ms on two cores). On
 * Linux the nice value is a thread's own, and pid 0 names the calling thread; elsewhere it is
 * the whole process's, so it is left alone there.
 */
function behindTheUi(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 10);
  } catch {
    // Not allowed (a sandbox): the tape is read at the same priority as the screen.
  }
}

/** An error reading the file: the one failure reported as "cannot read FILE". */
class ReadError extends Error {}

/** The file in blocks of BLOCK bytes; an error of the read itself becomes a ReadError. */
async function* blocks(path: string, bytes?: number): AsyncGenerator<Buffer> {
  if (bytes === 0) return;
  const stream = createReadStream(path, { highWaterMark: BLOCK, ...(bytes !== undefined ? { end: bytes - 1 } : {}) });
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let r: IteratorResult<Buffer>;
      try {
        r = await it.next();
      } catch (err) {
        throw new ReadError(err instanceof Error ? err.message : String(err), { cause: err });
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    stream.destroy();
  }
}

/**
 * Blocks handed on and not yet parsed (the parsing worker acknowledges each) before the
 * redacting worker waits: 4 MB of the file ahead.
 */
const MAX_REDACTIONS_IN_FLIGHT = 16;

/** Redacting worker to parsing worker: a block of the file and what redaction changed in it (null: the end). */
interface RedactedBlock {
  redactions: Redactions;
  block: Uint8Array | null;
}

/** The redacting half of a tape's parse: frames and redacts the file, hands on each block with what it changed. */
async function redactAhead(port: NonNullable<typeof parentPort>, job: ParseJob, pipe: MessagePort): Promise<void> {
  behindTheUi();
  const pass = new RedactionPass({
    ...(job.stage.redactPatterns ? { patterns: job.stage.redactPatterns } : {}),
    ...(job.stage.maxLineBytes ? { maxLineBytes: job.stage.maxLineBytes } : {}),
  });
  let inFlight = 0;
  const parsed = new Wakeup();
  pipe.on('message', () => {
    inFlight--;
    parsed.wake();
  });
  for await (const block of blocks(job.path, job.tape?.bytes)) {
    pass.push(block);
    // The other worker parses these very bytes, not its own read of the file: a file rewritten
    // meanwhile would give it lines this one never redacted. A copy of its own, moved, not cloned.
    const own = new Uint8Array(block);
    pipe.postMessage({ redactions: pass.take(), block: own } satisfies RedactedBlock, [own.buffer]);
    inFlight++;
    await parsed.until(() => inFlight < MAX_REDACTIONS_IN_FLIGHT);
  }
  pass.flush();
  pipe.postMessage({ redactions: pass.take(), block: null } satisfies RedactedBlock);
  pipe.close();
  port.postMessage({ type: 'end' } satisfies ParseWorkerMessage);
}

/**
 * The parsing half's side of the pipe: the blocks the redacting worker read, in order (each
 * acknowledged when the next is asked for: it has been parsed), and each line's redaction.
 */
function redactedBlocks(pipe: MessagePort): { feed: RedactionFeed; blocks: AsyncGenerator<Uint8Array> } {
  const feed = new RedactionFeed();
  const queue: Uint8Array[] = [];
  const arrived = new Wakeup();
  pipe.on('message', (m: RedactedBlock) => {
    feed.add(m.redactions);
    if (m.block) queue.push(m.block);
    arrived.wake();
  });
  async function* blocksFromPipe(): AsyncGenerator<Uint8Array> {
    for (;;) {
      await arrived.until(() => queue.length > 0 || feed.ended);
      const block = queue.shift();
      if (block === undefined) return;
      yield block;
      pipe.postMessage('parsed');
    }
  }
  return { feed, blocks: blocksFromPipe() };
}

async function run(port: NonNullable<typeof parentPort>, job: ParseJob): Promise<void> {
  if (job.pipe?.role === 'redact') return redactAhead(port, job, job.pipe.port);
  const redacted = job.pipe?.role === 'parse' ? redactedBlocks(job.pipe.port) : null;
  let inFlight = 0;
  /** Events of the batches in flight, oldest first (acks come in order). */
  const sizes: number[] = [];
  let inFlightItems = 0;
  const room = (): boolean => inFlight < MAX_IN_FLIGHT && inFlightItems < MAX_ITEMS_IN_FLIGHT;
  const acked = new Wakeup();
  port.on('message', (m: ParseWorkerAck | ParseWorkerStart) => {
    if (m.type !== 'ack') return;
    inFlight--;
    inFlightItems -= sizes.shift() ?? 0;
    acked.wake();
  });
  const recorder = job.tape ? new TapeRecorder() : null;
  if (recorder) behindTheUi();
  const batches = new BatchSink();
  const sink: ParseSink = recorder ? recordingSink(recorder, () => stage.unmatched) : batches;
  // What this thread finds is copied to the main thread and dropped here: lines need not be
  // copied out of their chunk (LineFramerOptions.copyLines).
  const stage = new ParseStage({ ...job.stage, copyLines: false, ...(redacted ? { redactions: redacted.feed } : {}) }, sink);
  const post = (head?: Uint8Array): void => {
    let n: number;
    if (recorder) {
      const chunk = recorder.take();
      n = chunk.items.length;
      port.postMessage({ type: 'tape', chunk } satisfies ParseWorkerMessage);
    } else {
      const batch: ParsedBatch = { items: batches.take(), lines: stage.lines, unmatched: stage.unmatched };
      n = batch.items.length;
      port.postMessage((head ? { type: 'batch', batch, head } : { type: 'batch', batch }) satisfies ParseWorkerMessage);
    }
    inFlight++;
    sizes.push(n);
    inFlightItems += n;
  };
  let first = true;
  try {
    await parseAll();
  } catch (err) {
    // What was found before the failure still reaches the session, as it does in process.
    try {
      if ((recorder?.pendingItems ?? batches.items.length) > 0) post();
    } catch {
      // The batch itself could not be sent: the error below says what went wrong first.
    }
    throw err;
  }
  port.postMessage({ type: 'end' } satisfies ParseWorkerMessage);

  async function parseAll(): Promise<void> {
    for await (const block of redacted?.blocks ?? blocks(job.path, job.tape?.bytes)) {
      for (let o = 0; o < block.length; o += CHUNK) {
        const n = Math.min(CHUNK, block.length - o);
        stage.push(new Uint8Array(block.buffer, block.byteOffset + o, n), 0);
        // A block of short lines that each make an event (MQTT, key lines) is many objects: send
        // them early, so that MAX_ITEMS_IN_FLIGHT holds the worker back between its chunks.
        if (!first && (recorder?.pendingItems ?? batches.items.length) >= MAX_BATCH_ITEMS && o + CHUNK < block.length) {
          post();
          await acked.until(room);
        }
      }
      // The first chunk goes along for the session's garbled-input check.
      post(first ? Uint8Array.prototype.slice.call(block, 0, CHUNK) : undefined);
      first = false;
      await acked.until(room);
    }
    stage.flush(0);
    post();
  }
}

// Loaded through tsx's CommonJS hook (bin/parse-worker.js): no top-level await here.
const port = parentPort;
if (port) {
  const fail = (err: unknown): void =>
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err), internal: !(err instanceof ReadError) } satisfies ParseWorkerMessage);
  const early = workerData as TapeWorkerData | null | undefined;
  void jobFromArgs(process.argv.slice(2), early?.tape === true)
    .catch(() => null)
    .then((began) => {
      if (began) {
        // The job as the main thread will compare it: the pipe's port is this thread's own.
        port.postMessage({ type: 'began', job: began } satisfies ParseWorkerMessage);
        run(port, early?.pipe ? { ...began, pipe: early.pipe } : began).catch(fail);
      } else {
        port.once('message', (m: ParseWorkerStart) => run(port, m).catch(fail));
      }
    });
}
