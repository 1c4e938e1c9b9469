/**
 * Does this certificate belong to the device's key? mbedtls_pk_check_pair cannot answer that for
 * an opaque or secure-element key, but the public halves can be compared: the certificate's
 * key against the key the device exported (PUBLIC KEY PEM, or the raw EC point it printed) and
 * against the key in its CSR.
 */
import { x509 } from './x509.ts';
import { pemBlocks, toDer, toHex } from './der-input.ts';
import { OID, describeSpki, parseSpki, readTlv } from './spki.ts';

export type KeyMatch = 'match' | 'mismatch';

/** A public key reduced to what identifies it. */
export interface PublicKeyId {
  /** `EC P-256`, `RSA 2048`, `EC point` (a raw point: curve not stated). */
  algorithm: string;
  family: 'ec' | 'rsa' | 'other';
  /** EC: the point as printed (04||X||Y or 02/03||X); RSA and others: the BIT STRING contents. */
  bytes: Uint8Array;
}

/** SubjectPublicKeyInfo DER of a certificate, CSR or PUBLIC KEY (PEM or DER). */
export function spkiOf(input: string | Uint8Array): Uint8Array {
  if (typeof input === 'string' && input.includes('-----BEGIN')) {
    const b = pemBlocks(input)[0];
    if (!b) throw new Error('no complete PEM block');
    if (b.label === 'CERTIFICATE') return new Uint8Array(new x509.X509Certificate(b.der).publicKey.rawData);
    if (b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST') {
      return new Uint8Array(new x509.Pkcs10CertificateRequest(b.der).publicKey.rawData);
    }
    if (b.label === 'PUBLIC KEY') return b.der;
    throw new Error(`a ${b.label} block holds no public key hsmon can read`);
  }
  const der = toDer(input);
  if (looksLikeSpki(der)) return der;
  try {
    return new Uint8Array(new x509.X509Certificate(der).publicKey.rawData);
  } catch {
    return new Uint8Array(new x509.Pkcs10CertificateRequest(der).publicKey.rawData);
  }
}

function looksLikeSpki(der: Uint8Array): boolean {
  try {
    const outer = readTlv(der, 0);
    const first = readTlv(der, outer.start);
    if (first.tag !== 0x30) return false;
    const inner = readTlv(der, first.start);
    return inner.tag === 0x06 && readTlv(der, first.next).tag === 0x03;
  } catch {
    return false;
  }
}

const POINT_LENGTHS = new Set([65, 97, 133]);
const COMPRESSED_LENGTHS = new Set([33, 49, 67]);

function isRawPoint(b: Uint8Array): boolean {
  return (b[0] === 0x04 && POINT_LENGTHS.has(b.length)) || ((b[0] === 0x02 || b[0] === 0x03) && COMPRESSED_LENGTHS.has(b.length));
}

/**
 * Any public key input: SPKI DER, a raw EC point (bytes or hex, `:`/space separated), or PEM
 * text holding a CERTIFICATE, CERTIFICATE REQUEST or PUBLIC KEY.
 */
export function publicKeyId(input: string | Uint8Array): PublicKeyId {
  let bytes: Uint8Array | null = null;
  if (typeof input === 'string' && !input.includes('-----BEGIN')) {
    const h = input.replace(/[\s:]+/g, '');
    if (/^[0-9a-fA-F]+$/.test(h)) bytes = new Uint8Array(Buffer.from(h, 'hex'));
  } else if (input instanceof Uint8Array) {
    bytes = input;
  }
  if (bytes && isRawPoint(bytes)) return { algorithm: 'EC point', family: 'ec', bytes };
  const spki = parseSpki(spkiOf(bytes ?? input));
  const family = spki.algorithmOid === OID.ec ? 'ec' : spki.algorithmOid === OID.rsa ? 'rsa' : 'other';
  return { algorithm: describeSpki(spki), family, bytes: spki.keyBits };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function samePoint(a: Uint8Array, b: Uint8Array): boolean {
  if (a[0] === b[0] || (a[0] !== 0x04 && b[0] !== 0x04)) return sameBytes(a, b);
  const [full, short] = a[0] === 0x04 ? [a, b] : [b, a];
  const n = (full.length - 1) / 2;
  if (short.length !== n + 1) return false;
  const yOdd = (full[full.length - 1]! & 1) === 1;
  return sameBytes(full.subarray(1, 1 + n), short.subarray(1)) && (short[0] === 0x03) === yOdd;
}

/** Compares two public keys given in any form publicKeyId accepts. */
export function compareKeys(a: string | Uint8Array, b: string | Uint8Array): { result: KeyMatch; a: string; b: string; reason: string } {
  const ka = publicKeyId(a);
  const kb = publicKeyId(b);
  const done = (result: KeyMatch, reason: string) => ({ result, a: ka.algorithm, b: kb.algorithm, reason });
  if (ka.family !== kb.family) return done('mismatch', `different key types: ${ka.algorithm} vs ${kb.algorithm}`);
  const named = (k: PublicKeyId) => k.algorithm !== 'EC point';
  if (named(ka) && named(kb) && ka.algorithm !== kb.algorithm) return done('mismatch', `different keys: ${ka.algorithm} vs ${kb.algorithm}`);
  const same = ka.family === 'ec' ? samePoint(ka.bytes, kb.bytes) : sameBytes(ka.bytes, kb.bytes);
  return same ? done('match', 'same public key') : done('mismatch', `different ${ka.algorithm} public keys`);
}

/** The certificate's key (SPKI DER) against another key: SPKI DER or a raw EC point. */
export function matchKey(certPublicKeySpkiDer: Uint8Array, other: Uint8Array): KeyMatch {
  return compareKeys(certPublicKeySpkiDer, other).result;
}

/** SHA-256 of the SPKI, lowercase hex: a short name for a key in the UI. */
export async function spkiSha256(spkiDer: Uint8Array): Promise<string> {
  return toHex(await globalThis.crypto.subtle.digest('SHA-256', spkiDer));
}
