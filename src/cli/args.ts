/**
 * Command-line parsing: one table of options per command, parsed with node:util parseArgs so
 * that a typo gets a one-line message naming the option, not a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export const COMMANDS = ['monitor', 'replay', 'summarize', 'export', 'ports', 'sim', 'schema', 'chart', 'help'] as const;
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
  demo: { ...common, scenario: { type: 'string' }, broker: { type: 'string' }, topic: { type: 'string', multiple: true } },
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
    'allow-plaintext-credentials': { type: 'boolean' },
    pcapng: { type: 'string' },
    keylog: { type: 'string' },
    'no-keys': { type: 'boolean' },
  },
  replay: { ...common, speed: { type: 'string' }, broker: { type: 'string' }, topic: { type: 'string', multiple: true } },
  summarize: { ...common },
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
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS[command], allowPositionals: true, strict: true });
    return { command, positionals, values: values as Parsed['values'] };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\. To specify a positional.*$/, '')} (hsmon ${command === 'demo' ? '' : command + ' '}--help)`);
  }
}

export function parseSpeed(v: string | undefined): number | 'max' {
  if (v === undefined) return 1;
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
  hsmon replay FILE [--speed 1|10|max] [--json]
  hsmon summarize FILE [--json]  exit 0: every handshake ok; 1: a handshake failed or is incomplete; 2: error
  hsmon export FILE --pcapng OUT [--keylog KEYS] [--no-keys] [--json]
                                Wireshark capture (debug level 4) with the TLS keys; --keylog alone works from level 3
  hsmon ports [--json]          list serial ports
  hsmon sim [--pty] [--scenario NAME] [--list]
  hsmon schema                  JSON Schema of every NDJSON line
  hsmon --version               the version of hsmon
  hsmon chart [--tls 1.2|1.3]   the mbedTLS client handshake statechart as Mermaid text

Options:
  --json              NDJSON on stdout (one event per line; the summary is the last line)
  --mbedtls 2.28|3.6  mbedTLS version for state numbers and error names (default: inferred from the log)
  --no-redact         keep private keys, session secrets and credentials seen on the UART in hsmon's output
  --allow-plaintext-credentials   monitor: send HSMON_MQTT_USERNAME/PASSWORD over mqtt:// or ws:// (refused otherwise)
  --config FILE       configuration file (default ./hsmon.json, then ~/.config/hsmon/config.json)
`;
