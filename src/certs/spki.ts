/**
 * Just enough DER to read a SubjectPublicKeyInfo: the algorithm, the curve, the RSA modulus
 * size and the key bits. Used to describe keys @peculiar/x509 cannot import (secp256k1,
 * brainpool) and to compare a certificate's key with what the device printed.
 */

export interface SpkiInfo {
  /** `1.2.840.10045.2.1` (EC), `1.2.840.113549.1.1.1` (RSA), `1.3.101.112` (Ed25519), … */
  algorithmOid: string;
  /** Named curve OID for EC keys. */
  curveOid: string | null;
  /** The BIT STRING contents: the EC point (04||X||Y) or the DER RSAPublicKey. */
  keyBits: Uint8Array;
  /** RSA modulus size in bits. */
  rsaBits: number | null;
}

export interface Tlv {
  tag: number;
  start: number;
  end: number;
  next: number;
}

/** One DER tag-length-value at `pos` (definite lengths only). */
export function readTlv(buf: Uint8Array, pos: number): Tlv {
  if (pos + 2 > buf.length) throw new Error('DER: out of data');
  const tag = buf[pos]!;
  let len = buf[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > buf.length) throw new Error('DER: out of data');
  return { tag, start, end, next: end };
}

export function oidToString(b: Uint8Array): string {
  if (b.length === 0) return '';
  const parts: number[] = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) { parts.push(v); v = 0; }
  }
  return parts.join('.');
}

export function parseSpki(der: Uint8Array): SpkiInfo {
  const outer = readTlv(der, 0);
  if (outer.tag !== 0x30) throw new Error('SPKI: not a SEQUENCE');
  const algSeq = readTlv(der, outer.start);
  if (algSeq.tag !== 0x30) throw new Error('SPKI: no AlgorithmIdentifier');
  const oid = readTlv(der, algSeq.start);
  if (oid.tag !== 0x06) throw new Error('SPKI: no algorithm OID');
  const algorithmOid = oidToString(der.subarray(oid.start, oid.end));
  let curveOid: string | null = null;
  if (oid.next < algSeq.end) {
    const p = readTlv(der, oid.next);
    if (p.tag === 0x06) curveOid = oidToString(der.subarray(p.start, p.end));
  }
  const bits = readTlv(der, algSeq.next);
  if (bits.tag !== 0x03) throw new Error('SPKI: no BIT STRING');
  const keyBits = der.subarray(bits.start + 1, bits.end);
  let rsaBits: number | null = null;
  if (algorithmOid === OID.rsa) {
    const seq = readTlv(keyBits, 0);
    const mod = readTlv(keyBits, seq.start);
    let i = mod.start;
    while (i < mod.end && keyBits[i] === 0) i++;
    rsaBits = i < mod.end ? (mod.end - i - 1) * 8 + (32 - Math.clz32(keyBits[i]!)) : 0;
  }
  return { algorithmOid, curveOid, keyBits, rsaBits };
}

export const OID = {
  ec: '1.2.840.10045.2.1',
  rsa: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
  '1.2.840.10045.3.1.1': 'P-192',
  '1.3.132.0.33': 'P-224',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

/** `EC P-256`, `RSA 2048`, `Ed25519`, or the OID when unknown. */
export function describeSpki(info: SpkiInfo): string {
  switch (info.algorithmOid) {
    case OID.ec: return `EC ${info.curveOid ? CURVES[info.curveOid] ?? info.curveOid : 'unknown curve'}`;
    case OID.rsa: return `RSA ${info.rsaBits ?? '?'}`;
    case OID.rsaPss: return 'RSA-PSS';
    case OID.ed25519: return 'Ed25519';
    case OID.ed448: return 'Ed448';
    default: return info.algorithmOid;
  }
}

const P256_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
  0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
]);

/** Wraps a raw uncompressed P-256 point (65 bytes, 04||X||Y) in a SubjectPublicKeyInfo. */
export function p256SpkiFromPoint(point: Uint8Array): Uint8Array {
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('not an uncompressed P-256 point (65 bytes, 04||X||Y)');
  const out = new Uint8Array(P256_SPKI_PREFIX.length + 65);
  out.set(P256_SPKI_PREFIX);
  out.set(point, P256_SPKI_PREFIX.length);
  return out;
}
