/**
 * Plays a time machine at a pace: a plain log at a number of lines per second (it has no timing
 * of its own: 50 lines/s at 1×, so pausing and stepping have something to act on), an hsmon
 * .cast recording at its recorded timing; both as fast as the session takes them at `max`.
 * The replay controls the monitor's keys call.
 */
import { availableParallelism } from 'node:os';
import type { ReplayControls, SeekTarget, Speed } from '../ui/controls.ts';
import type { TimeMachine } from '../session/time-machine.ts';

/** Plain-log lines per second at 1×. */
export const LINES_PER_SECOND = 50;
/** A timer fires at most this often; faster paces feed several events per tick. */
const TICK_MS = 20;
/**
 * Events per tick at most (a .cast's due events). At max speed a tick is sized by time instead:
 * a key press waits at most for one slice of parsing, whatever the lines cost.
 */
const MAX_BATCH = 500;
/** ms of feeding per tick at max speed (then the event loop takes keys and draws). */
const SLICE_MS = 8;
/** At max speed from a tape read elsewhere: ms between two batches taken from it. */
const TAPE_BATCH_MS = 60;
/**
 * Reading ahead while the replay idles (paused, or at a pace): slices of this many ms, as far
 * apart, so seeks find the file parsed and the UI keeps half the CPU.
 */
const READ_AHEAD_MS = 8;
/**
 * A seek that would parse more than this many lines first (about 0.3 s of a debug-4 log) is
 * done in the background, in slices of SEEK_SLICE_MS, with its progress in the status bar.
 */
const SEEK_IN_BACKGROUND = 50_000;
const SEEK_SLICE_MS = 30;
/** Points of the file read between two updates of the status bar's `read N%` (each is a frame). */
const READ_STEP = 5;

export interface ReplayPlayer extends ReplayControls {
  /** Stops the timers (the monitor closed). */
  close(): void;
}

