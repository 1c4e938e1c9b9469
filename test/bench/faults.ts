/**
 * `npm run faults`: what hsmon loses, leaks or lets through when things break, measured on this
 * machine with the real parts (socat ptys, mosquitto, openssl, tmux) and printed as a table.
 *  1. unplug/replug of a pty at 921600 baud with a sequence-numbered feeder (FAULT_CYCLES, 50):
 *     lines lost while the port existed, glued lines, half lines kept, reconnect time;
 *     and where the bytes went before: serialport's open flushes the tty's queue.
 *  2. kill -9 of `hsmon monitor --record` in --json and in the TUI: the .cast parses to its
 *     last line; how much device output before the kill is missing from it.
 *  3. mosquitto restarts while a client publishes at QoS 1: messages hsmon saw vs published.
 *  4. a TLS broker whose certificate the given --ca did not sign: refused, and how.
 * FAULTS_ONLY=unplug,kill,broker,tls runs only those sections.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { createPtyPair } from '../../src/io/pty.ts';
import { startHsmon } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';
import { MOSQUITTO, freePort, spawnMosquitto, stopProcess } from '../helpers/mosquitto.ts';
import { hasTmux } from '../helpers/tmux.ts';
import { flushDemo, median, runUnplug } from './faults/unplug.ts';
import { runKill } from './faults/kill.ts';

const root = resolve(import.meta.dirname, '../..');
const only = process.env['FAULTS_ONLY']?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
const runs = (s: string) => only.length === 0 || only.includes(s);
const rows: [string, string][] = [];
const row = (what: string, value: string) => {
  rows.push([what, value]);
  console.log(`${what}: ${value}`);
};
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** The shared poll helper (every 5 ms). */
const until = (what: string, ok: () => boolean, ms = 20000, said?: () => string): Promise<true> =>
  poll(what, () => ok() || null, { timeoutMs: ms, intervalMs: 5, ...(said ? { last: said } : {}) });

