/**
 * Command-line parsing: one table of options per command, parsed with node:util parseArgs so
 * that a typo gets a one-line message naming the option, not a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export const COMMANDS = ['monitor', 'replay', 'summarize', 'mcp', 'findings', 'explain', 'export', 'ports', 'sim', 'schema', 'chart', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number] | 'demo';

type Options = NonNullable<ParseArgsConfig['options']>;

const common: Options = {
  json: { type: 'boolean' },
  mbedtls: { type: 'string' },
  'no-redact': { type: 'boolean' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const OPTIONS: Record<CommandName, Options> = {
  demo: { ...common, scenario: { type: 'string' } },
  monitor: {
    ...common,
    baud: { type: 'string', short: 'b' },
    'data-bits': { type: 'string' },
    parity: { type: 'string' },
    'stop-bits': { type: 'string' },
    flow: { type: 'string' },
    record: { type: 'string' },
    'no-record': { type: 'boolean' },
    'no-reconnect': { type: 'boolean' },
    broker: { type: 'string' },
    topic: { type: 'string', multiple: true },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    pcapng: { type: 'string' },
    keylog: { type: 'string' },
    'no-keys': { type: 'boolean' },
  },
  replay: { ...common, speed: { type: 'string' } },
  summarize: { ...common },
  mcp: {
    mbedtls: common['mbedtls']!,
    'no-redact': common['no-redact']!,
    config: common['config']!,
    help: common['help']!,
    baud: { type: 'string', short: 'b' },
    replay: { type: 'string' },
    speed: { type: 'string' },
    sim: { type: 'boolean' },
    scenario: { type: 'string' },
    broker: { type: 'string' },
    topic: { type: 'string', multiple: true },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
  findings: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  explain: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  export: { ...common, pcapng: { type: 'string' }, keylog: { type: 'string' }, 'no-keys': { type: 'boolean' } },
  ports: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  sim: { scenario: { type: 'string' }, pty: { type: 'boolean' }, baud: { type: 'string' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  schema: { help: { type: 'boolean', short: 'h' } },
  chart: { tls: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  help: {},
};

export interface Parsed {
  command: CommandName;
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

export function parseCommandLine(argv: string[]): Parsed {
  const first = argv[0];
  let command: CommandName = 'demo';
  let rest = argv;
  if (first && !first.startsWith('-')) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new UsageError(`unknown command '${first}' — commands: ${COMMANDS.join(', ')} (hsmon --help)`);
    }
    command = first as CommandName;
    rest = argv.slice(1);
  }
  if (first === '--help' || first === '-h') return { command: 'help', positionals: [], values: {} };
  if (first === '--version' || first === '-V') return { command: 'help', positionals: ['--version'], values: {} };
  const help = `(hsmon ${command === 'demo' ? '' : command + ' '}--help)`;
  let parsed: Parsed;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS[command], allowPositionals: true, strict: true });
    parsed = { command, positionals, values: values as Parsed['values'] };
  } catch (err) {
    const e = err as Error & { code?: string };
    const option = /'(-[^']*)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      throw new UsageError(`${command === 'demo' ? 'the monitor of the simulated device' : command} does not take ${option} ${help}`);
    }
    throw new UsageError(`${e.message.replace(/\. To specify a positional.*$/, '')} ${help}`);
  }
  if (parsed.values['help']) return parsed;
  const problem = usageProblem(parsed);
  if (problem) throw new UsageError(`${problem} ${help}`);
  return parsed;
}

/** How many FILE/PORT/CODE arguments each command takes (at most). */
const MAX_POSITIONALS: Record<CommandName, number> = {
  demo: 0, monitor: 1, replay: 1, summarize: 1, export: 1, mcp: 1, findings: 0, explain: 1, ports: 0, sim: 0, schema: 0, chart: 0, help: 0,
};

/** Options that only mean something beside another one: given alone they would be ignored. */
const NEEDS: Partial<Record<CommandName, [option: string, needs: string][]>> = {
  monitor: [['topic', 'broker'], ['ca', 'broker'], ['cert', 'broker'], ['key', 'broker']],
  mcp: [['topic', 'broker'], ['ca', 'broker'], ['cert', 'broker'], ['key', 'broker'], ['speed', 'replay'], ['scenario', 'sim']],
};

