/**
 * The MCP tool wait_for: blocks until what the agent waits for appears after a cursor — a
 * handshake result, a step, a finding, an event kind, a device line, the end of the input — or
 * the timeout passes, with progress notifications while it waits.
 */
import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { catalogEntry } from '../diagnosis/catalog.ts';
import { kindMatcher, type LoggedEvent } from './event-log.ts';
import type { AgentSession } from './session-adapter.ts';
import { compileRegex, cursor, json, looseEvent, MAX_REGEX } from './tool-helpers.ts';

/** The longest wait_for: below the 60 s request timeout most hosts use. */
export const MAX_WAIT_S = 50;
const PROGRESS_EVERY_MS = 1000;

export function registerWaitFor(server: McpServer, s: AgentSession): void {
  server.registerTool('wait_for', {
    title: 'Wait for what comes next',
    description: `Blocks until, after the cursor \`after\` (default: now), a handshake result (\`until: "handshake"\`, value: ok|failed|incomplete optional), a step (\`step\`, value: e.g. SERVER_HELLO), a finding (\`finding\`, value: a code, optional), an event kind (\`event\`, value: kind or prefix.) or a device line matching a regex (\`line\`) appears, or the input ends (\`end\`: a replay paced with --speed) — or \`timeout_s\` (at most ${MAX_WAIT_S}) passes. Sends progress notifications while it waits. Returns what matched and the cursor after it.`,
    inputSchema: z.object({
      until: z.enum(['handshake', 'step', 'finding', 'event', 'line', 'end']),
      value: z.string().max(MAX_REGEX).optional(),
      after: cursor.optional(),
      timeout_s: z.number().min(0).max(MAX_WAIT_S).default(30),
    }),
    outputSchema: z.object({
      matched: z.boolean(),
      reason: z.enum(['matched', 'timeout', 'ended', 'cancelled']),
      event: looseEvent.nullable(),
      line: z.object({ seq: z.number().int(), text: z.string() }).nullable(),
      cursor,
    }),
    annotations: { readOnlyHint: true },
  }, async ({ until, value, after, timeout_s }, ctx) => {
    await s.ready;
    const from = after ?? s.events.cursor;
    const test = eventTest(until, value);
    const re = until === 'line' ? compileRegex(value ?? '') : null;
    // Lines after the last event before the cursor.
    const lineFloor = from === 0 ? -1 : (s.events.at(from - 1)?.line ?? -1);
    let lineSeen = lineFloor;

    const check = (): WaitResult | null => {
      if (until === 'end') return s.ended() ? { matched: true, reason: 'matched', event: null, line: null, cursor: s.events.cursor } : null;
      if (re) {
        for (const l of s.snapshot().log) {
          if (l.seq <= lineSeen || l.dir !== 'rx') continue;
          lineSeen = l.seq;
          if (re.test(l.text)) return { matched: true, reason: 'matched', event: null, line: { seq: l.seq, text: l.text }, cursor: s.events.cursor };
        }
        return null;
      }
      const hit = s.events.find(from, test!);
      return hit ? { matched: true, reason: 'matched', event: hit, line: null, cursor: hit.seq + 1 } : null;
    };

    const token = ctx.mcpReq._meta?.progressToken;
    const started = Date.now();
    const result = await new Promise<WaitResult>((resolve) => {
      let done = false;
      const finish = (r: WaitResult): void => {
        if (done) return;
        done = true;
        offPush();
        offChange();
        clearTimeout(timer);
        clearInterval(progress);
        ctx.mcpReq.signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const poke = (): void => {
        const r = check();
        if (r) finish(r);
        else if (s.ended()) finish({ matched: false, reason: 'ended', event: null, line: null, cursor: s.events.cursor });
      };
      // One check per burst of events (a replay or the simulator makes hundreds at once); a
      // regex over the log ring reads a snapshot, so that one at most every 50 ms.
      let pending = false;
      const schedule = (): void => {
        if (pending || done) return;
        pending = true;
        setTimeout(() => {
          pending = false;
          if (!done) poke();
        }, re ? 50 : 0);
      };
      const offPush = s.events.onPush(schedule);
      const offChange = s.onChange(schedule);
      const timer = setTimeout(() => finish({ matched: false, reason: 'timeout', event: null, line: null, cursor: s.events.cursor }), timeout_s * 1000);
      let tick = 0;
      const progress = setInterval(() => {
        if (token === undefined) return;
        tick++;
        void ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken: token, progress: tick, total: Math.ceil((timeout_s * 1000) / PROGRESS_EVERY_MS), message: `waiting for ${until}${value ? ` ${value}` : ''}: ${Math.round((Date.now() - started) / 1000)} s` },
        }).catch(() => undefined);
      }, PROGRESS_EVERY_MS);
      const onAbort = (): void => finish({ matched: false, reason: 'cancelled', event: null, line: null, cursor: s.events.cursor });
      ctx.mcpReq.signal.addEventListener('abort', onAbort);
      poke();
    });
    return json(result);
  });
}

interface WaitResult {
  matched: boolean;
  reason: 'matched' | 'timeout' | 'ended' | 'cancelled';
  event: LoggedEvent | null;
  line: { seq: number; text: string } | null;
  cursor: number;
}

function eventTest(until: 'handshake' | 'step' | 'finding' | 'event' | 'line' | 'end', value: string | undefined): ((e: LoggedEvent) => boolean) | null {
  switch (until) {
    case 'handshake':
      return (e) => e.kind === 'tls.handshake.result' && (value === undefined || (e as { handshake?: { outcome?: string } }).handshake?.outcome === value);
    case 'step': {
      if (!value) throw new Error('until "step" needs a value: the step, e.g. SERVER_HELLO');
      const want = value.toUpperCase().startsWith('MBEDTLS_SSL_') ? value.toUpperCase() : `MBEDTLS_SSL_${value.toUpperCase()}`;
      return (e) => e.kind === 'tls.state' && e['state'] === want;
    }
    case 'finding': {
      const code = value === undefined ? undefined : (catalogEntry(value)?.code ?? value);
      return (e) => e.kind === 'finding' && (code === undefined || (e as { finding?: { code?: string } }).finding?.code === code);
    }
    case 'event': {
      if (!value) throw new Error('until "event" needs a value: an event kind, or a prefix ending in a dot');
      const match = kindMatcher([value]);
      return (e) => match(e.kind);
    }
    case 'line':
      if (!value) throw new Error('until "line" needs a value: a regex');
      return null;
    case 'end':
      return null;
  }
}