export function replayPlayer(
  tm: TimeMachine,
  opts: {
    speed: Speed; paused?: boolean; onTick?: () => void;
    /** Parse ahead while idle (default true). */
    readAhead?: boolean;
    /** Lines to parse above which a seek goes on in the background (default SEEK_IN_BACKGROUND). */
    backgroundSeek?: number;
    /** Cores of this machine (default: os.availableParallelism()). */
    cores?: number;
  },
): ReplayPlayer {
  const cores = opts.cores ?? availableParallelism();
  let speed: Speed = opts.speed;
  let paused = opts.paused ?? false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let immediate: ReturnType<typeof setImmediate> | null = null;
  /** Events per max-speed slice, adjusted to what the last slice cost; when the last began. */
  let perSlice = 100;
  let lastSlice = 0;
  let reader: ReturnType<typeof setTimeout> | null = null;
  /** The seek waiting for the reader, and its slice. */
  let pending: { target: SeekTarget } | null = null;
  let seeking: ReturnType<typeof setImmediate> | null = null;
  const seekListeners = new Set<(text: string) => void>();
  const tell = (text: string): void => {
    for (const l of seekListeners) l(text);
  };
  const readingText = (): string => `reading the file to get there: ${Math.floor(tm.readFraction * 100)}% (the seek completes when it is read)`;
  let told = 0;
  /** A seek's progress, twice a second at most: each message is a frame, and frames cost parsing time. */
  const tellProgress = (text: () => string): void => {
    if (performance.now() - told <= 500) return;
    told = performance.now();
    tell(text());
  };
  const landingText = (target: SeekTarget): string =>
    `the file is read: going there, ${Math.floor((100 * tm.pos) / Math.max(1, tm.eventsFor(target)))}%`;
  /** The pending seek, once the file is read as far as its target; else its progress. */
  const seekWhenRead = (): void => {
    const p = pending;
    if (!p || closed) return;
    if (tm.toRead(p.target) > 0) {
      tellProgress(readingText);
      // Read here, a slice at a time; a tape recorded elsewhere says when it has more (onRead).
      if (!tm.readsElsewhere) seekSlice();
      // With a core to spare, what is read is fed already, so that little is left to land
      // once it is all read (a 64 MB log's tape takes 0.2-0.45 s to feed). Without one it
      // waits: this thread would take the core the read needs.
      else if (!landing && cores > tm.readingThreads) {
        landing = true;
        seeking = setImmediate(land);
      }
      return;
    }
    // Read that far: the tape up to the target is fed a slice at a time, keys and frames served
    // between (each slice in a turn of the event loop of its own: not right after the worker's
    // message that said the tape is complete), then the seek lands with nothing left to feed.
    if (tm.readsElsewhere) {
      told = performance.now();
      tell(landingText(p.target));
      if (!landing) {
        landing = true;
        seeking = setImmediate(land);
      }
      return;
    }
    arrive(p.target);
  };
  const arrive = (target: SeekTarget): void => {
    pending = null;
    landing = false;
    const said = tm.seek(target);
    anchor = null;
    publish();
    schedule();
    tell(said);
  };
  /** The pending seek is being fed from the tape, a slice at a time (see seekWhenRead). */
  let landing = false;
  const land = (): void => {
    seeking = null;
    const p = pending;
    if (!p || closed) return;
    const reading = tm.toRead(p.target) > 0;
    if (!tm.approach(p.target, SEEK_SLICE_MS)) {
      // Fed as far as the file is read (a seek that feeds while it reads): more comes with onRead.
      if (reading) landing = false;
      else arrive(p.target);
      return;
    }
    tellProgress(() => (reading ? readingText() : landingText(p.target)));
    seeking = setImmediate(land);
  };
  const seekSlice = (): void => {
    seeking = setImmediate(() => {
      seeking = null;
      const p = pending;
      if (!p || closed) return;
      const t0 = performance.now();
      // One call a slice: its steps grow to the slice, as large as parsing in bulk.
      while (tm.toRead(p.target) > 0 && performance.now() - t0 < SEEK_SLICE_MS / 2) tm.readAhead(SEEK_SLICE_MS);
      seekWhenRead();
    });
  };
  /** Max speed caught up with the tape recorded elsewhere: play goes on when more is read. */
  let starved = false;
  /** The whole percent of the file read that the status bar last had (see progress). */
  let readShown = -1;
  const offRead = tm.onRead(() => {
    // The status bar says how far the worker has read, a frame every READ_STEP points, and
    // once more when it is all read: a frame per percent was 60 frames in the 3 s a 64 MB log
    // takes, each drawn on this thread while the workers want both cores.
    // While a seek waits, its message says the percent twice a second (seekWhenRead), and the
    // status bar shows it with that frame.
    const read = tm.readAll ? 100 : Math.floor(tm.readFraction * 100);
    if (read === 100 ? readShown !== 100 : !pending && read >= readShown + READ_STEP) {
      readShown = read;
      publish();
    }
    if (pending) seekWhenRead();
    else if (starved) {
      starved = false;
      schedule();
    }
  });
  // The tape's thread failed: parsing here from the start, back to where the replay was, as a seek.
  const offRestart = tm.onRestart((at) => {
    starved = false;
    if (at > 0) tell(controls.seek!({ to: 'line', line: at - 1 }));
    else schedule();
  });

  /** Parses the rest of the file in the background unless max speed is reading it anyway. */
  const readAhead = (): void => {
    if (reader || closed || opts.readAhead === false || tm.readAll || tm.readsElsewhere) return;
    reader = setTimeout(() => {
      reader = null;
      if (closed || (speed === 'max' && !paused && !tm.atEnd)) return;
      if (tm.readAhead(READ_AHEAD_MS)) readAhead();
    }, READ_AHEAD_MS);
  };
  const rec = tm.recording;
  /** Cast timing: recording ms at the last event fed, and the wall clock then. */
  let anchor: { recMs: number; wall: number } | null = null;

  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (immediate) clearImmediate(immediate);
    immediate = null;
  };
  const publish = (): void => {
    tm.session.setReplay({ t: tm.pos > 0 ? rec.event(tm.pos - 1).t : 0, total: rec.count > 0 ? rec.event(rec.count - 1).t : null, speed, paused });
    opts.onTick?.();
  };

  const schedule = (): void => {
    stop();
    if (paused || speed !== 'max' || tm.atEnd) readAhead();
    if (closed || paused || tm.atEnd) return;
    if (speed === 'max') {
      if (tm.starved) {
        starved = true;
        return;
      }
      const slice = (): void => {
        immediate = null;
        timer = null;
        const t0 = performance.now();
        lastSlice = t0;
        tm.advance(perSlice);
        const ms = performance.now() - t0;
        // Toward SLICE_MS, at most doubling or halving per slice (one costly line is no trend).
        perSlice = Math.max(10, Math.min(perSlice * 2, Math.max(perSlice >> 1, Math.round((perSlice * SLICE_MS) / Math.max(ms, 0.1)))));
        publish();
        schedule();
      };
      // A tape read elsewhere is taken in batches TAPE_BATCH_MS apart: each batch frames again
      // only the Log pane's last lines, so the lines that scroll by unseen are mostly never
      // framed here (what survives in this thread's heap makes its collections, which stall
      // frames, costly). Parsing here: setImmediate, timers (frames) and input served between.
      if (tm.readsElsewhere) timer = setTimeout(slice, Math.max(0, lastSlice + TAPE_BATCH_MS - performance.now()));
      else immediate = setImmediate(slice);
      return;
    }
    if (rec.format === 'text') {
      const lps = LINES_PER_SECOND * speed;
      const perTick = Math.max(1, Math.round((lps * TICK_MS) / 1000));
      const wait = Math.max(TICK_MS, (1000 * perTick) / lps);
      timer = setTimeout(() => {
        tm.advance(perTick);
        publish();
        schedule();
      }, wait);
      return;
    }
    // .cast: the next event at its recorded time, scaled by the speed (gaps capped at 100 ms a wait).
    const next = rec.event(tm.pos).t;
    const now = performance.now();
    anchor ??= { recMs: tm.pos > 0 ? rec.event(tm.pos - 1).t : next, wall: now };
    const due = anchor.wall + (next - anchor.recMs) / speed;
    timer = setTimeout(() => {
      // Everything due by now goes in one go.
      const wall = performance.now();
      let n = 0;
      const a = anchor!;
      const pace = speed as number;
      while (tm.pos + n < rec.count && n < MAX_BATCH && a.wall + (rec.event(tm.pos + n).t - a.recMs) / pace <= wall) n++;
      tm.advance(Math.max(1, n));
      publish();
      schedule();
    }, Math.min(100, Math.max(0, due - now)));
  };

  const controls: ReplayPlayer = {
    get paused() { return paused; },
    get speed() { return speed; },
    get linesPerSecond() {
      if (rec.format !== 'text') return undefined;
      return speed === 'max' ? null : LINES_PER_SECOND * speed;
    },
    pause() {
      paused = true;
      stop();
      publish();
      readAhead();
    },
    resume() {
      paused = false;
      anchor = null;
      publish();
      schedule();
    },
    step() {
      tm.advance(1);
      publish();
    },
    setSpeed(s: Speed) {
      speed = s;
      anchor = null;
      publish();
      schedule();
    },
    progress: () => ({
      bytesRead: rec.bytesBefore(tm.pos),
      totalBytes: rec.totalBytes,
      ...(tm.readsElsewhere && !tm.readAll ? { read: tm.readFraction } : {}),
    }),
    seek(target: SeekTarget) {
      // The newest seek wins over one still waiting for the reader.
      if (seeking) clearImmediate(seeking);
      seeking = null;
      pending = null;
      landing = false;
      // A tape recorded elsewhere costs nothing to wait for here: any seek past it waits.
      if (tm.toRead(target) > (tm.readsElsewhere ? 0 : opts.backgroundSeek ?? SEEK_IN_BACKGROUND)) {
        pending = { target };
        stop();
        if (!tm.readsElsewhere) seekSlice();
        return readingText();
      }
      const said = tm.seek(target);
      anchor = null;
      publish();
      schedule();
      return said;
    },
    onSeekMessage(listener: (text: string) => void) {
      seekListeners.add(listener);
      return () => seekListeners.delete(listener);
    },
    close() {
      closed = true;
      offRead();
      offRestart();
      tm.close();
      stop();
      if (seeking) clearImmediate(seeking);
      seeking = null;
      if (reader) clearTimeout(reader);
      reader = null;
    },
  };
  publish();
  schedule();
  return controls;
}