/**
 * What in an otherwise well-formed command line hsmon would silently ignore (an extra FILE,
 * --topic without --broker, two sources for mcp): one line saying so, or null.
 */
function usageProblem(p: Parsed): string | null {
  const v = p.values;
  const extra = p.positionals.slice(MAX_POSITIONALS[p.command]);
  if (extra.length > 0) return `unexpected argument '${extra[0]}'`;
  for (const [option, needs] of NEEDS[p.command] ?? []) {
    if (v[option] !== undefined && v[needs] === undefined) return `--${option} is used only with --${needs}`;
  }
  if (p.command === 'monitor' && v['record'] !== undefined && v['no-record']) return '--record and --no-record contradict each other';
  if (p.command === 'mcp') {
    const sources = [p.positionals[0] !== undefined ? 'PORT' : null, v['replay'] !== undefined ? '--replay' : null, v['sim'] ? '--sim' : null].filter((x) => x !== null);
    if (sources.length === 0) return 'mcp needs a source: a serial PORT, --replay FILE or --sim';
    if (sources.length > 1) return `mcp takes one source, got ${sources.join(' and ')}`;
    if (v['baud'] !== undefined && p.positionals[0] === undefined) return '--baud is used only with a serial PORT';
    if (v['sim'] && v['broker'] !== undefined) return '--broker is used only with a serial PORT or --replay (--sim brings its own broker)';
  }
  return null;
}

export function parseSpeed(v: string | undefined, fallback: number | 'max' = 1): number | 'max' {
  if (v === undefined) return fallback;
  if (v === 'max') return 'max';
  const n = Number(v.replace(/x$/, ''));
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--speed takes a positive number or 'max', got '${v}'`);
  return n;
}

export function parseMbedtls(v: string | boolean | string[] | undefined): '2.28' | '3.6' | undefined {
  if (v === undefined) return undefined;
  if (v === '2.28' || v === '3.6') return v;
  throw new UsageError(`--mbedtls takes 2.28 or 3.6, got '${String(v)}'`);
}

export const HELP = `hsmon — a terminal monitor for TLS client handshakes on microcontrollers

Usage:
  hsmon                         monitor the built-in simulated device (what \`npm start\` runs)
  hsmon monitor PORT [--baud N] [--record FILE | --no-record] [--json] [--broker URL --topic FILTER ...] [--pcapng OUT [--keylog KEYS]]
  hsmon replay FILE [--speed 1|10|max] [--json]   (--json: max speed unless --speed is given)
  hsmon summarize FILE [--json]
  hsmon export FILE --pcapng OUT [--keylog KEYS] [--no-keys] [--json]
                                Wireshark capture (debug level 4) with the TLS keys; --keylog alone works from level 3
  hsmon mcp [PORT [--baud N] | --replay FILE [--speed S] | --sim [--scenario NAME]] [--broker URL ...]
                                MCP server on stdio for coding agents (AGENTS.md)
  hsmon findings [--json]       the finding catalog: every code, its evidence and fix
  hsmon explain CODE [--json]   one finding code
  hsmon ports [--json]          list serial ports
  hsmon sim [--pty] [--scenario NAME] [--list]
  hsmon schema                  JSON Schema of every NDJSON line
  hsmon --version               the version of hsmon
  hsmon chart [--tls 1.2|1.3]   the mbedTLS client handshake statechart as Mermaid text

Options:
  --json              NDJSON on stdout (one event per line; the summary is the last line)
  --mbedtls 2.28|3.6  mbedTLS version for state numbers and error names (default: inferred from the log)
  --no-redact         keep private keys and session secrets seen on the UART in hsmon's output
  --config FILE       configuration file (default ./hsmon.json, then ~/.config/hsmon/config.json)

Exit codes (summarize, replay --json): 0 every handshake ok; 1 a handshake failed or is
incomplete; 2 usage or unreadable input; 3 no handshake found. A closed stdout ends hsmon with 0.
`;
