/**
 * Resources that mirror the read tools — hsmon://summary, hsmon://findings and
 * hsmon://handshake/{n} — with update notifications for clients that subscribe. A notification
 * only says "read it again"; the tools answer the same without one, so an agent never has to
 * rely on them.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import type { AgentSession } from './session-adapter.ts';

/** Changes are coalesced: a replay changes the session thousands of times a second. */
const UPDATE_EVERY_MS = 250;

export const SUMMARY_URI = 'hsmon://summary';
export const FINDINGS_URI = 'hsmon://findings';
const HANDSHAKE_PREFIX = 'hsmon://handshake/';

const body = (uri: string, value: unknown) => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }] });

function read(s: AgentSession, uri: string): unknown {
  if (uri === SUMMARY_URI) return s.summary();
  if (uri === FINDINGS_URI) return { findings: s.summary().findings };
  if (uri.startsWith(HANDSHAKE_PREFIX)) {
    const n = Number(uri.slice(HANDSHAKE_PREFIX.length));
    return s.summary().handshakes[n] ?? null;
  }
  return null;
}

/** `era`: a 2026-07-28 connection routes updates onto the client's listen stream itself. */
export function registerResources(server: McpServer, s: AgentSession, era: 'legacy' | 'modern'): () => void {
  server.registerResource('summary', SUMMARY_URI, { title: 'Session summary (hsmon/v1)', mimeType: 'application/json', description: 'The same object as the summary tool and `hsmon summarize --json`.' }, async (uri) => {
    await s.ready;
    return body(uri.href, read(s, SUMMARY_URI));
  });
  server.registerResource('findings', FINDINGS_URI, { title: 'Findings', mimeType: 'application/json', description: 'The findings of the summary.' }, async (uri) => {
    await s.ready;
    return body(uri.href, read(s, FINDINGS_URI));
  });
  server.registerResource(
    'handshake',
    new ResourceTemplate(`${HANDSHAKE_PREFIX}{n}`, {
      list: async () => ({
        resources: s.summary().handshakes.map((h) => ({ uri: `${HANDSHAKE_PREFIX}${h.index}`, name: `handshake ${h.index}: ${h.outcome}`, mimeType: 'application/json' })),
      }),
    }),
    { title: 'One handshake attempt', mimeType: 'application/json', description: 'Handshake n (0-based) of the summary.' },
    async (uri, { n }) => {
      await s.ready;
      const h = s.summary().handshakes[Number(n)];
      if (!h) throw new Error(`no handshake ${String(n)} (the session has ${s.summary().handshakes.length})`);
      return body(uri.href, h);
    },
  );

  const subscribed = new Set<string>();
  server.server.setRequestHandler('resources/subscribe', (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  // The text each watched resource had when it was last announced: notify only on a change.
  const last = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  const announce = (): void => {
    timer = null;
    const uris = era === 'modern' ? [SUMMARY_URI, FINDINGS_URI, ...s.summary().handshakes.map((h) => `${HANDSHAKE_PREFIX}${h.index}`)] : [...subscribed];
    for (const uri of uris) {
      const text = JSON.stringify(read(s, uri));
      if (last.get(uri) === text) continue;
      last.set(uri, text);
      void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
  };
  const off = s.onChange(() => {
    if (timer || (era === 'legacy' && subscribed.size === 0)) return;
    timer = setTimeout(announce, UPDATE_EVERY_MS);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}
