/**
 * User prefix profiles from the config file (`"profiles": [...]` in ./hsmon.json or
 * ~/.config/hsmon/config.json, or --config FILE). Each profile's sample lines are checked when
 * it loads; a profile that fails them is named on stderr and left out, the others are used.
 */
import { builtinProfiles, parseProfileConfig, type Profile } from '../../parsers/profiles/index.ts';
import { readConfigFile } from '../commands/config.ts';
import { UsageError } from './errors.ts';

export async function loadProfiles(configFile: string | undefined, warn: (line: string) => void): Promise<Profile[] | undefined> {
  let found;
  try {
    found = await readConfigFile(configFile ? { file: configFile } : {});
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!found || typeof found.json !== 'object' || found.json === null || !('profiles' in found.json)) return undefined;
  const { profiles, errors } = parseProfileConfig({ profiles: (found.json as { profiles: unknown }).profiles });
  for (const e of errors) warn(`hsmon: ${found.path}: ${e}`);
  return profiles.length > 0 ? [...profiles, ...builtinProfiles] : undefined;
}
