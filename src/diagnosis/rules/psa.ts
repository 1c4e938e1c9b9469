/**
 * PSA crypto (TF-M secure partition, opaque keys): ECDH public key export that does not fit,
 * a key whose policy forbids the use TLS makes of it, an algorithm the service lacks.
 */
import { evidenceLines, handshakeRule, sessionRule, shortState, stateAt, type SessionContext } from '../rule.ts';
import type { HandshakeView } from '../../contracts/snapshot.ts';
import type { KeySummary } from '../../contracts/summary.ts';

const HW_ACCEL_FAILED = -0x7f80;
const PSA_NOT_PERMITTED = -133;
const PSA_NOT_SUPPORTED = -134;
const PSA_INSUFFICIENT_MEMORY = -141;
/** What mbedTLS 3.6 makes of PSA_ERROR_NOT_PERMITTED when signing with an opaque key (psa_pk_status_to_mbedtls). */
const PK_TYPE_MISMATCH = -0x3f00;
const SIGNING_STATES = new Set(['MBEDTLS_SSL_CERTIFICATE_VERIFY', 'MBEDTLS_SSL_CLIENT_CERTIFICATE_VERIFY']);

interface Ecdh {
  step: number;
  error: number;
  memory: { fn: string; line: number } | null;
}

export const psaEcdhExportFailed = handshakeRule<Ecdh>({
  code: 'psa-ecdh-export-failed',
  severity: 'error',
  family: 'psa',
  test({ h, hf }) {
    const err = h.errors.find((e) => e.error.code === HW_ACCEL_FAILED && (e.state === 'MBEDTLS_SSL_CLIENT_KEY_EXCHANGE' || h.failedAt === 'MBEDTLS_SSL_CLIENT_KEY_EXCHANGE'));
    if (!err) return null;
    const step = hf.psaSteps.findLast((s) => /ECDH/i.test(s.name) && s.line <= err.line);
    if (!step) return null;
    const mem = hf.psaCalls.find((c) => c.status === PSA_INSUFFICIENT_MEMORY);
    return {
      lines: evidenceLines(err.line, step.line, mem?.line),
      data: { step: step.line, error: err.line, memory: mem ? { fn: mem.fn, line: mem.line } : null },
    };
  },
  message(_ctx, d) {
    const cause = d.memory
      ? `${d.memory.fn} returned PSA_ERROR_INSUFFICIENT_MEMORY (-141, line ${d.memory.line + 1})`
      : 'the secure partition (TF-M) most likely answered PSA_ERROR_INSUFFICIENT_MEMORY (-141) to psa_export_public_key';
    return `PSA-based ECDH failed in CLIENT_KEY_EXCHANGE: right after \`Perform PSA-based ECDH computation.\` (line ${d.step + 1}) the handshake returned -0x7F80 HW_ACCEL_FAILED with no debug line of its own; ${cause}, because mbedTLS asks it to export the public key into a buffer of about MBEDTLS_SSL_OUT_CONTENT_LEN bytes.`;
  },
  hint() {
    return 'Lower MBEDTLS_SSL_OUT_CONTENT_LEN and MBEDTLS_SSL_IN_CONTENT_LEN to 2048 (so the export buffer fits what TF-M accepts) and advertise max_fragment_length (MBEDTLS_SSL_MAX_FRAGMENT_LENGTH + mbedtls_ssl_conf_max_frag_len(&conf, MBEDTLS_SSL_MAX_FRAG_LEN_2048)) so the server sends records that fit.';
  },
});

interface Hit {
  fn: string;
  code: number;
  line: number;
  handshake: HandshakeView | null;
  state: string | null;
}

function handshakeOf(snapshot: SessionContext['snapshot'], line: number): HandshakeView | null {
  return snapshot.handshakes.find((h) => line >= h.startLine && (h.endLine === null || line <= h.endLine)) ?? null;
}

