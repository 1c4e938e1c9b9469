/** `hsmon sim`: the simulated PSOC Edge-like device, on a pty another program can open. */
import { SCENARIOS, scenarioNames } from '../sim/scenarios.ts';
import { startSimPty } from '../sim/pty.ts';
import type { Parsed } from './args.ts';
import { UsageError } from './errors.ts';

export async function runSim(v: Parsed['values']): Promise<number> {
  if (v['list']) {
    for (const name of scenarioNames()) process.stdout.write(`${name.padEnd(26)} ${SCENARIOS[name]?.description ?? ''}\n`);
    return 0;
  }
  const scenario = (v['scenario'] as string | undefined) ?? 'handshake-ok';
  if (!scenarioNames().includes(scenario)) throw new UsageError(`unknown scenario '${scenario}' — scenarios: ${scenarioNames().join(', ')}`);
  const baud = v['baud'] === undefined ? 115200 : Number(v['baud']);
  if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`--baud takes a positive whole number, got '${String(v['baud'])}'`);
  if (!v['pty']) {
    throw new UsageError('sim serves the simulated device on a pty: add --pty (or run `hsmon` to watch it in the monitor)');
  }
  const sim = await startSimPty({ scenario, baud });
  process.stdout.write(`${sim.path}\n`);
  process.stderr.write(`hsmon: simulated device '${scenario}' at ${baud} baud on ${sim.path} — open it with: hsmon monitor ${sim.path} --baud ${baud}   (Ctrl+C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}
