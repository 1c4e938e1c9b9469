/** `hsmon schema` validates every NDJSON line hsmon really prints for the corpus and fixtures. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { hsmon } from '../helpers/cli.ts';

describe('hsmon schema', () => {
  it('prints a JSON Schema that every line of replay --json satisfies', async () => {
    const schema = JSON.parse((await hsmon(['schema'])).stdout);
    expect(schema.title).toContain('hsmon/v1');
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const files = ['recordings/tls13_mtls_ok.log', 'recordings/tls12_server_untrusted.log', 'recordings/m228_tls12_mtls_ok.log',
      'test/fixtures/keys/device-transcript.log', 'test/fixtures/mqtt/device-mqtt.log'];
    const kinds = new Set<string>();
    for (const f of files) {
      const r = await hsmon(['replay', f, '--json', '--speed', 'max']);
      const lines = r.stdout.trim().split('\n');
      for (const l of lines) {
        const o = JSON.parse(l);
        kinds.add(o.kind);
        if (!validate(o)) throw new Error(`${f}: ${l.slice(0, 300)}\n${JSON.stringify(validate.errors?.slice(0, 3))}`);
      }
    }
    // The files above exercise these families; the schema is tested on each, not only on the summary.
    for (const k of ['summary', 'tls.state', 'tls.record', 'tls.alert', 'tls.error', 'tls.peer_certificate', 'tls.handshake.result', 'psa.call', 'cert.pem', 'mqtt.message', 'finding']) {
      expect(kinds, k).toContain(k);
    }
  }, 60_000);

  it('rejects a line that breaks the contract', async () => {
    const schema = JSON.parse((await hsmon(['schema'])).stdout);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate({ kind: 'tls.state', t: 0, line: 3, state: 'MBEDTLS_SSL_CLIENT_HELLO', number: 1 })).toBe(true);
    expect(validate({ kind: 'tls.state', t: 0, line: 3, state: 'MBEDTLS_SSL_CLIENT_HELLO' })).toBe(false);
    // A kind no schema describes is not a valid line (there is no catch-all per family any more).
    expect(validate({ kind: 'psa.unknown', t: 0, line: 3 })).toBe(false);
    expect(validate({ kind: 'tls.state', t: 0, line: 3 })).toBe(false);
    expect(validate({ kind: 'summary', schema: 'hsmon/v0' })).toBe(false);
  });
});
