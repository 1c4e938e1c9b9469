/**
 * The MCP tools of `hsmon mcp`: read the session (status, summary, findings, events, log),
 * wait for what comes next (wait_for) and act on the device (send_command). Each has an input
 * and an output schema and answers with structuredContent plus the same as text. They read
 * the AgentSession and compute no protocol facts of their own.
 */
import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { catalogEntry } from '../diagnosis/catalog.ts';
import { formatSummaryText } from '../output/summary-text.ts';
import type { Finding } from '../session/types.ts';
import { kindMatcher, type LoggedEvent } from './event-log.ts';
import type { AgentSession } from './session-adapter.ts';

/** The longest wait_for: below the 60 s request timeout most hosts use. */
export const MAX_WAIT_S = 50;
const PROGRESS_EVERY_MS = 1000;
const MAX_REGEX = 200;

const cursor = z.number().int().min(0);
const looseEvent = z.looseObject({ kind: z.string(), t: z.number(), line: z.number().nullable(), seq: z.number().int() });

const json = <T extends object>(structured: T) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(structured) }],
  structuredContent: structured,
});

const short = (state: string | null | undefined): string | null => (state ? state.replace(/^MBEDTLS_SSL_/, '') : null);

function compileRegex(source: string): RegExp {
  if (source.length > MAX_REGEX) throw new Error(`regex is longer than ${MAX_REGEX} characters`);
  try {
    return new RegExp(source, 'i');
  } catch (err) {
    throw new Error(`invalid regex: ${(err as Error).message}`);
  }
}

const findingSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  hint: z.string().describe('the concrete change for this log'),
  fix: z.string().describe('the general fix from the finding catalog'),
  line: z.number().int().describe('0-based line number (seq) of the evidence to look at first'),
  lines: z.array(z.number().int()),
  handshake: z.number().int().nullable(),
  failedAt: z.string().nullable().describe('the step the concerned handshake failed in'),
  evidence: z.array(z.object({ seq: z.number().int(), text: z.string() })).describe('the evidence lines still in the log ring, redacted'),
  seq: z.number().int().describe('event sequence number of the finding: pass as `since` to see only newer ones'),
});