// 1 ──────────────────────────────────────────────────────────────────────────
async function unplug(): Promise<void> {
  if (!has('socat')) return row('unplug', 'skipped: socat is not installed');
  const f = await flushDemo(3000);
  row("bytes queued before the open that reach the reader (serialport's open / pre-read only / open without flush)", `${f.serialportOpen} / ${f.preReadOnly} / ${f.noFlushOpen} of ${f.bytes}`);
  const cycles = Number(process.env['FAULT_CYCLES'] ?? 50);
  const r = await runUnplug({ cycles });
  const sorted = [...r.reconnectMs].sort((a, b) => a - b);
  row(`unplug/replug ×${r.cycles} at ${r.baud} baud: lines lost while the port existed`, `${r.lost} of ${r.written} (${(r.bytes / 1e6).toFixed(1)} MB)${r.lost ? `: ${r.lostRanges.join(', ')}; outside a boot burst written during the reopen: ${r.lostOutsideReopen}` : ''}`);
  row('  glued lines / half lines kept as their own line', `${r.glued} / ${r.halvesKept} of ${r.cycles}`);
  row('  reconnect time after the device reappears (median / max)', `${median(r.reconnectMs).toFixed(1)} ms / ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
}

// 2 ──────────────────────────────────────────────────────────────────────────
async function killDuringRecording(mode: 'json' | 'tui'): Promise<void> {
  if (!has('socat') || (mode === 'tui' && !hasTmux)) return row(`kill -9 (${mode})`, 'skipped: socat or tmux is not installed');
  const name = mode === 'json' ? '--json' : 'TUI';
  // FAULT_NO_REDACT=1: the raw recording path (--no-redact), to tell the redaction's share apart.
  const r = await runKill({ mode, noRedact: Boolean(process.env['FAULT_NO_REDACT']) });
  row(`kill -9 at 921600 baud during recording (${name}): .cast events that parse / lines missing before the last recorded`, `${r.parsed} of ${r.events} / ${r.gaps}`);
  row(`  device output sent before the kill missing from the .cast (${name})`, `${r.lostMs.toFixed(0)} ms (${r.lostLines} lines, ${r.lostBytes} bytes; 100 ms of the line is ${r.budgetBytes})`);
}

// 3 ──────────────────────────────────────────────────────────────────────────
async function brokerRestarts(): Promise<void> {
  if (!MOSQUITTO || !has('socat')) return row('broker restarts', 'skipped: mosquitto or socat is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-broker-'));
  chmodSync(dir, 0o777); // mosquitto started as root drops to its own user and keeps its database here
  const port = await freePort();
  const conf = join(dir, 'm.conf');
  // persistence: the broker keeps hsmon's persistent session (and what is queued for it) across its restart.
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir}/`, 'log_dest none', ''].join('\n'));
  chmodSync(conf, 0o644);
  let broker = await spawnMosquitto(conf, port);
  const pair = await createPtyPair({ a: join(dir, 'board'), b: join(dir, 'tty') });
  const mon = startHsmon(['monitor', pair.b, '--json', '--no-record', '--broker', `mqtt://127.0.0.1:${port}`, '--topic', 'faults/#']);
  const pub = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: `faults-pub-${process.pid}`, clean: false, reconnectPeriod: 100 });
  const total = Number(process.env['FAULT_MESSAGES'] ?? 600);
  const restarts = 3;
  let acked = 0;
  try {
    await until('hsmon connected to the broker', () => /"state":"connected"/.test(mon.stdout()));
    await until('publisher connected', () => pub.connected);
    const publishing = (async () => {
      for (let i = 0; i < total; i++) {
        pub.publish('faults/seq', String(i), { qos: 1 }, (err) => {
          if (!err) acked++;
        });
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    for (let k = 0; k < restarts; k++) {
      await new Promise((r) => setTimeout(r, 700));
      await stopProcess(broker);
      await new Promise((r) => setTimeout(r, 300));
      mkdirSync(dir, { recursive: true });
      broker = await spawnMosquitto(conf, port);
    }
    await publishing;
    await until('every message acknowledged', () => acked >= total, 30000).catch(() => undefined);
    const seenSet = () => new Set([...mon.stdout().matchAll(/"kind":"mqtt\.message","t":[\d.]+,"line":-?\d+,"source":"broker","direction":null,"topic":"faults\/seq","qos":\d,"payload":"(\d+)"/g)].map((m) => m[1]));
    await until('hsmon to see them', () => seenSet().size >= total, 15000).catch(() => undefined);
    row(`broker restarts ×${restarts} while publishing at QoS 1: messages hsmon saw / published (acknowledged)`, `${seenSet().size} / ${total} (${acked})`);
  } finally {
    pub.end(true);
    mon.child.kill('SIGINT');
    await mon.exited;
    await stopProcess(broker);
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// 4 ──────────────────────────────────────────────────────────────────────────
async function wrongCa(): Promise<void> {
  if (!MOSQUITTO || !has('openssl') || !has('socat')) return row('TLS broker, wrong CA', 'skipped: mosquitto, openssl or socat is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-tls-'));
  chmodSync(dir, 0o755);
  const ssl = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  for (const ca of ['ca', 'other-ca']) ssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=hsmon faults ${ca}`]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext']);
  for (const f of ['ca.crt', 'server.crt', 'server.key']) chmodSync(join(dir, f), 0o644);
  const port = await freePort();
  const conf = join(dir, 'tls.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `cafile ${dir}/ca.crt`, `certfile ${dir}/server.crt`, `keyfile ${dir}/server.key`, 'persistence false', 'log_dest none', ''].join('\n'));
  chmodSync(conf, 0o644);
  const broker = await spawnMosquitto(conf, port);
  const pair = await createPtyPair({ a: join(dir, 'board'), b: join(dir, 'tty') });
  const mon = startHsmon(['monitor', pair.b, '--json', '--no-record', '--broker', `mqtts://127.0.0.1:${port}`, '--topic', '#', '--ca', join(dir, 'other-ca.crt')]);
  try {
    // Refused at start (exit 2, one line on stderr), or, when it could connect at first, a broker.status.
    let code: number | null | undefined;
    void mon.exited.then((c) => (code = c));
    await until('a broker status or the end of hsmon', () => code !== undefined || /"kind":"broker\.status","t":[\d.]+,"line":null,"state":"(error|connected)"/.test(mon.stdout()), 20000, () => mon.stderr());
    const m = /"state":"(error|connected)","detail":"([^"]*)"/.exec(mon.stdout());
    row('TLS broker whose certificate --ca did not sign', code !== undefined ? `refused at start, exit ${code}: ${mon.stderr().trim().replace(/^hsmon: /, '').replace(/:\d+ /, ':PORT ')}` : m?.[1] === 'error' ? `refused: ${m[2]}` : `CONNECTED (${m?.[2]})`);
  } finally {
    mon.child.kill('SIGINT');
    await mon.exited;
    await stopProcess(broker);
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = Date.now();
if (runs('unplug')) await unplug();
if (runs('kill')) {
  await killDuringRecording('json');
  await killDuringRecording('tui');
}
if (runs('broker')) await brokerRestarts();
if (runs('tls')) await wrongCa();
console.log(`\n| fault | result |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s, ${root})`);
process.exit(0);
