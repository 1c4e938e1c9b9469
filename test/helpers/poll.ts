/**
 * The one way tests wait: on a condition (polled) or an event, always with a deadline, and a
 * failure that says what was awaited, for how long, and what was last seen. Never a bare sleep
 * standing in for "long enough".
 */
import type { EventEmitter } from 'node:events';

// The real clock and timer, taken before any test installs fake ones: a test that fakes the
// timers of the code under test can still wait on it with a deadline.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realNow = Date.now.bind(Date);

export interface PollOptions {
  /** Deadline. Default 10 s. */
  timeoutMs?: number;
  /** Pause between checks. Default 20 ms. */
  intervalMs?: number;
  /** Shown with the failure: the state that did not become true (a screen, a list of events). */
  last?: () => unknown;
}

type Falsy = undefined | null | false | 0 | '';

/**
 * Resolves with the first truthy value `probe` returns (awaited when it is a promise); rejects
 * after `timeoutMs` with "timed out after N ms waiting for WHAT", plus `last()` when given and
 * the error `probe` last threw.
 */
export async function poll<T>(what: string, probe: () => T | Falsy | Promise<T | Falsy>, opts: PollOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 20;
  const start = realNow();
  let thrown: unknown = undefined;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as T;
      thrown = undefined;
    } catch (err) {
      thrown = err;
    }
    if (realNow() - start >= timeoutMs) break;
    await new Promise((r) => realSetTimeout(r, intervalMs));
  }
  const parts = [`timed out after ${timeoutMs} ms waiting for ${what}`];
  if (thrown !== undefined) parts.push(`the last check threw: ${(thrown as Error)?.message ?? String(thrown)}`);
  if (opts.last) {
    const l = opts.last();
    parts.push(`last seen:\n${typeof l === 'string' ? l : JSON.stringify(l, null, 1)}`);
  }
  throw new Error(parts.join('; '));
}

/** Resolves with the arguments of the next `event` of `emitter`; rejects after `timeoutMs`. */
export function nextEvent(emitter: EventEmitter, event: string, what: string, timeoutMs = 10_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const onEvent = (...args: unknown[]): void => {
      realClearTimeout(timer);
      resolve(args);
    };
    const timer = realSetTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} ('${event}')`));
    }, timeoutMs);
    emitter.once(event, onEvent);
  });
}
