import type { Source } from '../io/source.ts';
import type { DeviceCommand } from './config.ts';

export interface RunCommandOptions {
  /** Injected so tests run reset sequences without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a device command on a source: writes its bytes, or plays its DTR/RTS steps. The
 * session wraps `source.write` to record and show what is sent, so nothing here records.
 * Resolves with the bytes sent (empty for a reset).
 */
export async function runCommand(source: Source, command: DeviceCommand, options: RunCommandOptions = {}): Promise<Uint8Array> {
  const sleep = options.sleep ?? realSleep;
  if (command.send) {
    await source.write(command.send);
    return command.send;
  }
  if (command.reset) {
    if (!source.setSignals) throw new Error(`${command.name}: ${source.name} has no DTR/RTS lines to reset the board with`);
    for (const step of command.reset) {
      if (step.op === 'wait') await sleep(step.ms);
      else await source.setSignals({ ...(step.dtr !== undefined ? { dtr: step.dtr } : {}), ...(step.rts !== undefined ? { rts: step.rts } : {}) });
    }
    return new Uint8Array(0);
  }
  throw new Error(`${command.name}: nothing to do (no send, no reset)`);
}
