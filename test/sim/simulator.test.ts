import { describe, expect, it, vi } from 'vitest';
import { createSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { scenarioNames } from '../../src/sim/scenarios.ts';

async function run(sim: Simulator, after?: (sim: Simulator) => Promise<void>): Promise<{ text: string; lines: string[]; chunks: number[] }> {
  const dec = new TextDecoder();
  let text = '';
  const chunks: number[] = [];
  await sim.start({ data: (c) => { text += dec.decode(c, { stream: true }); chunks.push(c.length); }, status: () => undefined });
  await sim.whenIdle();
  if (after) {
    await after(sim);
    await sim.whenIdle();
  }
  await sim.close();
  return { text, lines: text.split('\r\n'), chunks };
}

const fixedCert = async (): Promise<string> => '-----BEGIN CERTIFICATE-----\nTkVXQ0VSVA==\n-----END CERTIFICATE-----\n';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const count = (lines: string[], s: string): number => lines.filter((l) => l === s).length;

/** `line` followed by `next`, as consecutive lines. */
function follows(lines: string[], line: string, next: string): boolean {
  return lines.some((l, i) => l === line && lines[i + 1] === next);
}

describe('simulator scenarios', () => {
  it('has the four required scenarios', () => {
    expect(scenarioNames()).toEqual(expect.arrayContaining(['handshake-ok', 'psa-ecdh-export-failure', 'client-cert-rejected', 'no-shared-cipher']));
  });

  it('every scenario boots like the PSOC Edge MQTT client, with Wi-Fi, a PSA key and the device certificate', async () => {
    for (const scenario of scenarioNames()) {
      const { text, lines } = await run(createSimulator({ scenario, speed: 'max' }));
      expect(text.startsWith('\x1b[2J\x1b[;H' + '='.repeat(63) + '\r\n')).toBe(true);
      expect(lines).toContain('PSOC Edge MCU: Wi-Fi MQTT Client');
      expect(lines).toContain("Successfully connected to Wi-Fi network 'bench-lab'.");
      expect(lines).toContain('psa_generate_key() = 0');
      // The certificate is test/fixtures/pki/device.crt (CN=psoc-edge-device); its last base64 line:
      expect(follows(lines, 'VeG87ZMPX/xNkEbiUVA=', '-----END CERTIFICATE-----')).toBe(true);
      expect(lines).toContain("'psoc-edge-mqtt-client' connecting to MQTT broker 'broker.bench.local'...");
      // A device sends CRLF only: no bare LF.
      expect(/[^\r]\n/.test(text)).toBe(false);
    }
  });

  it('handshake-ok: Infineon callback form, full handshake, then MQTT traffic', async () => {
    const { lines } = await run(createSimulator({ scenario: 'handshake-ok', speed: 'max' }));
    expect(follows(lines, 'ssl_tls.c:4670: => handshake', ' ')).toBe(true);
    expect(follows(lines, 'ssl_tls.c:4589: client state: MBEDTLS_SSL_CLIENT_FINISHED', ' ')).toBe(true);
    expect(lines).toContain('ssl_misc.h:1353: handshake state: 15 (MBEDTLS_SSL_HANDSHAKE_WRAPUP) -> 27 (MBEDTLS_SSL_HANDSHAKE_OVER)');
    expect(follows(lines, 'ssl_tls.c:4681: <= handshake', ' ')).toBe(true);
    expect(lines.some((l) => /\|\d\| /.test(l))).toBe(false); // no ssl_client2 level markers
    // psa_tls12_opaque_ok.log has 17 `client state:` lines between => handshake and <= handshake.
    expect(lines.filter((l) => l.startsWith('ssl_tls.c:4589: client state: '))).toHaveLength(17);
    expect(lines).toContain('MQTT connection successful.');
    expect(lines).toContain("MQTT client subscribed to the topic 'ledstatus' successfully.");
    expect(lines).toContain('    Publish payload: TURN ON');
    expect(lines.some((l) => l.includes('handshake failed'))).toBe(false);
  });

  it('psa-ecdh-export-failure: stops at CLIENT_KEY_EXCHANGE after the PSA ECDH line with 0x7f80', async () => {
    const { lines } = await run(createSimulator({ scenario: 'psa-ecdh-export-failure', speed: 'max' }));
    const i = lines.indexOf('ssl_tls12_client.c:2803: Perform PSA-based ECDH computation.');
    expect(i).toBeGreaterThan(0);
    expect(lines.slice(i + 1, i + 6)).toEqual([' ', 'psa_export_public_key returned -141', 'ssl_tls.c:4681: <= handshake', ' ', 'mbedtls_ssl_handshake failed 0x7f80']);
    const states = lines.filter((l) => l.startsWith('ssl_tls.c:4589: client state: '));
    expect(states[states.length - 1]).toBe('ssl_tls.c:4589: client state: MBEDTLS_SSL_CLIENT_KEY_EXCHANGE');
    expect(lines).toContain('MQTT connection failed with error code 0x8060009. ');
    expect(lines).not.toContain('MQTT connection successful.');
  });

  it('client-cert-rejected: fatal alert 48 after the client Finished', async () => {
    const { lines } = await run(createSimulator({ scenario: 'client-cert-rejected', speed: 'max' }));
    const fin = lines.indexOf('ssl_tls.c:8476: <= write finished');
    const alert = lines.indexOf('ssl_msg.c:5274: got an alert message, type: [2:48]');
    expect(fin).toBeGreaterThan(0);
    expect(alert).toBeGreaterThan(fin);
    expect(lines).toContain('ssl_msg.c:5281: is a fatal alert message (msg 48)');
    expect(lines).toContain('ssl_msg.c:4387: mbedtls_ssl_handle_message_type() returned -30592 (-0x7780)');
    expect(lines).toContain('mbedtls_ssl_handshake failed 0x7780');
    expect(lines).not.toContain('ssl_tls.c:4589: client state: MBEDTLS_SSL_SERVER_FINISHED');
  });

  it('no-shared-cipher: the ssl_client2 form of tls12_no_shared_cipher.log, alert 40 at SERVER_HELLO', async () => {
    const { lines } = await run(createSimulator({ scenario: 'no-shared-cipher', speed: 'max' }));
    expect(lines).toContain('  . Performing the SSL/TLS handshake...ssl_tls.c:4670: |2| => handshake');
    expect(lines).toContain('ssl_msg.c:5274: |2| got an alert message, type: [2:40]');
    expect(lines).toContain('  ! mbedtls_ssl_handshake returned -0x7780');
    expect(lines).toContain('Last error was: -0x7780 - SSL - A fatal alert message was received from our peer');
    const states = lines.filter((l) => l.includes('client state: '));
    expect(states[states.length - 1]).toBe('ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_HELLO');
  });

  it('rejects an unknown scenario naming the known ones', () => {
    expect(() => createSimulator({ scenario: 'nope' })).toThrow(/unknown scenario "nope" \(known: handshake-ok, /);
  });
});

describe('simulator commands', () => {
  it('regen prints new PSA key lines and a new certificate', async () => {
    const { lines } = await run(createSimulator({ speed: 'max', newCertificate: fixedCert }), (s) => s.write(enc('regen\r\n')));
    expect(count(lines, 'psa_generate_key() = 0')).toBe(2);
    expect(lines).toContain('psa_destroy_key() = 0');
    expect(follows(lines, 'TkVXQ0VSVA==', '-----END CERTIFICATE-----')).toBe(true);
  });

  it('regen makes a real new self-signed certificate by default', async () => {
    const { lines } = await run(createSimulator({ speed: 'max' }), (s) => s.write(enc('regen\n')));
    expect(count(lines, '-----BEGIN CERTIFICATE-----')).toBe(2);
    const second = lines.lastIndexOf('-----BEGIN CERTIFICATE-----');
    expect(lines[second + 1]).not.toBe(lines[lines.indexOf('-----BEGIN CERTIFICATE-----') + 1]);
  });

  it('retry runs the handshake again (bytes may arrive split)', async () => {
    const { lines } = await run(createSimulator({ scenario: 'client-cert-rejected', speed: 'max' }), async (s) => {
      await s.write(enc('ret'));
      await s.write(enc('ry\r\n'));
    });
    expect(count(lines, 'ssl_tls.c:4670: => handshake')).toBe(2);
    expect(count(lines, 'mbedtls_ssl_handshake failed 0x7780')).toBe(2);
    expect(lines).toContain('Retrying in 2000 ms. Retries left: 148');
  });

  it('a DTR/RTS reset pulse reboots it (banner again)', async () => {
    const { lines } = await run(createSimulator({ speed: 'max' }), async (s) => {
      await s.setSignals!({ dtr: false });
      await s.setSignals!({ rts: true });
      await s.setSignals!({ rts: false });
    });
    expect(count(lines, 'PSOC Edge MCU: Wi-Fi MQTT Client')).toBe(2);
  });

  it('answers an unknown command with a hint', async () => {
    const { lines } = await run(createSimulator({ speed: 'max' }), (s) => s.write(enc('help\r')));
    expect(lines).toContain("Unknown command 'help' (commands: regen, retry)");
  });
});

describe('simulator pacing', () => {
  it('prints at the baud rate (10 bits per byte) plus its pauses (fake clock)', async () => {
    // The simulator's clock and timers are faked: the time it takes is the time it means to
    // take, however loaded the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
    let elapsed: number;
    let out: Awaited<ReturnType<typeof run>>;
    try {
      const sim = createSimulator({ scenario: 'no-shared-cipher', baud: 921600 });
      const t0 = performance.now();
      const done = run(sim);
      let finished = false;
      void done.then(() => (finished = true));
      while (!finished) await vi.advanceTimersToNextTimerAsync();
      out = await done;
      elapsed = performance.now() - t0;
    } finally {
      vi.useRealTimers();
    }
    const { text, chunks } = out;
    const bytes = Buffer.byteLength(text);
    // Pauses: 150 (boot) + 150 (Wi-Fi) + 300 (before the handshake) ms.
    const expected = (bytes / 92160) * 1000 + 600;
    // A pause lets the line budget fill up to 50 ms of bytes, sent at once after it (the burst
    // bound below): at most 3 × 50 ms earlier than byte-by-byte.
    expect(elapsed).toBeGreaterThanOrEqual(expected - 150);
    // The pump wakes every 10 ms at most: a few wake-ups of slack, not a loaded machine's.
    expect(elapsed).toBeLessThan(expected * 1.05 + 30);
    // No burst bigger than ~50 ms of line time.
    expect(Math.max(...chunks)).toBeLessThanOrEqual(Math.ceil(92160 * 0.05) + 1);
  });
});