export function registerTools(server: McpServer, s: AgentSession): void {
  const logText = (): Map<number, string> => new Map(s.snapshot().log.map((l) => [l.seq, l.text]));

  const describeFinding = (f: Finding, seq: number, text: Map<number, string>): z.infer<typeof findingSchema> => {
    const h = f.handshake !== undefined ? s.snapshot().handshakes[f.handshake] : undefined;
    const lines = [f.line, ...(f.lines ?? [])];
    return {
      code: f.code,
      severity: f.severity,
      message: f.message,
      hint: f.hint,
      fix: catalogEntry(f.code)?.fix ?? f.hint,
      line: f.line,
      lines: f.lines ?? [],
      handshake: f.handshake ?? null,
      failedAt: short(h?.failedAt ?? null),
      evidence: lines.filter((l) => text.has(l)).slice(0, 20).map((l) => ({ seq: l, text: text.get(l)! })),
      seq,
    };
  };

  server.registerTool('status', {
    title: 'Session status',
    description: 'Where the session stands: source, connection, device and broker state, the current handshake and its step, counts, the device commands, and the cursor of the newest event (pass it to events, findings or wait_for).',
    inputSchema: z.object({}),
    outputSchema: z.object({
      source: z.object({ type: z.string(), name: z.string() }),
      connection: z.object({ state: z.string(), detail: z.string().nullable() }),
      ended: z.boolean().describe('the input ended (a replay reached its end)'),
      device: z.string().nullable(),
      broker: z.object({ state: z.string(), detail: z.string().nullable() }).nullable().describe('hsmon\'s own broker client (--broker, the simulator\'s broker)'),
      handshake: z.object({ index: z.number().int(), step: z.string().nullable(), outcome: z.string(), tlsVersion: z.string().nullable() }).nullable(),
      counts: z.object({ lines: z.number().int(), events: z.number().int(), handshakes: z.number().int(), failed: z.number().int(), findings: z.number().int() }),
      commands: z.array(z.object({ name: z.string(), description: z.string(), destructive: z.boolean() })),
      cursor,
    }),
    annotations: { readOnlyHint: true },
  }, async () => {
    await s.ready;
    const snap = s.snapshot();
    const last = snap.handshakes.at(-1);
    return json({
      source: { type: snap.source.type, name: snap.source.name },
      connection: { state: snap.status.state, detail: snap.status.detail ?? null },
      ended: s.ended(),
      device: snap.device ?? null,
      broker: snap.mqtt.brokerStatus ? { state: snap.mqtt.brokerStatus.state, detail: snap.mqtt.brokerStatus.detail ?? null } : null,
      handshake: last ? { index: last.index, step: short(last.current ?? last.states.at(-1) ?? null), outcome: last.outcome, tlsVersion: last.tlsVersion } : null,
      counts: {
        lines: snap.lines,
        events: s.events.cursor,
        handshakes: snap.handshakes.length,
        failed: snap.handshakes.filter((h) => h.outcome === 'failed').length,
        findings: snap.findings.length,
      },
      commands: s.commands,
      cursor: s.events.cursor,
    });
  });

  server.registerTool('summary', {
    title: 'Session summary (hsmon/v1)',
    description: 'The hsmon/v1 summary, the same object as `hsmon summarize --json`: every handshake with its outcome, states, failing step, error and alert, certificates, keys, MQTT and the findings. The text part is the human summary: the verdict, then Why and Fix.',
    inputSchema: z.object({}),
    outputSchema: z.looseObject({
      kind: z.literal('summary'),
      schema: z.literal('hsmon/v1'),
      source: z.string(),
      lines: z.number().int(),
      handshakes: z.array(z.looseObject({ index: z.number().int(), outcome: z.string(), failedAt: z.string().nullable() })),
      certificates: z.array(z.looseObject({})),
      keys: z.array(z.looseObject({})),
      mqtt: z.looseObject({}),
      findings: z.array(z.looseObject({ code: z.string(), hint: z.string() })),
    }),
    annotations: { readOnlyHint: true },
  }, async () => {
    await s.ready;
    const summary = s.summary();
    return { content: [{ type: 'text' as const, text: formatSummaryText(summary) }], structuredContent: summary as unknown as Record<string, unknown> };
  });

  server.registerTool('findings', {
    title: 'Findings',
    description: 'What went wrong and what to change: each finding with its stable code (see `hsmon findings`), the step the handshake failed in, the hint for this log, the catalog fix and the evidence lines. `since`: only findings reported at or after that cursor.',
    inputSchema: z.object({ since: cursor.optional().describe('a cursor from an earlier answer') }),
    outputSchema: z.object({ findings: z.array(findingSchema), cursor }),
    annotations: { readOnlyHint: true },
  }, async ({ since }) => {
    await s.ready;
    const text = logText();
    const all = s.findings().filter((f) => since === undefined || f.seq >= since);
    return json({ findings: all.map((f) => describeFinding(f.finding, f.seq, text)), cursor: s.events.cursor });
  });

  server.registerTool('events', {
    title: 'Events after a cursor',
    description: 'The NDJSON events of the session (the lines of `hsmon replay --json`, see `hsmon schema`) from `cursor` on, oldest first. Pass the returned `next` as the next cursor: pages never lose or repeat an event. `kinds`: exact kinds, or prefixes ending in a dot (`tls.`). `dropped` counts events the bounded history no longer holds.',
    inputSchema: z.object({
      cursor: cursor.default(0),
      kinds: z.array(z.string()).max(50).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    outputSchema: z.object({ events: z.array(looseEvent), next: cursor, dropped: z.number().int(), more: z.boolean() }),
    annotations: { readOnlyHint: true },
  }, async ({ cursor: c, kinds, limit }) => {
    await s.ready;
    const match = kindMatcher(kinds);
    const page = s.events.page(c, limit, (e) => match(e.kind));
    return json({ events: page.events, next: page.next, dropped: page.dropped, more: page.more });
  });

  server.registerTool('log', {
    title: 'Raw log lines',
    description: 'Raw device lines (redacted as everywhere) from the bounded log ring, by 0-based line number range and/or a case-insensitive regex. Evidence lines of findings and events are these numbers.',
    inputSchema: z.object({
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional().describe('inclusive'),
      regex: z.string().max(MAX_REGEX).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    outputSchema: z.object({
      lines: z.array(z.object({ seq: z.number().int(), t: z.number(), dir: z.enum(['rx', 'tx', 'note']), text: z.string() })),
      oldest: z.number().int().nullable().describe('the oldest line still held'),
      more: z.boolean(),
    }),
    annotations: { readOnlyHint: true },
  }, async ({ from, to, regex, limit }) => {
    await s.ready;
    const re = regex === undefined ? null : compileRegex(regex);
    const log = s.snapshot().log;
    const hits = log.filter((l) => (from === undefined || l.seq >= from) && (to === undefined || l.seq <= to) && (re === null || re.test(l.text)));
    return json({
      lines: hits.slice(0, limit).map((l) => ({ seq: l.seq, t: l.t, dir: l.dir, text: l.text })),
      oldest: log[0]?.seq ?? null,
      more: hits.length > limit,
    });
  });

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

  const names = s.commands.map((c) => c.name);
  server.registerTool('send_command', {
    title: 'Send a device command',
    description: `Acts on the device: a command of the key table (${s.commands.map((c) => `${c.name}: ${c.description}${c.destructive ? ' [destructive: needs confirm: true]' : ''}`).join('; ') || 'none for this source'}) or \`line\` with \`text\` (one line to the device). Returns the cursor from before the command: pass it as \`after\` to wait_for to see what the device does next.`,
    inputSchema: z.object({
      command: z.string().describe(`one of: ${[...names, 'line'].join(', ')}`),
      text: z.string().max(1024).optional().describe('the line to send, for command "line"'),
      confirm: z.boolean().optional().describe('required true for destructive commands'),
    }),
    outputSchema: z.object({ sent: z.boolean(), command: z.string(), bytes: z.number().int(), cursor, message: z.string() }),
    annotations: { destructiveHint: true, readOnlyHint: false },
  }, async ({ command, text, confirm }) => {
    await s.ready;
    const before = s.events.cursor;
    const refuse = (message: string) => ({ ...json({ sent: false, command, bytes: 0, cursor: before, message }), isError: true });
    if (s.noCommands) return refuse(s.noCommands);
    if (command === 'line') {
      if (text === undefined) return refuse('command "line" needs text: the line to send');
      const sent = await s.sendLine(text);
      return json({ sent: true, command, bytes: sent.length, cursor: before, message: `sent one line (${sent.length} bytes)` });
    }
    const c = s.commands.find((x) => x.name === command);
    if (!c) return refuse(`no device command '${command}' — commands: ${[...names, 'line'].join(', ')}`);
    if (c.destructive && confirm !== true) return refuse(`${c.name} (${c.description}) is destructive: not sent. Call again with confirm: true once the user agreed.`);
    const sent = await s.run(c.name);
    return json({ sent: true, command: c.name, bytes: sent.length, cursor: before, message: `${c.name}: ${c.description}` });
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
