/**
 * The max_fragment_length a client offers: `client hello, adding max_fragment_length extension`
 * names no size, so the size is read from the `client hello extensions` dump that follows (3.6,
 * level 3); 2.28 dumps no extensions and the offer is reported without one.
 */
import type { DeviceEvent } from '../events.ts';
import { mflBytes } from '../tables/mfl.ts';
import { isHexDigit } from './hex-row.ts';
import type { MbedtlsState } from './mbedtls-state.ts';

/** Ends the pending offer, if any, with its tls.mfl `offered` event. */
export function flushMflOffer(s: MbedtlsState, out: DeviceEvent[]): void {
  const o = s.mflOffer;
  if (o === null) return;
  s.mflOffer = null;
  s.collectingExtensions = false;
  out.push({ kind: 'tls.mfl', t: o.t, line: o.line, ctx: o.ctx, stage: 'offered', bytes: o.bytes ? mflFromExtensions(o.bytes) : null });
}

/** Adds the bytes of one row of the extensions dump to the pending offer. */
export function collectExtensionsRow(s: MbedtlsState, body: string): void {
  const bytes = s.mflOffer?.bytes;
  if (!bytes) return;
  // `0000:  xx xx …` — up to 16 bytes at columns 7, 10, 13, …
  for (let i = 7; i + 1 < body.length && bytes.length < 8192; i += 3) {
    const hi = body.charCodeAt(i);
    const lo = body.charCodeAt(i + 1);
    if (!isHexDigit(hi) || !isHexDigit(lo)) break;
    bytes.push(parseInt(body.slice(i, i + 2), 16));
  }
  s.collectingExtensions = true;
}

/**
 * The max_fragment_length code in a ClientHello extensions block as mbedTLS 3.6 dumps it
 * (`client hello extensions`: 2-byte total length, then type/length/data triples); MFL is
 * extension type 1 with a one-byte code.
 */
export function mflFromExtensions(bytes: readonly number[]): number | null {
  let i = 2;
  while (i + 4 <= bytes.length) {
    const type = (bytes[i]! << 8) | bytes[i + 1]!;
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (type === 1 && len === 1 && i + 4 < bytes.length) return mflBytes(bytes[i + 4]!);
    i += 4 + len;
  }
  return null;
}
