/**
 * The port reader thread (src/io/tty-reader.ts) on a real pty: it records what it reads, as the
 * session would show it, whether the bytes came before the recording was set up or after.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../src/io/pty.ts';
import { openSerialSource, type SerialSource } from '../../src/io/serial.ts';
import { TtyReader } from '../../src/io/tty-reader.ts';
import { poll } from '../helpers/poll.ts';

const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped test/io/tty-reader.test.ts: socat is not installed');

const events = (path: string) =>
  readFileSync(path, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as [number, string, string]);
const output = (path: string) => events(path).filter((e) => e[1] === 'o').map((e) => e[2]).join('');

describe.runIf(hasSocat)('TtyReader', () => {
  const open: { close(): Promise<void> }[] = [];
  let dir = '';
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(): Promise<{ pair: PtyPair; dev: SerialSource; reader: TtyReader }> {
    dir = mkdtempSync(join(tmpdir(), 'hsmon-reader-'));
    const pair = await createPtyPair();
    open.push(pair);
    const dev = await openSerialSource({ path: pair.a, baud: 921600, reconnect: false, preRead: null });
    await dev.start({ data: () => undefined, status: () => undefined });
    open.push(dev);
    const reader = await TtyReader.start();
    open.push(reader);
    return { pair, dev, reader };
  }

  it('records every byte in order, those read before the recording was set up included, and hands each to the main thread', async () => {
    const { pair, dev, reader } = await setUp();
    let sent = '';
    for (let i = 1; i <= 3000; i++) sent += `K${i} device output line\r\n`;
    // 77 KB, more than the tty holds: the reader is at work before `record` is answered.
    const writing = dev.write(Buffer.from(sent));
    const src = await openSerialSource({ path: pair.b, baud: 921600, reconnect: false, reader });
    open.unshift(src);
    let got = '';
    await src.start({ data: (c) => (got += Buffer.from(c).toString('latin1')), status: () => undefined });
    const cast = join(dir, 'r.cast');
    expect(await reader.record({ path: cast, title: 't', source: pair.b, baud: 921600, redact: true, redactPatterns: [] })).toBeNull();
    await writing;
    await poll('the main thread to get every byte', () => got.length >= sent.length, { last: () => got.length });
    await reader.close();
    expect(got).toBe(sent);
    expect(output(cast)).toBe(sent);
  });

  it('records the lines redacted, and raw with --no-redact', async () => {
    const { pair, dev, reader } = await setUp();
    const src = await openSerialSource({ path: pair.b, baud: 921600, reconnect: false, reader });
    open.unshift(src);
    let got = '';
    await src.start({ data: (c) => (got += Buffer.from(c).toString('latin1')), status: () => undefined });
    const cast = join(dir, 'r.cast');
    await reader.record({ path: cast, title: 't', source: pair.b, baud: 921600, redact: true, redactPatterns: [] });
    const line = 'wifi: connecting to ssid "lab" with password=hunter2-secret\r\n';
    await dev.write(Buffer.from(`boot ok\r\n${line}`));
    await poll('the lines to arrive', () => got.includes('hunter2'));
    await reader.close();
    const text = output(cast);
    expect(text).toContain('boot ok\r\n');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[redacted by hsmon: credential]');
    const header = JSON.parse(readFileSync(cast, 'utf8').split('\n')[0]!) as { hsmon: { redacted: boolean; redactions: Record<string, number> } };
    expect(header.hsmon.redactions['credential']).toBe(1);

    const { pair: pair2, dev: dev2, reader: raw } = await setUp();
    const src2 = await openSerialSource({ path: pair2.b, baud: 921600, reconnect: false, reader: raw });
    open.unshift(src2);
    let got2 = '';
    await src2.start({ data: (c) => (got2 += Buffer.from(c).toString('latin1')), status: () => undefined });
    const rawCast = join(dir, 'raw.cast');
    await raw.record({ path: rawCast, title: 't', source: pair2.b, baud: 921600, redact: false, redactPatterns: [] });
    await dev2.write(Buffer.from(line));
    await poll('the line to arrive', () => got2.includes('hunter2'));
    await raw.close();
    expect(output(rawCast)).toBe(line);
    expect((JSON.parse(readFileSync(rawCast, 'utf8').split('\n')[0]!) as { hsmon: { redacted: boolean } }).hsmon.redacted).toBe(false);
  });

  it('reports the device gone when the other end of the pty closes (serialport reads nothing, so the reader is the witness)', async () => {
    const { pair, dev, reader } = await setUp();
    const src = await openSerialSource({ path: pair.b, baud: 921600, reconnect: false, reader });
    open.unshift(src);
    let got = '';
    const states: string[] = [];
    await src.start({ data: (c) => (got += Buffer.from(c).toString('latin1')), status: (s) => states.push(s.state) });
    await reader.record(null);
    await dev.write(Buffer.from('last words, no line end'));
    await poll('the bytes to arrive', () => got === 'last words, no line end', { last: () => got });
    await dev.close();
    await pair.close();
    await poll('the source to report the port lost', () => states.includes('error'), { last: () => states });
    expect(states).toEqual(['open', 'error']);
  });
});

describe('TtyReader when its thread fails', () => {
  it('says so once (no silent stop), and a pending request answers instead of hanging', async () => {
    const reader = await TtyReader.start(new URL('../fixtures/workers/failing-tty-reader.mjs', import.meta.url));
    const failed: string[] = [];
    reader.onFailed = (why) => failed.push(why);
    const answer = await reader.record({ path: '/nonexistent/never-written.cast', title: 't', source: 's', baud: 115200, redact: true, redactPatterns: [] });
    expect(answer).toBe('the port reader stopped');
    await poll('onFailed', () => failed.length > 0);
    expect(failed).toEqual([expect.stringContaining('boom in the reader')]);
    await reader.close();
    expect(failed).toHaveLength(1);
  });
});
