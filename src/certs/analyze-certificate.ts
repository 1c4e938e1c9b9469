/**
 * Certificate details for the certificate pane and summary.certificates: who, by whom, how
 * long, with what key, and whether a self-signed certificate really verifies with its own key.
 */
import { x509 } from './x509.ts';
import { toDer, toHex } from './der-input.ts';
import { sameDn } from './dn.ts';
import { describeSpki, oidToString, parseSpki, readTlv } from './spki.ts';
import { cloudHints, type CloudHint } from './cloud-hints.ts';

export interface Validity {
  notBefore: string;
  notAfter: string;
  /** Whole days from `now` to notAfter (negative once expired). */
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  /** Whose clock `now` came from: the device's (it printed one) or this computer's. */
  clock: 'device' | 'host';
  now: string;
}

export interface CertificateDetails extends Validity {
  kind: 'certificate';
  subject: string;
  issuer: string;
  /** Lowercase hex, as openssl prints it without colons. */
  serial: string;
  keyAlgorithm: string;
  signatureAlgorithm: string;
  /** Issuer equals subject (names compared ignoring spaces). */
  selfIssued: boolean;
  /** Self-issued and the signature verifies with the certificate's own public key. */
  selfSigned: boolean;
  san: string[];
  keyUsage: string[];
  extKeyUsage: string[];
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  /** SHA-256 of the DER certificate, lowercase hex without colons. */
  sha256: string;
  /** SubjectPublicKeyInfo, DER as hex: what key matching compares. */
  publicKeySpki: string;
  hints: CloudHint[];
}

export interface AnalyzeOptions {
  /** The device's clock when it printed one; otherwise the host's clock is used. */
  deviceNow?: Date | null;
  /** Overrides the host clock (tests). */
  now?: Date;
}

const DAY_MS = 86_400_000;

export function validity(notBefore: Date, notAfter: Date, opts: AnalyzeOptions = {}): Validity {
  const device = opts.deviceNow ?? null;
  const now = device ?? opts.now ?? new Date();
  return {
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    expired: now.getTime() > notAfter.getTime(),
    notYetValid: now.getTime() < notBefore.getTime(),
    clock: device ? 'device' : 'host',
    now: now.toISOString(),
  };
}

const SIG_OIDS: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** The signatureAlgorithm OID of a Certificate or CertificationRequest (the second element of the outer SEQUENCE). */
export function signatureOid(der: Uint8Array): string | null {
  try {
    const outer = readTlv(der, 0);
    const tbs = readTlv(der, outer.start);
    const alg = readTlv(der, tbs.next);
    const oid = readTlv(der, alg.start);
    return oid.tag === 0x06 ? oidToString(der.subarray(oid.start, oid.end)) : null;
  } catch {
    return null;
  }
}

export function signatureAlgorithmName(der: Uint8Array): string {
  const oid = signatureOid(der);
  if (!oid) return 'unknown';
  return SIG_OIDS[oid] ?? oid;
}

export function keyAlgorithmOf(spkiDer: Uint8Array): string {
  try {
    return describeSpki(parseSpki(spkiDer));
  } catch {
    return 'unknown';
  }
}

const KEY_USAGE_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

const SAN_PREFIX: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'email', url: 'URI', upn: 'UPN', guid: 'GUID', id: 'RID', dn: 'DirName' };

async function verifiesWithOwnKey(cert: x509.X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: cert.publicKey, signatureOnly: true });
  } catch {
    // Keys WebCrypto cannot import (secp256k1, brainpool): the signature cannot be checked here.
    return false;
  }
}

/**
 * Everything the certificate pane shows about one certificate. Throws on input that is not a
 * certificate (the caller turns that into a finding).
 */
export async function analyzeCertificate(pemOrDer: string | Uint8Array | ArrayBuffer, opts: AnalyzeOptions = {}): Promise<CertificateDetails> {
  const der = toDer(pemOrDer, typeof pemOrDer === 'string' && pemOrDer.includes('-----BEGIN') ? 'CERTIFICATE' : undefined);
  const cert = new x509.X509Certificate(der);
  const spki = new Uint8Array(cert.publicKey.rawData);
  const keyAlgorithm = keyAlgorithmOf(spki);
  const signatureAlgorithm = signatureAlgorithmName(der);
  const selfIssued = sameDn(cert.subject, cert.issuer);
  const selfSigned = selfIssued && (await verifiesWithOwnKey(cert));

  const san: string[] = [];
  const sanExt = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (sanExt) for (const n of sanExt.names.toJSON()) san.push(`${SAN_PREFIX[n.type] ?? n.type}:${n.value}`);

  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const keyUsage = ku ? KEY_USAGE_NAMES.filter(([bit]) => (ku.usages & bit) !== 0).map(([, name]) => name) : [];
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const extKeyUsage = eku ? eku.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)) : [];
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const basicConstraints = bc ? { ca: bc.ca, pathLength: bc.pathLength ?? null } : null;

  const sha256 = toHex(await globalThis.crypto.subtle.digest('SHA-256', der));
  const v = validity(cert.notBefore, cert.notAfter, opts);
  const details: CertificateDetails = {
    kind: 'certificate',
    subject: cert.subject,
    issuer: cert.issuer,
    serial: cert.serialNumber.toLowerCase(),
    ...v,
    keyAlgorithm,
    signatureAlgorithm,
    selfIssued,
    selfSigned,
    san,
    keyUsage,
    extKeyUsage,
    basicConstraints,
    sha256,
    publicKeySpki: toHex(spki),
    hints: [],
  };
  details.hints = cloudHints(details);
  return details;
}
