/**
 * Certificates: the server rejects the device's certificate, the device does not trust the
 * server's, or the device's clock makes a good certificate look expired / not yet valid.
 */
import { evidenceLines, handshakeRule, hex8, shortState, stateAt, type HandshakeContext } from '../rule.ts';
import type { AlertFact } from '../facts.ts';

const X509_CERT_VERIFY_FAILED = -0x2700;
const NOT_TRUSTED = 0x08;
const EXPIRED = 0x01;
const FUTURE = 0x200;
/** A device clock before this has never been set (RTCs start at 1970 or 2000). */
const CLOCK_PLAUSIBLE_FROM = Date.UTC(2020, 0, 1);

/** States after which the client has sent its Certificate (TLS 1.2 and 1.3). */
const SENT_CERTIFICATE = new Set([
  'MBEDTLS_SSL_CLIENT_CERTIFICATE',
  'MBEDTLS_SSL_CLIENT_KEY_EXCHANGE',
  'MBEDTLS_SSL_CERTIFICATE_VERIFY',
  'MBEDTLS_SSL_CLIENT_CERTIFICATE_VERIFY',
  'MBEDTLS_SSL_CLIENT_CHANGE_CIPHER_SPEC',
  'MBEDTLS_SSL_CLIENT_FINISHED',
  'MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC',
  'MBEDTLS_SSL_SERVER_FINISHED',
  'MBEDTLS_SSL_FLUSH_BUFFERS',
  'MBEDTLS_SSL_HANDSHAKE_WRAPUP',
]);

const WHY: Record<number, string> = {
  42: 'it is a bad certificate',
  43: 'its type or key usage is not acceptable',
  44: 'it has been revoked',
  45: 'it has expired (by the server\'s clock)',
  46: 'the server could not verify it',
  47: 'a parameter of the client authentication was wrong (often the CertificateVerify signature does not match the certificate\'s key)',
  48: 'the server does not know the CA that issued it',
  49: 'the server accepted it but denies this client access',
};

const FIX: Record<number, string> = {
  43: 'Use a device certificate with a key type the server accepts (EC P-256 or RSA 2048) and extendedKeyUsage clientAuth (or no EKU).',
  44: 'Issue a new device certificate (the old one is revoked) and register it with the broker.',
  45: 'Re-issue the device certificate with a validity period that covers today.',
  47: 'Make sure the device signs with the key that belongs to its certificate: compare the certificate\'s public key with the one the device exports (an opaque PSA key slot holding another key gives this).',
  49: 'Allow this client in the broker\'s policy (AWS IoT: a policy with iot:Connect for this client id attached to the certificate; Mosquitto: the ACL / allowed identities).',
};

const REGISTER =
  'Register the device certificate with the broker: AWS IoT — register it (or its CA), activate it and attach a policy; Mosquitto — set require_certificate true and put the issuing CA in cafile (for a self-signed device certificate, the certificate itself). Then check the device sends the certificate that matches its key.';

interface Rejected {
  alert: AlertFact;
  sentAt: number | null;
  missing: boolean;
  selfSigned: { subject: string; line: number } | null;
}

export const clientCertRejected = handshakeRule<Rejected>({
  code: 'client-cert-rejected',
  severity: 'error',
  family: 'certificates',
  test({ h, hf, snapshot }) {
    const alert = hf.alerts.find((a) => a.direction === 'received' && a.level === 2 && ((a.description >= 42 && a.description <= 49) || a.description === 116));
    if (!alert) return null;
    const sent = h.visits.find((v) => SENT_CERTIFICATE.has(v.state) && v.line < alert.line);
    if (!sent && !h.states.some((s) => SENT_CERTIFICATE.has(s))) return null;
    const noCert = hf.diagnostics.find((d) => d.what === 'no-client-certificate' && d.line < alert.line);
    const own = snapshot.certificates.find((c) => c.source === 'pem' && c.kind !== 'csr' && c.selfSigned);
    return {
      lines: evidenceLines(alert.line, sent?.line, noCert?.line, h.errors.at(-1)?.line, own?.line),
      data: {
        alert,
        sentAt: sent?.line ?? null,
        missing: alert.description === 116 || noCert !== undefined,
        selfSigned: own ? { subject: own.subject, line: own.line } : null,
      },
    };
  },
  message({ h }, d) {
    const state = stateAt(h, d.alert.line);
    // TLS 1.3: the server checks the client certificate after the client's Finished, so the
    // rejection arrives at the first read, once mbedtls_ssl_handshake() has returned 0.
    const where = state === 'MBEDTLS_SSL_HANDSHAKE_OVER' ? 'after the handshake (at the first read)' : `in ${shortState(state)}`;
    const head = `fatal alert ${d.alert.description} (${d.alert.name}) received ${where}`;
    if (d.missing) return `The server requires a client certificate and the device sent none: ${head}.`;
    const self = d.selfSigned ? ` The device certificate (${d.selfSigned.subject}, line ${d.selfSigned.line + 1}) is self-signed: the broker accepts it only if this exact certificate is registered.` : '';
    return `The server rejected the device's client certificate — ${WHY[d.alert.description] ?? 'it refused it'}: ${head}, after the device sent its Certificate.${self}`;
  },
  hint(_ctx, d) {
    if (d.missing) return 'Give the device its certificate and key (mbedtls_ssl_conf_own_cert(), with the PSA opaque key via mbedtls_pk_setup_opaque()) before the handshake.';
    return FIX[d.alert.description] ?? REGISTER;
  },
});

