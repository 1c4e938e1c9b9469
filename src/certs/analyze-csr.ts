/** A PKCS#10 certificate request as the device printed it: who it asks for, with which key, and whether it is signed by that key. */
import { x509 } from './x509.ts';
import { toDer, toHex } from './der-input.ts';
import { keyAlgorithmOf, signatureAlgorithmName } from './analyze-certificate.ts';

export interface CsrDetails {
  kind: 'csr';
  subject: string;
  keyAlgorithm: string;
  signatureAlgorithm: string;
  /** The request's signature verifies with the key it carries (proof the device holds the private key). */
  signatureValid: boolean;
  sha256: string;
  publicKeySpki: string;
}

export async function analyzeCsr(pemOrDer: string | Uint8Array | ArrayBuffer): Promise<CsrDetails> {
  const der = toDer(pemOrDer, typeof pemOrDer === 'string' && pemOrDer.includes('-----BEGIN') ? 'CERTIFICATE REQUEST' : undefined);
  const csr = new x509.Pkcs10CertificateRequest(der);
  const spki = new Uint8Array(csr.publicKey.rawData);
  let signatureValid = false;
  try {
    signatureValid = await csr.verify();
  } catch {
    signatureValid = false;
  }
  return {
    kind: 'csr',
    subject: csr.subject,
    keyAlgorithm: keyAlgorithmOf(spki),
    signatureAlgorithm: signatureAlgorithmName(der),
    signatureValid,
    sha256: toHex(await globalThis.crypto.subtle.digest('SHA-256', der)),
    publicKeySpki: toHex(spki),
  };
}
