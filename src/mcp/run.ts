/**
 * `hsmon mcp [PORT [--baud N] | --replay FILE [--speed S] | --sim [--scenario NAME]] [--broker URL …]`:
 * an MCP server on stdio. stdout carries only the protocol; every line for the user goes to
 * stderr. It ends when the client closes stdin (or on SIGINT/SIGTERM), with exit 0.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Parsed } from '../cli/args.ts';
import { parseSpeed } from '../cli/args.ts';
import { UsageError } from '../cli/errors.ts';
import type { SessionSettings } from '../cli/session-settings.ts';
import { getScenario } from '../sim/scenarios.ts';
import { createMcpServer } from './server.ts';
import { openAgentSession, type AgentSource } from './session-adapter.ts';

const VERSION = '0.1.0';

function source(port: string | undefined, v: Parsed['values']): AgentSource {
  if (typeof v['replay'] === 'string') return { kind: 'replay', path: v['replay'], speed: parseSpeed(v['speed'] as string | undefined, 'max') };
  if (v['sim']) {
    const scenario = v['scenario'] as string | undefined;
    if (scenario !== undefined) {
      try {
        getScenario(scenario);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    return { kind: 'sim', scenario };
  }
  const baud = v['baud'] === undefined ? 115200 : Number(v['baud']);
  if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`--baud takes a positive whole number, got '${String(v['baud'])}'`);
  return { kind: 'serial', port: port!, baud };
}

export async function runMcp(port: string | undefined, v: Parsed['values'], settings: SessionSettings): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`hsmon mcp: ${line}\n`);
  let session;
  try {
    session = await openAgentSession({
      source: source(port, v),
      settings,
      broker: typeof v['broker'] === 'string'
        ? {
            url: v['broker'], topics: (v['topic'] as string[] | undefined) ?? ['#'],
            ...(v['ca'] ? { ca: v['ca'] as string } : {}), ...(v['cert'] ? { cert: v['cert'] as string } : {}), ...(v['key'] ? { key: v['key'] as string } : {}),
          }
        : undefined,
      log,
    });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
  const agent = session;
  const disposers: (() => void)[] = [];
  const handle = serveStdio((ctx) => {
    const { server, dispose } = createMcpServer(agent, ctx.era, VERSION);
    disposers.push(dispose);
    return server;
  }, { onerror: (err) => log(err.message) });
  log(`serving ${agent.source.type} ${agent.source.name} on stdio`);

  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  for (const d of disposers) d();
  await handle.close().catch(() => undefined);
  await agent.close();
  return 0;
}
