/**
 * Memory: the heap ran out (`alloc(N bytes) failed`, an *_ALLOC_FAILED code, PSA
 * INSUFFICIENT_MEMORY), including the case where it surfaces as an X.509 verification error.
 */
import { evidenceLines, sessionRule, shortState, stateAt } from '../rule.ts';
import type { HandshakeView } from '../../contracts/snapshot.ts';

/** The ALLOC_FAILED codes of each mbedTLS module (3.6 and 2.28 share them). */
const ALLOC_FAILED: ReadonlyMap<number, string> = new Map([
  [-0x7f00, 'MBEDTLS_ERR_SSL_ALLOC_FAILED'],
  [-0x2880, 'MBEDTLS_ERR_X509_ALLOC_FAILED'],
  [-0x3f80, 'MBEDTLS_ERR_PK_ALLOC_FAILED'],
  [-0x0010, 'MBEDTLS_ERR_MPI_ALLOC_FAILED'],
  [-0x006a, 'MBEDTLS_ERR_ASN1_ALLOC_FAILED'],
  [-0x4d80, 'MBEDTLS_ERR_ECP_ALLOC_FAILED'],
  [-0x5180, 'MBEDTLS_ERR_MD_ALLOC_FAILED'],
  [-0x6180, 'MBEDTLS_ERR_CIPHER_ALLOC_FAILED'],
]);
const X509_CERT_VERIFY_FAILED = -0x2700;
const HW_ACCEL_FAILED = -0x7f80;
const PSA_INSUFFICIENT_MEMORY = -141;

interface Oom {
  line: number;
  what: string;
  state: string | null;
  asVerify: boolean;
}

const handshakeAt = (hs: readonly HandshakeView[], line: number): HandshakeView | undefined =>
  hs.find((h) => line >= h.startLine && (h.endLine === null || line <= h.endLine + 5));

export const outOfMemory = sessionRule<Oom>({
  code: 'out-of-memory',
  severity: 'error',
  family: 'memory',
  test({ snapshot, facts }) {
    const found: Oom[] = [];
    for (const d of facts.diagnostics) {
      if (d.what !== 'alloc-failed') continue;
      const h = handshakeAt(snapshot.handshakes, d.line);
      found.push({ line: d.line, what: `\`alloc(${d.numbers[0] ?? '?'} bytes) failed\``, state: h ? stateAt(h, d.line) : null, asVerify: false });
    }
    for (const h of snapshot.handshakes) {
      for (const e of h.errors) {
        const name = ALLOC_FAILED.get(e.error.code);
        if (name) found.push({ line: e.line, what: `${e.fn}() returned ${e.error.hex} ${name}`, state: e.state, asVerify: false });
      }
      // Verification that failed without any flag set, next to an allocation failure: it ran out of memory.
      const verify = h.errors.find((e) => e.error.code === X509_CERT_VERIFY_FAILED);
      if (verify && (h.verifyFlags === null || h.verifyFlags.flags === 0) && found.some((f) => f.line >= h.startLine && f.line <= verify.line)) {
        found.push({ line: verify.line, what: '-0x2700 X509_CERT_VERIFY_FAILED with no verification flag set', state: verify.state, asVerify: true });
      }
    }
    for (const c of snapshot.psaCalls) {
      if (c.status !== PSA_INSUFFICIENT_MEMORY) continue;
      const h = handshakeAt(snapshot.handshakes, c.line);
      // In CLIENT_KEY_EXCHANGE with -0x7F80 this is the ECDH export buffer (psa-ecdh-export-failed).
      if (h?.errors.some((e) => e.error.code === HW_ACCEL_FAILED)) continue;
      found.push({ line: c.line, what: `${c.fn} returned PSA_ERROR_INSUFFICIENT_MEMORY (-141)`, state: h ? stateAt(h, c.line) : null, asVerify: false });
    }
    if (found.length === 0) return null;
    found.sort((a, b) => a.line - b.line);
    const first = found[0]!;
    const h = handshakeAt(snapshot.handshakes, first.line);
    return {
      lines: evidenceLines(first.line, ...found.slice(1, 10).map((f) => f.line)),
      data: { ...first, asVerify: found.some((f) => f.asVerify) },
      ...(h ? { handshake: h.index } : {}),
    };
  },
  message(_ctx, d) {
    const where = d.state ? ` in ${shortState(d.state)}` : '';
    const verify = d.asVerify ? ' The certificate verification error (-0x2700) that follows is this, not an untrusted certificate.' : '';
    return `The device ran out of heap${where}: ${d.what}.${verify}`;
  },
  hint() {
    return 'Give mbedTLS more heap (the heap size in the linker script, FreeRTOS configTOTAL_HEAP_SIZE, or the MBEDTLS_MEMORY_BUFFER_ALLOC_C buffer) or make it need less: lower MBEDTLS_SSL_IN_CONTENT_LEN / MBEDTLS_SSL_OUT_CONTENT_LEN (each TLS context allocates both), negotiate max_fragment_length, and free other TLS contexts before connecting.';
  },
});
