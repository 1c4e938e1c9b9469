/**
 * The MCP SDK's own client talking to a real `hsmon mcp` child process over stdio, as an
 * agent host (Claude Code, Cursor, VS Code) runs it.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { HSMON, ROOT } from './cli.ts';

export interface McpSession {
  client: Client;
  /** Every tool result of this session, as JSON text, for whole-session assertions (secrets). */
  results: string[];
  /** structuredContent of a tool call; throws on a tool error unless `allowError`. */
  call<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>, opts?: { allowError?: boolean; onprogress?: (p: { progress: number; message?: string }) => void; timeout?: number }): Promise<T & { isError?: boolean; text: string }>;
  stderr(): string;
  close(): Promise<void>;
}

/** `modern`: negotiate the 2026-07-28 protocol (server/discover, listen streams); default: the 2025 initialize. */
export async function startMcp(args: string[], env: Record<string, string> = {}, opts: { modern?: boolean } = {}): Promise<McpSession> {
  const client = new Client({ name: 'hsmon-test', version: '1.0.0' }, opts.modern ? { versionNegotiation: { mode: 'auto' } } : {});
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [HSMON, 'mcp', ...args],
    cwd: ROOT,
    stderr: 'pipe',
    env: { ...(process.env as Record<string, string>), HSMON_DEBUG: '', ...env },
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await client.connect(transport);
  const results: string[] = [];
  return {
    client,
    results,
    async call(name, a = {}, opts = {}) {
      const r = await client.callTool(
        { name, arguments: a },
        { timeout: opts.timeout ?? 60_000, ...(opts.onprogress ? { onprogress: opts.onprogress, resetTimeoutOnProgress: true } : {}) },
      );
      results.push(JSON.stringify(r));
      const text = (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
      if (r.isError && !opts.allowError) throw new Error(`tool ${name} failed: ${text}`);
      return { ...(r.structuredContent as object), isError: r.isError === true, text } as never;
    },
    stderr: () => stderr,
    close: () => client.close(),
  };
}
