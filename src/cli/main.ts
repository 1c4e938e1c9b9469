/**
 * Composition root of the `hsmon` command: parses the command line and wires sources,
 * session, views and outputs together. Errors the user can act on are one line on stderr
 * (exit 2); a stack trace is printed only with HSMON_DEBUG=1.
 *
 * src/cli.ts runs it; bin/hsmon.js runs it directly for `replay --json` and `summarize`, loaded
 * through tsx's CommonJS hook (faster to start): so no top-level await in what it imports
 * statically, and the commands that need ink load their modules with import().
 */
import { HELP, parseCommandLine, parseSpeed, type Parsed } from './args.ts';
import { loadSessionSettings } from './session-settings.ts';
import { UsageError } from './errors.ts';
import { runFile } from './summarize.ts';
import { ndjsonSchema } from '../output/schema.ts';
import { handshakeChart } from '../../machines/chart.ts';
import { peakRssKb } from '../io/peak-rss.ts';
import { stdoutClosed, watchStdout } from './stdout-closed.ts';
import { packageVersion } from '../io/package-path.ts';

async function main(p: Parsed): Promise<number> {
  const v = p.values;
  if (p.command === 'help' || v['help']) {
    if (p.positionals[0] === '--version') {
      process.stdout.write(`hsmon ${packageVersion()}\n`);
      return 0;
    }
    process.stdout.write(HELP);
    return 0;
  }
  switch (p.command) {
    case 'schema':
      process.stdout.write(JSON.stringify(ndjsonSchema(), null, 2) + '\n');
      return 0;
    case 'chart': {
      const tls = v['tls'];
      if (tls !== undefined && tls !== '1.2' && tls !== '1.3') throw new UsageError(`--tls takes 1.2 or 1.3, got '${String(tls)}'`);
      process.stdout.write(handshakeChart(tls));
      return 0;
    }
    case 'summarize':
    case 'replay': {
      const path = p.positionals[0];
      if (!path) throw new UsageError(`${p.command} needs a FILE: a recording (.cast) or a plain text log`);
      const json = Boolean(v['json']);
      const settings = await loadSessionSettings(v);
      if (p.command === 'summarize' || json) {
        // For a script, as fast as it can read, whatever the input (a .cast too); --speed paces it.
        return runFile({
          path, json, events: p.command === 'replay', settings,
          speed: p.command === 'replay' ? parseSpeed(v['speed'] as string | undefined, 'max') : 'max',
        });
      }
      const { runInteractive } = await import('./interactive.ts');
      return runInteractive({ kind: 'replay', path, speed: parseSpeed(v['speed'] as string | undefined), settings });
    }
    case 'monitor': {
      const port = p.positionals[0];
      if (!port) throw new UsageError('monitor needs a PORT, e.g. /dev/ttyACM0 (list them with `hsmon ports`)');
      const { runMonitor } = await import('./monitor.ts');
      return runMonitor(port, v, await loadSessionSettings(v));
    }
    case 'export': {
      const path = p.positionals[0];
      if (!path) throw new UsageError('hsmon export needs a FILE: a recording (.cast) or a plain text log');
      const { runExport } = await import('./export.ts');
      return runExport(path, v, await loadSessionSettings(v));
    }
    case 'ports': {
      const { runPorts } = await import('./ports.ts');
      return runPorts(Boolean(v['json']));
    }
    case 'sim': {
      const { runSim } = await import('./sim.ts');
      return runSim(v);
    }
    case 'findings':
    case 'explain': {
      const { runCatalog } = await import('./catalog.ts');
      return runCatalog(p.command, p.positionals[0], Boolean(v['json']));
    }
    case 'mcp': {
      const { runMcp } = await import('../mcp/run.ts');
      return runMcp(p.positionals[0], v, await loadSessionSettings(v, (l) => void process.stderr.write(`hsmon mcp: ${l}\n`)));
    }
    case 'demo': {
      const { runInteractive } = await import('./interactive.ts');
      return runInteractive({ kind: 'demo', scenario: v['scenario'] as string | undefined, settings: await loadSessionSettings(v), json: Boolean(v['json']) });
    }
  }
  return 0;
}

function explain(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  const e = err as NodeJS.ErrnoException;
  return e?.message ?? String(err);
}

/** Runs the command line `argv` (without node and the script); sets process.exitCode. */
export async function runCli(argv: string[]): Promise<void> {
  // `npm run bench` reads the peak memory of the process from this line, its CPU time (every
  // thread's), and which code ran: the build in dist/ or the sources (bin/hsmon.js).
  if (process.env['HSMON_STATS']) {
    const code = (globalThis as Record<symbol, unknown>)[Symbol.for('hsmon.code')] ?? 'sources';
    process.on('exit', () => {
      const cpu = process.cpuUsage();
      process.stderr.write(`hsmon-stats maxRssKb=${peakRssKb()} code=${String(code)} cpuMs=${Math.round((cpu.user + cpu.system) / 1000)}\n`);
    });
  }
  watchStdout();
  try {
    const code = await main(parseCommandLine(argv));
    // A reader that went away ended the run; that is not a verdict.
    process.exitCode = stdoutClosed() ? 0 : code;
  } catch (err) {
    process.stderr.write(`hsmon: ${explain(err)}\n`);
    if (process.env['HSMON_DEBUG']) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    process.exitCode = err instanceof UsageError ? err.code : 2;
  }
}
