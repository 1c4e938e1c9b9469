/** `hsmon ports`: the serial ports, with the stable /dev/serial/by-id path to use. */
import { formatPorts, listPorts } from '../io/ports.ts';

export async function runPorts(json: boolean): Promise<number> {
  const list = await listPorts();
  if (json) process.stdout.write(JSON.stringify(list) + '\n');
  else if (list.length === 0) process.stdout.write('no serial ports found (is the board plugged in? is your user in the dialout group?)\n');
  else process.stdout.write(formatPorts(list) + '\n');
  return 0;
}
