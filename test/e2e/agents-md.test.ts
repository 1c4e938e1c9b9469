/**
 * AGENTS.md is run, not read: every shell line with its `# exit N`, every agent-host config
 * snippet (through the MCP SDK's client, calling `status`), and every `mcp` block of tool calls
 * against the server its first line names. A command added to AGENTS.md is tested here
 * without touching this file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HSMON, ROOT } from '../helpers/cli.ts';
import { startMcp, type McpSession } from '../helpers/mcp.ts';
import { createPtyPair } from '../../src/io/pty.ts';

const text = readFileSync(join(ROOT, 'AGENTS.md'), 'utf8');
const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('test/e2e/agents-md.test.ts: the snippet with a serial port is skipped: socat is not installed (apt-get install socat)');

const dir = mkdtempSync(join(tmpdir(), 'hsmon-agents-'));
const open: McpSession[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npx hsmon mcp …` → the arguments after `mcp`. */
function mcpArgs(command: string, args: string[]): string[] {
  expect(command).toBe('npx');
  expect(args.slice(0, 2)).toEqual(['hsmon', 'mcp']);
  return args.slice(2);
}

/** A board port in a snippet becomes one end of a socat pty pair. */
async function withPort(args: string[]): Promise<string[] | null> {
  if (!args.some((a) => a.startsWith('/dev/'))) return args;
  if (!hasSocat) return null;
  const links = { a: join(dir, `board-${process.pid}`), b: join(dir, `tty-${process.pid}`) };
  const pair = await createPtyPair(links);
  cleanups.push(() => pair.close());
  return args.map((a) => (a.startsWith('/dev/') ? links.b : a));
}

const shellLines = blocks.filter((b) => b.lang === 'sh').flatMap((b) => b.body.split('\n')).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('AGENTS.md shell lines', () => {
  it('shows some', () => expect(shellLines.filter((l) => l.startsWith('npx hsmon')).length).toBeGreaterThanOrEqual(5));

  for (const line of shellLines.filter((l) => l.startsWith('npx hsmon'))) {
    it(line, () => {
      const m = /^(.*?)\s+# exit (\d)$/.exec(line);
      expect(m, `${line}: every command says its exit code (# exit N)`).not.toBeNull();
      // `npx hsmon` is this checkout's bin/hsmon.js; bash reports hsmon's own exit code in a pipeline.
      const script = `npx() { shift; "${process.execPath}" "${HSMON}" "$@"; }\n${m![1]!}\necho "exit=\${PIPESTATUS[0]}" >&2`;
      const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, HSMON_DEBUG: '' } });
      expect(r.stderr.trim().split('\n').at(-1), r.stderr).toBe(`exit=${m![2]}`);
      if (m![2] !== '2') expect(r.stdout.length).toBeGreaterThan(0);
    }, 40_000);
  }

  for (const line of shellLines.filter((l) => l.startsWith('claude mcp add'))) {
    it(line, async () => {
      const [command, ...args] = line.split(' -- ')[1]!.split(/\s+/);
      const s = await startMcp(mcpArgs(command!, args));
      open.push(s);
      expect((await s.call<{ source: { type: string } }>('status')).source.type).toBeTypeOf('string');
    }, 40_000);
  }
});

describe('AGENTS.md host configurations start a working server', () => {
  const configs = blocks.filter((b) => b.lang === 'json').map((b) => JSON.parse(b.body) as Record<string, Record<string, { command: string; args: string[]; type?: string }>>);
  it('shows three', () => expect(configs.length).toBe(3));
  for (const [i, config] of configs.entries()) {
    const entry = (config['mcpServers'] ?? config['servers'])!['hsmon']!;
    it(`snippet ${i + 1}: ${entry.args.join(' ')}`, async () => {
      if (entry.type !== undefined) expect(entry.type).toBe('stdio');
      const args = await withPort(mcpArgs(entry.command, entry.args));
      if (args === null) return;
      // A serial source is recorded, by default under XDG_DATA_HOME: here, not in the user's home.
      const s = await startMcp(args, { XDG_DATA_HOME: dir });
      open.push(s);
      const st = await s.call<{ source: { name: string }; cursor: number }>('status');
      expect(st.cursor).toBeGreaterThanOrEqual(0);
    }, 40_000);
  }
});

describe('AGENTS.md tool-call blocks', () => {
  const mcpBlocks = blocks.filter((b) => b.lang === 'mcp');
  it('shows two', () => expect(mcpBlocks.length).toBe(2));
  for (const b of mcpBlocks) {
    const lines = b.body.trim().split('\n');
    const server = lines[0]!.replace(/^# /, '').split(/\s+/);
    it(lines[0]!, async () => {
      const s = await startMcp(mcpArgs(server[0]!, server.slice(1)));
      open.push(s);
      let cursor: number | null = null;
      for (const call of lines.slice(1).filter((l) => !l.startsWith('#'))) {
        const [, name, args] = /^(\w+) (.*)$/.exec(call)!;
        const substituted = args!.replace(/"\$cursor"/g, () => String(cursor));
        const r = await s.call<{ cursor?: number }>(name!, JSON.parse(substituted));
        expect(r.isError, `${call}: ${r.text}`).toBe(false);
        if (name === 'send_command') cursor = r.cursor!;
      }
    }, 120_000);
  }
});