/** Every PSA call with `status` and every handshake error with that code (or one `extra` accepts), oldest first. */
function hits(ctx: SessionContext, status: number, extra: (h: HandshakeView, e: HandshakeView['errors'][number]) => boolean = () => false): Hit[] {
  const out: Hit[] = [];
  for (const c of ctx.snapshot.psaCalls) {
    if (c.status !== status) continue;
    const h = handshakeOf(ctx.snapshot, c.line);
    out.push({ fn: c.fn, code: c.status, line: c.line, handshake: h, state: h ? stateAt(h, c.line) : null });
  }
  for (const h of ctx.snapshot.handshakes) {
    for (const e of h.errors) {
      if (e.error.code !== status && !extra(h, e)) continue;
      if (out.some((x) => Math.abs(x.line - e.line) <= 1)) continue;
      out.push({ fn: e.fn, code: e.error.code, line: e.line, handshake: h, state: e.state });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

const keyText = (k: KeySummary): string => `key ${k.id}${k.type ? ` ${k.type}` : ''}${k.alg ? ` with policy algorithm ${k.alg}` : ''}`;

interface Policy {
  hits: Hit[];
  keys: KeySummary[];
  viaPk: boolean;
}

export const psaKeyPolicyMismatch = sessionRule<Policy>({
  code: 'psa-key-policy-mismatch',
  severity: 'error',
  family: 'psa',
  test(ctx) {
    // An opaque key's NOT_PERMITTED comes back from mbedtls_pk_sign as PK_TYPE_MISMATCH.
    const found = hits(ctx, PSA_NOT_PERMITTED, (_h, e) => e.error.code === PK_TYPE_MISMATCH && e.state !== null && SIGNING_STATES.has(e.state));
    if (found.length === 0) return null;
    const last = found[found.length - 1]!;
    const keys = ctx.snapshot.keys.filter((k) => k.alg !== null && !/^(DETERMINISTIC_)?ECDSA\(/.test(k.alg.replace(/^PSA_ALG_/, '')));
    const viaPk = last.code === PK_TYPE_MISMATCH;
    return {
      lines: evidenceLines(last.line, ...found.slice(-10).map((f) => f.line)),
      data: { hits: found, keys, viaPk },
      ...(last.handshake ? { handshake: last.handshake.index } : {}),
    };
  },
  message(_ctx, d) {
    const last = d.hits[d.hits.length - 1]!;
    const where = last.state ? ` in ${shortState(last.state)}` : '';
    const what = d.viaPk
      ? `${last.fn}() returned -0x3F00 PK_TYPE_MISMATCH${where}, which is how mbedTLS reports PSA_ERROR_NOT_PERMITTED (-133) from an opaque key`
      : `${last.fn} was refused with PSA_ERROR_NOT_PERMITTED (-133)${where}`;
    const keys = d.keys.length ? ` (${d.keys.map(keyText).join('; ')})` : '';
    return `${what}: the key's policy does not allow what TLS asks of it — signing the handshake needs PSA_ALG_ECDSA(PSA_ALG_SHA_256) and PSA_KEY_USAGE_SIGN_HASH${keys}.`;
  },
  hint() {
    return 'Create the key with usage PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH and algorithm PSA_ALG_ECDSA(PSA_ALG_SHA_256) — not PSA_ALG_SHA_256, and not only PSA_ALG_DETERMINISTIC_ECDSA for TLS 1.2. A persistent key\'s policy cannot change: psa_destroy_key() it, generate it again, and re-issue its certificate.';
  },
});

interface Unsupported {
  hits: Hit[];
  rsa: boolean;
}

export const psaAlgorithmUnsupported = sessionRule<Unsupported>({
  code: 'psa-algorithm-unsupported',
  severity: 'error',
  family: 'psa',
  test(ctx) {
    const found = hits(ctx, PSA_NOT_SUPPORTED);
    if (found.length === 0) return null;
    const last = found[found.length - 1]!;
    const rsa = ctx.snapshot.keys.some((k) => /RSA/i.test(k.type ?? '')) || found.some((f) => /rsa/i.test(f.fn));
    return {
      lines: evidenceLines(last.line, ...found.slice(-10).map((f) => f.line)),
      data: { hits: found, rsa },
      ...(last.handshake ? { handshake: last.handshake.index } : {}),
    };
  },
  message(_ctx, d) {
    const last = d.hits[d.hits.length - 1]!;
    const where = last.state ? ` in ${shortState(last.state)}` : '';
    return `${last.fn} returned PSA_ERROR_NOT_SUPPORTED (-134)${where}: the PSA crypto service (TF-M on this platform) does not implement this key type or algorithm${d.rsa ? ' — RSA key generation is not supported there' : ' (RSA key generation, for one, is not)'}.`;
  },
  hint() {
    return 'Use an EC key on secp256r1: PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1), 256 bits, PSA_ALG_ECDSA(PSA_ALG_SHA_256) — TF-M does ECDSA and ECDH on P-256 — or enable the algorithm in the TF-M crypto partition build (its PSA_WANT_* configuration).';
  },
});
