import { readConfigFile, type LoadConfigOptions } from '../io/config-file.ts';
import { unescapeBytes } from './escape.ts';
import { parseResetSequence, type ResetStep } from './reset-sequence.ts';

/** A key the user presses in the monitor and what it does to the device. */
export interface DeviceCommand {
  name: string;
  /** One character; the UI binds it (it owns the key table and reports clashes). */
  key: string;
  description: string;
  /** Bytes to write, when the command sends text. */
  send?: Uint8Array;
  /** DTR/RTS steps, when the command resets the board. */
  reset?: ResetStep[];
  /** Destructive: the UI asks before running it. */
  confirm: boolean;
}

export interface CommandConfig {
  commands: DeviceCommand[];
  /** Appended to a line typed in line mode. */
  lineEnding: Uint8Array;
  /** The file the settings came from; null when they are the built-in defaults. */
  file: string | null;
}

/**
 * The defaults, which are also what the simulator answers: `regen\r\n` makes a new key and
 * certificate, `retry\r\n` runs the handshake again, a DTR/RTS pulse reboots it.
 */
export const DEFAULT_CONFIG = {
  commands: [
    { name: 'regenerate-key', key: 'k', description: 'generate a new device key pair and certificate', send: 'regen\\r\\n', confirm: true },
    { name: 'retry-connect', key: 'r', description: 'run the TLS/MQTT connection again', send: 'retry\\r\\n' },
    { name: 'reset', key: 'R', description: 'reset the board through DTR/RTS', reset: 'D0|R1|W0.1|R0', confirm: true },
  ],
  lineEnding: '\\r\\n',
} as const;

class ConfigError extends Error {}

function fail(file: string, field: string, message: string): never {
  throw new ConfigError(`${file}: ${field}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const KNOWN_FIELDS = new Set(['name', 'key', 'description', 'send', 'reset', 'confirm']);

/** Validates a parsed config object; errors name the file and the field (`commands[1].key`). */
export function parseCommandConfig(json: unknown, file: string): CommandConfig {
  if (!isObject(json)) fail(file, '(top level)', 'expected an object like {"commands": [...]}');
  const rawCommands = json['commands'] ?? DEFAULT_CONFIG.commands;
  if (!Array.isArray(rawCommands)) fail(file, 'commands', 'expected an array');
  const commands: DeviceCommand[] = [];
  const names = new Set<string>();
  const keys = new Map<string, string>();
  rawCommands.forEach((raw: unknown, i: number) => {
    const at = `commands[${i}]`;
    if (!isObject(raw)) fail(file, at, 'expected an object with name, key and send or reset');
    for (const k of Object.keys(raw)) {
      if (!KNOWN_FIELDS.has(k)) fail(file, `${at}.${k}`, `unknown field (known: ${[...KNOWN_FIELDS].join(', ')})`);
    }
    const name = raw['name'];
    if (typeof name !== 'string' || name.trim() === '') fail(file, `${at}.name`, 'expected a non-empty string');
    if (names.has(name)) fail(file, `${at}.name`, `"${name}" is used twice`);
    names.add(name);
    const key = raw['key'];
    if (typeof key !== 'string' || [...key].length !== 1) fail(file, `${at}.key`, 'expected one character, e.g. "k"');
    if (keys.has(key)) fail(file, `${at}.key`, `"${key}" is already bound to "${keys.get(key)}"`);
    keys.set(key, name);
    const description = raw['description'];
    if (description !== undefined && typeof description !== 'string') fail(file, `${at}.description`, 'expected a string');
    const confirm = raw['confirm'];
    if (confirm !== undefined && typeof confirm !== 'boolean') fail(file, `${at}.confirm`, 'expected true or false');
    const send = raw['send'];
    const reset = raw['reset'];
    if ((send === undefined) === (reset === undefined)) fail(file, at, 'needs exactly one of "send" (text) or "reset" (DTR/RTS sequence)');
    const cmd: DeviceCommand = { name, key, description: description ?? name, confirm: confirm ?? false };
    if (send !== undefined) {
      if (typeof send !== 'string' || send === '') fail(file, `${at}.send`, 'expected a non-empty string such as "regen\\r\\n"');
      try {
        cmd.send = unescapeBytes(send);
      } catch (e) {
        fail(file, `${at}.send`, (e as Error).message);
      }
    } else {
      if (typeof reset !== 'string') fail(file, `${at}.reset`, 'expected a string such as "D0|R1|W0.1|R0"');
      try {
        cmd.reset = parseResetSequence(reset);
      } catch (e) {
        fail(file, `${at}.reset`, (e as Error).message);
      }
    }
    commands.push(cmd);
  });
  const le = json['lineEnding'] ?? DEFAULT_CONFIG.lineEnding;
  if (typeof le !== 'string') fail(file, 'lineEnding', 'expected a string such as "\\r\\n"');
  let lineEnding: Uint8Array;
  try {
    lineEnding = unescapeBytes(le);
  } catch (e) {
    fail(file, 'lineEnding', (e as Error).message);
  }
  return { commands, lineEnding, file };
}

export { configSearchPaths, readConfigFile, type LoadConfigOptions } from '../io/config-file.ts';

/**
 * The device commands of the first config file found, validated; the defaults when there is
 * none. A broken file is an error (one line naming the file and field), never ignored.
 */
export async function loadCommandConfig(options: LoadConfigOptions = {}): Promise<CommandConfig> {
  const found = await readConfigFile(options);
  if (found) return parseCommandConfig(found.json, found.path);
  return { ...parseCommandConfig(DEFAULT_CONFIG, '(defaults)'), file: null };
}
