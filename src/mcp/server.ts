/**
 * The MCP server of `hsmon mcp`: one McpServer per connection (the stdio entry builds one),
 * over the one AgentSession of the process.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { registerResources } from './resources.ts';
import { registerTools } from './tools.ts';
import type { AgentSession } from './session-adapter.ts';

export const INSTRUCTIONS = `hsmon watches a microcontroller's mbedTLS client handshakes from its UART output.
Diagnose in three calls: summary (verdict, failing step, findings with codes), findings (code, failing step, fix, evidence lines), log (the evidence lines by number).
Act and watch: status gives a cursor; send_command returns the cursor from before the command; wait_for {until: "handshake", after: that cursor} returns the next attempt's verdict.
Cursors are event sequence numbers: pass the \`next\`/\`cursor\` you were given; pages never lose or repeat an event. Destructive commands need confirm: true — ask the user first.`;

export function createMcpServer(session: AgentSession, era: 'legacy' | 'modern', version: string): { server: McpServer; dispose: () => void } {
  const server = new McpServer(
    { name: 'hsmon', version },
    { capabilities: { resources: { subscribe: true, listChanged: true }, tools: {} }, instructions: INSTRUCTIONS },
  );
  registerTools(server, session);
  const dispose = registerResources(server, session, era);
  return { server, dispose };
}
