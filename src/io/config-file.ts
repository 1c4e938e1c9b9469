/**
 * The config file (./hsmon.json, ~/.config/hsmon/config.json or --config FILE) found and read:
 * the file system half of src/commands/config.ts, which validates what is in it.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface LoadConfigOptions {
  /** `--config FILE`: only this file, and it must exist. */
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Where the config is looked for, in order: ./hsmon.json, then $XDG_CONFIG_HOME/hsmon/config.json. */
export function configSearchPaths(options: LoadConfigOptions = {}): string[] {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const xdg = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(home, '.config');
  return [resolve(options.cwd ?? process.cwd(), 'hsmon.json'), join(xdg, 'hsmon', 'config.json')];
}

/**
 * The first config file found, parsed; null when there is none. A file that exists but cannot
 * be read or parsed is an error (one line naming the file), never ignored.
 */
export async function readConfigFile(options: LoadConfigOptions = {}): Promise<{ path: string; json: unknown } | null> {
  const candidates = options.file ? [resolve(options.cwd ?? process.cwd(), options.file)] : configSearchPaths(options);
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' && !options.file) continue;
      throw new Error(`${path}: cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
    }
    try {
      return { path, json: JSON.parse(text) as unknown };
    } catch (e) {
      throw new Error(`${path}: invalid JSON: ${(e as Error).message}`);
    }
  }
  return null;
}
