import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPtyPair, type PtyPair } from '../../src/io/pty.ts';
import { openSerialSource, type SerialSource } from '../../src/io/serial.ts';
import type { SourceStatus } from '../../src/io/source.ts';
import { loadCommandConfig } from '../../src/commands/config.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { startSimPty } from '../../src/sim/pty.ts';
import { poll } from '../helpers/poll.ts';
import { paced } from '../helpers/uart.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped test/e2e/serial.test.ts: socat is not installed (apt-get install socat)');

const TRANSCRIPT = readFileSync(new URL('../../recordings/psa_tls12_opaque_ok.log', import.meta.url));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});


async function pair(options?: { a: string; b: string }): Promise<PtyPair> {
  const p = await createPtyPair(options);
  cleanups.push(() => p.close());
  return p;
}

async function device(path: string): Promise<{ src: SerialSource; got: Buffer[] }> {
  const got: Buffer[] = [];
  const src = await openSerialSource({ path, baud: 921600, reconnect: false });
  cleanups.push(() => src.close());
  await src.start({ data: (c) => got.push(Buffer.from(c)), status: () => undefined });
  return { src, got };
}

describe.runIf(hasSocat)('serial source through a socat pty pair', () => {
  it('follows a transcript at 921600 baud, survives unplug/replug, and sends command bytes exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-e2e-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const links = { a: join(dir, 'A'), b: join(dir, 'B') };
    let cable = await pair(links);
    let dev = await device(links.a);

    const statuses: SourceStatus[] = [];
    const got: Buffer[] = [];
    const mon = await openSerialSource({ path: links.b, baud: 921600, pollMs: 50 });
    cleanups.push(() => mon.close());
    await mon.start({ data: (c) => got.push(Buffer.from(c)), status: (s) => statuses.push(s) });
    expect(statuses.map((s) => s.state)).toEqual(['open']);

    await paced(dev.src, TRANSCRIPT, 921600);
    await poll('the transcript', () => Buffer.concat(got).length >= TRANSCRIPT.length, { timeoutMs: 5000 });
    expect(Buffer.concat(got).equals(TRANSCRIPT)).toBe(true);

    // Unplug: socat goes away and takes both pty links with it.
    await dev.src.close();
    await cable.close();
    await poll('reconnecting', () => statuses.some((s) => s.state === 'reconnecting'), { timeoutMs: 5000 });
    const rec = statuses.find((s) => s.state === 'reconnecting') as { detail: string };
    expect(rec.detail).toContain(links.b);

    // Replug under the same names.
    cable = await pair(links);
    dev = await device(links.a);
    await poll('open again', () => statuses.length >= 3, { timeoutMs: 5000 });
    expect(statuses.map((s) => s.state)).toEqual(['open', 'reconnecting', 'open']);
    got.length = 0;
    const after = Buffer.from('ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_HELLO_REQUEST\r\n');
    await dev.src.write(after);
    await poll('bytes after replug', () => Buffer.concat(got).length >= after.length, { timeoutMs: 5000 });
    expect(Buffer.concat(got).equals(after)).toBe(true);

    // A command key: the configured bytes arrive at the device end, exactly.
    const cfgFile = join(dir, 'hsmon.json');
    writeFileSync(cfgFile, JSON.stringify({ commands: [{ name: 'retry-connect', key: 'r', send: 'retry\\r\\n\\x00\\xff' }] }));
    const cfg = await loadCommandConfig({ file: cfgFile });
    await runCommand(mon, cfg.commands[0]!);
    await poll('command bytes at the device', () => Buffer.concat(dev.got).length >= 9, { timeoutMs: 5000 });
    expect(Buffer.concat(dev.got).toString('hex')).toBe(Buffer.from('retry\r\n\x00\xff', 'latin1').toString('hex'));
  });

  it('a regular file or a missing path as the port gives one clear line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-e2e-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'session.log');
    writeFileSync(file, 'not a tty\n');
    const e1 = await openSerialSource({ path: file }).then(() => null, (e: Error) => e.message);
    expect(e1).toBe(`not a serial port: ${file} is a regular file (to read a log, use \`hsmon replay ${file}\`)`);
    const missing = join(dir, 'ttyUSB9');
    const e2 = await openSerialSource({ path: missing }).then(() => null, (e: Error) => e.message);
    expect(e2).toBe(`no such device: ${missing} — run \`hsmon ports\` to list serial ports`);
    expect(e1!.includes('\n') || e2!.includes('\n')).toBe(false);
  });

  it('hsmon sim --pty: the simulated board answers on a real pty', async () => {
    const sim = await startSimPty({ scenario: 'client-cert-rejected', baud: 921600 });
    cleanups.push(() => sim.close());
    let text = '';
    const mon = await openSerialSource({ path: sim.path, baud: 921600, reconnect: false });
    cleanups.push(() => mon.close());
    await mon.start({ data: (c) => (text += Buffer.from(c).toString('latin1')), status: () => undefined });
    await poll('the failed handshake', () => text.includes('mbedtls_ssl_handshake failed 0x7780'), { timeoutMs: 10_000 });
    expect(text).toContain('PSOC Edge MCU: Wi-Fi MQTT Client\r\n');
    await mon.write(new TextEncoder().encode('retry\r\n'));
    await poll('the second handshake', () => text.split('mbedtls_ssl_handshake failed 0x7780').length === 3, { timeoutMs: 10_000 });
  });
});
