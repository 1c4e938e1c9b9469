/**
 * Free-form key lines: firmware prints PSA key attributes as `key = value` / `Key: value` pairs,
 * with spaces around the separator, in upper or lower case, on one line or several, in any
 * order. They fill the same key fields as the `hsmon: key …` line (docs/keyline.md).
 */
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';

function keys(lines: string[]) {
  const s = createSession({ diagnosis: null, source: { type: 'file', name: 'keys' } });
  s.feed(Buffer.from(['boot', ...lines, 'done', ''].join('\n')), 0);
  s.end();
  return s.summary().keys;
}

const KEY1 = { id: 1, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDSA(SHA_256)', lifetime: 'persistent' };

describe('free-form key lines fill the key fields of the hsmon key line', () => {
  it('the hsmon key line itself (the reference)', () => {
    expect(keys(['hsmon: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=256 alg=ECDSA(SHA_256) lifetime=persistent'])).toMatchObject([KEY1]);
  });

  it.each<[string, string[]]>([
    ['spaces around `=`, one per line, id first', ['Key ID: 0x1', 'type = ECC_KEY_PAIR(SECP_R1)', 'bits = 256', 'alg = ECDSA(SHA_256)', 'lifetime = PERSISTENT']],
    ['upper-case names and `:`', ['KEY ID : 0x1', 'LIFETIME : PERSISTENT', 'BITS : 256', 'ALG : PSA_ALG_ECDSA(PSA_ALG_SHA_256)',
      'TYPE : PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)']],
    ['all on one line, lifetime first', ['psa key: lifetime = persistent, bits = 256, key id = 1, type = ECC_KEY_PAIR(SECP_R1), alg = ECDSA(SHA_256)']],
    ['under a heading, the id last', ['Device key attributes:', 'lifetime = PERSISTENT', 'BITS = 256', 'alg : ECDSA(SHA_256)',
      'Type = ECC_KEY_PAIR(SECP_R1)', 'Key ID: 0x1']],
  ])('%s', (_name, lines) => {
    expect(keys(lines)).toMatchObject([KEY1]);
  });

  it('a line that only mentions a key and an mbedTLS `type = 2` line after it make no key', () => {
    expect(keys(['Loading the client cert. and key... ok', 'handshake message: msglen = 65, type = 2, hslen = 65'])).toEqual([]);
  });
});
