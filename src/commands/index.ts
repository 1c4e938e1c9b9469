export { DEFAULT_CONFIG, configSearchPaths, loadCommandConfig, parseCommandConfig, readConfigFile } from './config.ts';
export type { CommandConfig, DeviceCommand, LoadConfigOptions } from './config.ts';
export { unescapeBytes } from './escape.ts';
export { encodeLine, rawKeyBytes } from './line-input.ts';
export type { RawKey } from './line-input.ts';
export { formatResetSequence, parseResetSequence } from './reset-sequence.ts';
export type { ResetStep } from './reset-sequence.ts';
export { runCommand } from './run-command.ts';
