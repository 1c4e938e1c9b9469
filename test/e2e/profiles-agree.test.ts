/**
 * `hsmon replay FILE --config CFG` and `hsmon summarize FILE --config CFG` read a log with the
 * same user profiles: both come through loadSessionSettings and createSession. (replay once
 * built its session without them and showed "failed in ?" where summarize read the handshake.)
 *
 * The fixture is tls12_server_untrusted.log in the vendor-sdk format of example.json, which no
 * built-in profile reads. Its facts, by hand:
 *   grep -n "client state" test/fixtures/profiles/vendor-sdk.log   → HELLO_REQUEST, CLIENT_HELLO, SERVER_HELLO, SERVER_CERTIFICATE
 *   grep -n "send alert level" test/fixtures/profiles/vendor-sdk.log → level=2 message=48 (unknown_ca), sent
 *   grep -n "handshake returned" test/fixtures/profiles/vendor-sdk.log → -0x2700
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReplay } from '../../src/cli/interactive.ts';
import { loadSessionSettings } from '../../src/cli/session-settings.ts';
import { hsmon, ROOT } from '../helpers/cli.ts';
import { hasTmux, tmuxTerminal, type TmuxTerminal } from '../helpers/tmux.ts';

const LOG = 'test/fixtures/profiles/vendor-sdk.log';
const CFG = 'test/fixtures/profiles/example.json';
const STATES = ['MBEDTLS_SSL_HELLO_REQUEST', 'MBEDTLS_SSL_CLIENT_HELLO', 'MBEDTLS_SSL_SERVER_HELLO', 'MBEDTLS_SSL_SERVER_CERTIFICATE'];

async function summarized(args: string[]): Promise<{ handshakes: Record<string, unknown>[] }> {
  const r = await hsmon(['summarize', LOG, '--json', ...args]);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

if (!hasTmux) console.log('skipping the tmux half of the profiles test: tmux is not installed (apt-get install tmux)');

describe('replay and summarize use the same user profiles', () => {
  let term: TmuxTerminal | undefined;
  afterAll(() => term?.kill());

  it('without the config no built-in profile reads the log; with it summarize reads the handshake', async () => {
    expect((await summarized([])).handshakes).toEqual([]);
    const [h, ...more] = (await summarized(['--config', CFG])).handshakes;
    expect(more).toEqual([]);
    expect(h).toMatchObject({
      outcome: 'failed', tlsVersion: '1.2', states: STATES, failedAt: 'MBEDTLS_SSL_SERVER_CERTIFICATE',
      error: { hex: '-0x2700' }, alert: { direction: 'sent', level: 2, description: 48, name: 'unknown_ca' },
    });
  });

  it('the session the interactive replay builds from the same options gives the same handshake', async () => {
    const settings = await loadSessionSettings({ config: resolve(ROOT, CFG) }, () => {});
    const r = await openReplay({ kind: 'replay', path: resolve(ROOT, LOG), speed: 'max', settings }, { paused: true });
    await r.machine.whenRead();
    r.machine.seek({ to: 'end' });
    r.player.close();
    const fromSummarize = (await summarized(['--config', CFG])).handshakes;
    expect(r.machine.session.summary().handshakes).toEqual(fromSummarize);
  });

  it.skipIf(!hasTmux)('hsmon replay --config in a terminal shows where the handshake failed', async () => {
    const cmd = `cd ${JSON.stringify(ROOT)} && env -u CI node bin/hsmon.js replay ${LOG} --config ${CFG} --speed max; sleep 60`;
    term = tmuxTerminal('profiles', cmd);
    const screen = await term.waitFor('failed in SERVER_CERTIFICATE', 15_000);
    expect(screen).toContain('alert sent: fatal unknown_ca (48)');
    expect(screen).not.toContain('failed in ?');
  });
});
