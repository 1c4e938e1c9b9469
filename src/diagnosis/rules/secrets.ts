/**
 * Secrets on the UART: session secrets dumped at debug level 3 and up (the log decrypts the
 * session), private keys printed as PEM (the key is leaked), and credentials the firmware
 * prints (a Wi-Fi passphrase, an MQTT or HTTP password, a token: the redactor's `credential`).
 */
import { evidenceLines, sessionRule } from '../rule.ts';
import type { SecretFact } from '../facts.ts';

interface Leaks {
  blocks: SecretFact[];
}

function leaks(blocks: readonly SecretFact[], kind: SecretFact['secret']): { lines: number[]; data: Leaks } | null {
  const mine = blocks.filter((b) => b.secret === kind);
  if (mine.length === 0) return null;
  return { lines: evidenceLines(mine[0]!.line, ...mine.slice(1, 20).map((b) => b.line)), data: { blocks: mine } };
}

const names = (d: Leaks): string[] => [...new Set(d.blocks.flatMap((b) => b.names))];

export const sessionSecretsInLog = sessionRule<Leaks>({
  code: 'session-secrets-in-log',
  severity: 'warning',
  family: 'secrets',
  test: ({ facts }) => leaks(facts.secrets, 'session-secret'),
  message(_ctx, d) {
    const n = names(d);
    const what = n.length ? n.map((x) => `'${x}'`).join(', ') : 'secret key material';
    return `The log contains TLS session secrets (${what}; ${d.blocks.length} dump${d.blocks.length === 1 ? '' : 's'}): anyone with this log and a capture of the traffic can decrypt the session.`;
  },
  hint(_ctx, d) {
    const n = names(d);
    const onPage = (x: string): boolean => x === 'Master-Key' || x === 'Resumption PSK';
    const page = n.some(onPage) ? "Do not echo the test server's status page to the UART (OpenSSL s_server -www prints the Master-Key, or in TLS 1.3 the Resumption PSK). " : '';
    const debug = n.some((x) => !onPage(x)) || n.length === 0
      ? 'Keep the mbedTLS debug threshold below 3 (mbedtls_debug_set_threshold(2)) in builds whose logs leave the bench: level 3 and up dump the premaster and master secret. '
      : '';
    return `${debug}${page}hsmon hides the bytes on screen and in its recordings (unless run with --no-redact); the original log still holds them.`;
  },
});

export const privateKeyExposed = sessionRule<Leaks>({
  code: 'private-key-exposed',
  severity: 'error',
  family: 'secrets',
  test: ({ facts }) => leaks(facts.secrets, 'private-key'),
  message(_ctx, d) {
    const n = names(d);
    return `The device printed a private key on the UART (${n.length ? n.join(', ') : 'PRIVATE KEY'} block${d.blocks.length === 1 ? '' : `s, ${d.blocks.length} times`}): anyone with this log has the key.`;
  },
  hint() {
    return 'Remove the code that prints the key; treat the key as compromised: generate a new one (best a persistent PSA key that never leaves the device: psa_generate_key() + mbedtls_pk_setup_opaque()), then re-issue and re-register its certificate.';
  },
});

export const credentialInLog = sessionRule<Leaks>({
  code: 'credential-in-log',
  severity: 'error',
  family: 'secrets',
  test: ({ facts }) => leaks(facts.secrets, 'credential'),
  message(_ctx, d) {
    const n = d.blocks.length;
    return `The device printed a credential on the UART (a password, passphrase, key or token; ${n === 1 ? 'once' : `${n} times`}): anyone with this log can use it.`;
  },
  hint() {
    return 'Remove the log line that prints it (print the SSID, user or host without the secret, or mask it); change the password or revoke the token, since logs already taken hold it. hsmon hides it on screen, in NDJSON and in its recordings (unless run with --no-redact); the original log still holds it.';
  },
});
