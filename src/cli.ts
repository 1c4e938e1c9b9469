/** The `hsmon` command (bin/hsmon.js): src/cli/main.ts. */
import { runCli } from './cli/main.ts';

await runCli(process.argv.slice(2));
