import { createPtyPair } from '../io/pty.ts';
import { openSerialSource } from '../io/serial.ts';
import { createSimulator, type SimulatorOptions } from './simulator.ts';

export interface SimPty {
  /** The port to open: `hsmon monitor <path>`, or any terminal program. */
  path: string;
  scenario: string;
  close(): Promise<void>;
}

/**
 * Serves the simulator on one end of a socat pty pair and returns the other end, so the
 * simulated board can be opened like a USB-serial device (`hsmon sim --pty`).
 */
export async function startSimPty(options: SimulatorOptions = {}): Promise<SimPty> {
  const pair = await createPtyPair();
  const sim = createSimulator(options);
  let device;
  try {
    device = await openSerialSource({ path: pair.a, baud: options.baud ?? 115200, reconnect: false });
  } catch (err) {
    await pair.close();
    throw err;
  }
  const dev = device;
  await dev.start({
    // What the monitor sends arrives here and goes to the simulated board.
    data: (bytes) => void sim.write(bytes),
    status: () => undefined,
  });
  await sim.start({
    data: (bytes) => void dev.write(bytes).catch(() => undefined),
    status: () => undefined,
  });
  return {
    path: pair.b,
    scenario: sim.scenario.name,
    async close(): Promise<void> {
      await sim.close();
      await dev.close();
      await pair.close();
    },
  };
}
