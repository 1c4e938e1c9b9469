/**
 * Ciphersuites: the server found nothing in common with the ClientHello (OpenSSL logs `no
 * shared cipher`; the device sees fatal alert 40 while it waits for the ServerHello).
 */
import { evidenceLines, handshakeRule, shortState, stateAt } from '../rule.ts';
import type { AlertFact } from '../facts.ts';

const HANDSHAKE_FAILURE = 40;
const EARLY_STATES = new Set(['MBEDTLS_SSL_CLIENT_HELLO', 'MBEDTLS_SSL_SERVER_HELLO', 'MBEDTLS_SSL_HELLO_RETRY_REQUEST']);

interface Gap {
  /** What the offered list lacks, in words. */
  text: string;
  /** The change that adds it. */
  fix: string;
}

/** What is missing from an offered list (mbedTLS names), the usual reasons a server says no. */
export function missingFromOffer(names: readonly string[]): Gap[] {
  const tls12 = names.filter((n) => !n.startsWith('TLS1-3-'));
  const gaps: Gap[] = [];
  if (names.length === 0) return gaps;
  if (!names.some((n) => /SHA384/.test(n))) {
    gaps.push({
      text: 'no SHA-384 suite (servers that allow only AES-256-GCM-SHA384 refuse it)',
      fix: 'enable MBEDTLS_SHA384_C (PSA_WANT_ALG_SHA_384 with MBEDTLS_USE_PSA_CRYPTO) with AES-256 and GCM so mbedTLS offers TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384 / TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384',
    });
  } else if (!names.some((n) => /AES-256/.test(n))) {
    gaps.push({ text: 'no AES-256 suite', fix: 'enable AES-256 (MBEDTLS_AES_C without MBEDTLS_AES_ONLY_128_BIT_KEY_LENGTH)' });
  }
  if (tls12.length > 0 && tls12.every((n) => /ECDSA/.test(n))) {
    gaps.push({
      text: 'only ECDSA suites, which need an EC server certificate (an RSA server certificate needs ECDHE-RSA suites)',
      fix: 'for an RSA server certificate enable MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED (with MBEDTLS_RSA_C / PSA RSA verify)',
    });
  } else if (tls12.length > 0 && tls12.every((n) => /-RSA-/.test(n) && !/ECDSA/.test(n))) {
    gaps.push({
      text: 'only RSA suites, which need an RSA server certificate (an EC server certificate needs ECDHE-ECDSA suites)',
      fix: 'for an EC server certificate enable MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED (with MBEDTLS_ECDSA_C)',
    });
  }
  return gaps;
}

interface NoShared {
  alert: AlertFact;
  offered: string[];
  gaps: Gap[];
}

export const noSharedCiphersuite = handshakeRule<NoShared>({
  code: 'no-shared-ciphersuite',
  severity: 'error',
  family: 'ciphersuites',
  test({ h, hf }) {
    const alert = hf.alerts.find((a) => a.direction === 'received' && a.description === HANDSHAKE_FAILURE);
    if (!alert) return null;
    const state = stateAt(h, alert.line);
    // After the ServerHello a handshake_failure is about something else (keys, signatures).
    if (state !== null && !EARLY_STATES.has(state)) return null;
    if (h.ciphersuite !== null) return null;
    const offered = h.offeredCiphersuites.map((s) => s.name);
    const hello = h.visits.find((v) => v.state === 'MBEDTLS_SSL_CLIENT_HELLO');
    return {
      lines: evidenceLines(alert.line, hello?.line, h.errors.at(-1)?.line),
      data: { alert, offered, gaps: missingFromOffer(offered) },
    };
  },
  message({ h }, d) {
    const head = `The server ended the handshake in ${shortState(stateAt(h, d.alert.line))} with fatal alert 40 (handshake_failure): it shares no ciphersuite with the device.`;
    if (d.offered.length === 0) return `${head} The offered list was not printed (debug level 3 prints \`client hello, add ciphersuite\`).`;
    const list = d.offered.length <= 6 ? d.offered.join(', ') : `${d.offered.slice(0, 6).join(', ')} and ${d.offered.length - 6} more`;
    const gaps = d.gaps.length ? ` Missing: ${d.gaps.map((g) => g.text).join('; ')}.` : '';
    return `${head} The device offered ${d.offered.length}: ${list}.${gaps}`;
  },
  hint(_ctx, d) {
    const fixes = d.gaps.map((g) => g.fix);
    const server = "or allow one of the offered suites on the server (OpenSSL -cipher, the broker's TLS security policy)";
    if (fixes.length === 0) return `Compare the offered list with the server's ciphersuites and groups: enable a suite the server allows (check mbedtls_ssl_conf_ciphersuites() does not narrow the list), ${server}.`;
    return `Offer a suite the server allows: ${fixes.join('; ')} — check mbedtls_ssl_conf_ciphersuites() does not narrow the list — ${server}.`;
  },
});
