/**
 * Private files and no silent plaintext, through the real command: a recording made in the
 * default folder is 0600 in a 0700 folder (an older 0755 folder is tightened), its header says
 * what was redacted, `--no-redact` says so in the header and on stderr; TLS options with an
 * mqtt:// URL, and credentials over plaintext, stop hsmon at start with exit 2 and one line.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPtyPair } from '../../src/io/pty.ts';
import { openSerialSource } from '../../src/io/serial.ts';
import { hsmon, startHsmon } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-private-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasSocat = spawnSync('socat', ['-V']).status === 0;
if (!hasSocat) console.log('skipped the recording-mode tests of test/e2e/private-recordings.test.ts: socat is not installed');

const mode = (p: string) => statSync(p).mode & 0o777;

async function until(what: string, ok: () => boolean, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('no silent plaintext', () => {
  it('--ca/--cert/--key with an mqtt:// URL: exit 2, one line, before the port is touched', async () => {
    writeFileSync(join(dir, 'ca.pem'), 'not read');
    const r = await hsmon(['monitor', '/dev/hsmon-no-such-port', '--broker', 'mqtt://127.0.0.1:1883', '--ca', join(dir, 'ca.pem'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--ca needs a TLS broker URL \(mqtts:\/\/\), but mqtt:\/\/ is plaintext/);
    expect(r.stdout).toBe('');
  });

  it('credentials over ws:// without --allow-plaintext-credentials: exit 2, one line, the password not in it', async () => {
    const env = { HSMON_MQTT_USERNAME: 'dev', HSMON_MQTT_PASSWORD: 'pw-never-printed' };
    const r = await hsmon(['monitor', '/dev/hsmon-no-such-port', '--broker', 'ws://127.0.0.1:8080/mqtt', '--json'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cleartext over ws:\/\/: use wss:\/\/, or pass --allow-plaintext-credentials/);
    expect(r.stderr).not.toContain('pw-never-printed');
    // With consent the check passes and hsmon goes on (to the missing port).
    const ok = await hsmon(['monitor', '/dev/hsmon-no-such-port', '--broker', 'ws://127.0.0.1:8080/mqtt', '--allow-plaintext-credentials', '--json'], { env });
    expect(ok.code).toBe(2);
    expect(ok.stderr).toMatch(/hsmon-no-such-port/);
    expect(ok.stderr).not.toMatch(/cleartext/);
  });
});

describe.runIf(hasSocat)('private recordings', () => {
  it('a recording folder that cannot be made: exit 2 and one line, for /proc too (Node\'s recursive mkdir never returned there)', async () => {
    const pair = await createPtyPair({ a: join(dir, 'board-mkdir'), b: join(dir, 'tty-mkdir') });
    try {
      for (const [path, why] of [['/proc/hsmon-no-such-dir/x.cast', 'ENOENT'], ['/etc/passwd/x.cast', 'ENOTDIR']] as const) {
        const r = await hsmon(['monitor', pair.b, '--json', '--record', path], { timeoutMs: 15_000 });
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^hsmon: cannot write the recording ${path}: ${why}.*--no-record\\)$`))]);
      }
    } finally {
      await pair.close();
    }
  });

  it('default folder 0700 (tightened from 0755), recording 0600, header with what was redacted; --no-redact says so', async () => {
    const data = join(dir, 'xdg');
    const recDir = join(data, 'hsmon', 'recordings');
    mkdirSync(recDir, { recursive: true });
    chmodSync(recDir, 0o755); // as an older hsmon left it
    for (const redact of [true, false]) {
      const links = { a: join(dir, `board-${redact}`), b: join(dir, `tty-${redact}`) };
      const pair = await createPtyPair(links);
      const dev = await openSerialSource({ path: links.a, baud: 115200, reconnect: false });
      await dev.start({ data: () => undefined, status: () => undefined });
      const run = startHsmon(['monitor', links.b, '--json', ...(redact ? [] : ['--no-redact'])], { env: { XDG_DATA_HOME: data } });
      try {
        await until('recording to', () => run.stderr().includes('recording to'));
        await dev.write(Buffer.from("wifi_password=hunter2hunter2\r\nssl_tls.c:8777: |3| dumping 'master secret' (16 bytes)\r\nssl_tls.c:8777: |3| 0000:  00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff  ..\"3DUfw........\r\nSuccessfully connected to Wi-Fi network 'lab'.\r\n"));
        // The last line's event: every line before it has been through the session (and the recorder).
        await until('the last line', () => run.stdout().includes('"kind":"wifi.connected"'));
      } finally {
        run.child.kill('SIGINT');
        await run.exited;
        await dev.close();
        await pair.close();
      }
      const files = readdirSync(recDir).filter((f) => f.includes(`tty-${redact}`));
      expect(files).toHaveLength(1);
      const file = join(recDir, files[0]!);
      expect(mode(recDir)).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as { hsmon: { redacted: boolean; redactions?: Record<string, number> } };
      if (redact) {
        expect(header.hsmon.redacted).toBe(true);
        expect(header.hsmon.redactions).toEqual({ 'private-key': 0, 'session-secret': 2, credential: 1 });
        expect(readFileSync(file, 'utf8')).not.toContain('hunter2hunter2');
        expect(run.stderr()).not.toMatch(/--no-redact/);
      } else {
        expect(header.hsmon.redacted).toBe(false);
        expect(run.stderr()).toMatch(/--no-redact: private keys, session secrets and credentials the device prints are shown and recorded as they are/);
      }
    }
  }, 60_000);
});
