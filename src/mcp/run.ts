/** `hsmon mcp`: the MCP server (next commit). */
import { UsageError } from '../cli/errors.ts';

export async function runMcp(..._args: unknown[]): Promise<number> {
  throw new UsageError('hsmon mcp is not built yet');
}