interface Untrusted {
  flags: number;
  names: string[];
  issuer: string | null;
  subject: string | null;
}

export const serverCertUntrusted = handshakeRule<Untrusted>({
  code: 'server-cert-untrusted',
  severity: 'error',
  family: 'certificates',
  test({ h }) {
    const err = h.errors.find((e) => e.error.code === X509_CERT_VERIFY_FAILED);
    const vf = h.verifyFlags;
    if (!err || !vf || (vf.flags & NOT_TRUSTED) === 0) return null;
    const top = h.peerCertificates.at(-1);
    const leaf = h.peerCertificates[0];
    return {
      lines: evidenceLines(vf.line, err.line),
      data: { flags: vf.flags, names: vf.names, issuer: top?.issuer ?? null, subject: leaf?.subject ?? null },
    };
  },
  message(_ctx, d) {
    const who = d.subject ? `the server's certificate (${d.subject}${d.issuer ? `, issued by ${d.issuer}` : ''})` : "the server's certificate";
    const others = d.names.filter((n) => !/NOT_TRUSTED/.test(n));
    return `The device does not trust ${who}: it is not signed by a CA the device has loaded — verification flags ${hex8(d.flags)} (${d.names.join(', ') || 'NOT_TRUSTED'}), -0x2700 X509_CERT_VERIFY_FAILED.${others.length ? ` Other flags: ${others.join(', ')}.` : ''}`;
  },
  hint(_ctx, d) {
    const ca = d.issuer ? `the CA that issued the server's certificate (${d.issuer})` : "the root CA of the server's certificate chain";
    return `Load ${ca} into the device's trust store (mbedtls_x509_crt_parse() + mbedtls_ssl_conf_ca_chain()) in place of the wrong CA — for AWS IoT that is Amazon Root CA 1. Do not work around it with MBEDTLS_SSL_VERIFY_OPTIONAL.`;
  },
});

interface Clock {
  flags: number;
  which: 'future' | 'expired';
  clock: { iso: string; line: number } | null;
}

function clockData({ h, hf }: HandshakeContext): Clock | null {
  const vf = h.verifyFlags;
  if (!vf || (vf.flags & (EXPIRED | FUTURE)) === 0) return null;
  const clock = hf.clock ? { iso: hf.clock.iso, line: hf.clock.line, epochMs: hf.clock.epochMs } : null;
  return { flags: vf.flags, which: vf.flags & FUTURE ? 'future' : 'expired', clock };
}

const clockText = (c: Clock['clock']): string => (c ? c.iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '');

export const deviceClockUnset = handshakeRule<Clock>({
  code: 'device-clock-unset',
  severity: 'error',
  family: 'certificates',
  test(ctx) {
    const d = clockData(ctx);
    if (!d) return null;
    if (d.clock && Date.parse(d.clock.iso) >= CLOCK_PLAUSIBLE_FROM) return null;
    return { lines: evidenceLines(ctx.h.verifyFlags!.line, d.clock?.line), data: d };
  },
  message(_ctx, d) {
    const what = d.which === 'future' ? 'not yet valid (BADCERT_FUTURE)' : 'expired (BADCERT_EXPIRED)';
    const clock = d.clock
      ? `the device clock reads ${clockText(d.clock)} (line ${d.clock.line + 1}): it was never set`
      : 'the device printed no time, and an unset clock (1970-01-01 after reset) is the usual cause';
    return `The server's certificate looks ${what} to the device — verification flags ${hex8(d.flags)} — because ${clock}.`;
  },
  hint() {
    return 'Set the device clock before connecting: get the time by SNTP (or from the RTC) and wait until it is set before mbedtls_ssl_handshake(); mbedTLS reads it through mbedtls_time() / MBEDTLS_PLATFORM_TIME_ALT.';
  },
});

export const serverCertDateInvalid = handshakeRule<Clock>({
  code: 'server-cert-date-invalid',
  severity: 'error',
  family: 'certificates',
  test(ctx) {
    const d = clockData(ctx);
    if (!d?.clock || Date.parse(d.clock.iso) < CLOCK_PLAUSIBLE_FROM) return null;
    return { lines: evidenceLines(ctx.h.verifyFlags!.line, d.clock.line), data: d };
  },
  message(_ctx, d) {
    const what = d.which === 'future' ? 'is not valid yet' : 'has expired';
    return `The server's certificate ${what} at the device's time ${clockText(d.clock)} — verification flags ${hex8(d.flags)}.`;
  },
  hint(_ctx, d) {
    return d.which === 'future'
      ? 'Check the device clock (SNTP, time zone, RTC drift); if it is right, the server certificate was issued with a start date in the future.'
      : 'Renew the server certificate, or correct the device clock if it runs ahead.';
  },
});
