/**
 * The session settings every command reads from the same options, loaded once in main.ts and
 * handed to each command: the TUI replay, `--json`, `summarize`, `monitor` and the demo cannot
 * drift apart (replay once ignored the profiles of --config that summarize used).
 */
import type { Profile } from '../../parsers/profiles/index.ts';
import { parseMbedtls, type Parsed } from './args.ts';
import { loadProfiles } from './profiles.ts';
import { loadRedactPatterns } from './redact-config.ts';

export interface SessionSettings {
  mbedtls: '2.28' | '3.6' | undefined;
  redact: boolean;
  /** The user's profiles then the built-in ones; undefined: the built-in ones only. */
  profiles: Profile[] | undefined;
  /** --config FILE; undefined: ./hsmon.json, then ~/.config/hsmon/config.json. */
  config: string | undefined;
  /** `redact.patterns` of the config file (docs/config.md); undefined: none. */
  redactPatterns?: string[] | undefined;
}

export async function loadSessionSettings(v: Parsed['values'], warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<SessionSettings> {
  const config = v['config'] as string | undefined;
  return {
    mbedtls: parseMbedtls(v['mbedtls']),
    redact: !v['no-redact'],
    profiles: await loadProfiles(config, warn),
    config,
    redactPatterns: await loadRedactPatterns(config),
  };
}
