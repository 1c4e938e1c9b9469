/**
 * Lines from the application or the platform layer around a handshake (cy_tls, ssl_client2):
 * `mbedtls_ssl_handshake failed 0x7f80`, `Negotiated TLS version : 303`, `build version: …`,
 * and the `fn() returned -N (-0xN)` lines of mbedTLS itself.
 */
import { boundedInt, U16 } from '../device-number.ts';
import type { DeviceEvent, Line, Prefixed } from '../events.ts';
import { decodeError, RETRY_CODES } from '../tables/errors.ts';
import { ciphersuiteId } from '../tables/ciphersuites.ts';
import type { MbedtlsState } from './mbedtls-state.ts';
import { setVersion, tlsVersion } from './versions.ts';

const RE_RETURNED = /^(.*?)\(\) returned (-?\d+) \(-?0x[0-9a-fA-F]+\)$/;
const RE_BUILD = /build version: Mbed TLS (\d+)\.(\d+)(?:\.(\d+))?/;
const RE_PLATFORM_FAILED = /mbedtls_ssl_handshake failed (?:0x)?([0-9a-fA-F]+)/;
const RE_PLATFORM_RETURNED = /mbedtls_ssl_handshake returned (-?)(0x[0-9a-fA-F]+|\d+)/;
const RE_NEGOTIATED = /Negotiated TLS version : ([0-9a-fA-F]+)/;
const RE_PROTOCOL_IS = /\[ Protocol is TLSv1\.([23]) \]/;
const RE_CIPHERSUITE_IS = /\[ Ciphersuite is (\S+) \]/;
const RE_MAX_IN_FRAG = /\[ Maximum input fragment length is (\d+) \]/;

/** A line ending in `() returned …`: a tls.error for a real failure of an mbedTLS function. */
export function returnedLine(s: MbedtlsState, out: DeviceEvent[], body: string, seg: Prefixed): void {
  const m = RE_RETURNED.exec(body);
  if (!m) {
    if (seg.srcLine === undefined) platformLine(s, out, body, null, seg);
    return;
  }
  const code = Number(m[2]);
  // f_send/f_recv print byte counts this way; WANT_READ & co. are retried, not failures.
  if (!Number.isFinite(code) || code >= 0 || RETRY_CODES.has(code)) return;
  const fn = m[1]!.trim();
  if (seg.srcLine === undefined && fn.endsWith('mbedtls_ssl_handshake')) {
    platformLine(s, out, body, null, seg);
    return;
  }
  out.push({ kind: 'tls.error', t: s.curT, line: s.curSeq, ctx: s.curCtx, fn, error: decodeError(code, s.version ?? '3.6') });
}

/** Lines from the application or the platform layer (no mbedTLS debug prefix). */
export function platformLine(s: MbedtlsState, out: DeviceEvent[], body: string, line: Line | null, seg: Prefixed): void {
  const ctx = s.curCtx;
  const v = s.version ?? '3.6';
  if (body.includes('mbedtls_ssl_handshake')) {
    let m = RE_PLATFORM_FAILED.exec(body);
    if (m) {
      const code = platformCode(parseInt(m[1]!, 16));
      if (code !== 0 && !RETRY_CODES.has(code)) out.push({ kind: 'tls.platform.failed', t: s.curT, line: s.curSeq, ctx: s.curCtx, fn: 'mbedtls_ssl_handshake', error: decodeError(code, v) });
      return;
    }
    m = RE_PLATFORM_RETURNED.exec(body);
    if (m) {
      const raw = m[2]!.startsWith('0x') ? parseInt(m[2]!.slice(2), 16) : Number(m[2]);
      const code = m[1] === '-' ? -raw : platformCode(raw);
      if (code < 0 && !RETRY_CODES.has(code)) out.push({ kind: 'tls.platform.failed', t: s.curT, line: s.curSeq, ctx: s.curCtx, fn: 'mbedtls_ssl_handshake', error: decodeError(code, v) });
    }
    return;
  }
  if (body.includes('TLS handshake successful')) {
    out.push({ kind: 'tls.platform.ok', t: s.curT, line: s.curSeq, ctx: s.curCtx });
    return;
  }
  if (line === null) return;
  const c0 = body.charCodeAt(0);
  if (c0 === 78 /* 'N' */ || body.includes('Negotiated TLS version')) {
    const m = RE_NEGOTIATED.exec(body);
    if (m) {
      const n = parseInt(m[1]!, 16);
      if (n === 0x303) tlsVersion(s, out, '1.2', line, ctx);
      else if (n === 0x304) tlsVersion(s, out, '1.3', line, ctx);
    }
    return;
  }
  if (c0 === 98 /* 'b' */ || body.includes('build version: Mbed TLS')) {
    const m = RE_BUILD.exec(body);
    if (m) {
      const major = Number(m[1]);
      const evidence = `build version: Mbed TLS ${m[1]}.${m[2]}${m[3] !== undefined ? '.' + m[3] : ''}`;
      if (major === 2) setVersion(s, out, '2.28', evidence, line, seg.ctx);
      else if (major === 3) setVersion(s, out, '3.6', evidence, line, seg.ctx);
    }
    return;
  }
  if (c0 === 32 /* ' ' */) {
    // ssl_client2 prints these after the handshake.
    let m = RE_PROTOCOL_IS.exec(body);
    if (m) {
      tlsVersion(s, out, m[1] === '3' ? '1.3' : '1.2', line, ctx);
      return;
    }
    m = RE_CIPHERSUITE_IS.exec(body);
    if (m) {
      // At debug level 2 this program line is the only place the suite is named.
      if (!s.chosenSent) {
        s.chosenSent = true;
        out.push({ kind: 'tls.ciphersuite.chosen', t: s.curT, line: s.curSeq, ctx: s.curCtx, id: ciphersuiteId(m[1]!), name: m[1]! });
      }
      if (m[1]!.startsWith('TLS1-3-')) tlsVersion(s, out, '1.3', line, ctx);
      return;
    }
    m = RE_MAX_IN_FRAG.exec(body);
    // Without a negotiated MFL this is just MBEDTLS_SSL_IN_CONTENT_LEN: say nothing then.
    if (m && s.mflNegotiated) {
      s.mflNegotiated = false;
      out.push({ kind: 'tls.mfl', t: s.curT, line: s.curSeq, ctx: s.curCtx, stage: 'negotiated', bytes: boundedInt(m[1], U16) });
    }
  }
}

/** A 32-bit value printed with `%x` as a positive number: cy_tls prints `-ret`, sometimes `ret`. */
export function platformCode(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return v > 0x7fffffff ? v - 0x100000000 : -v;
}
