import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { readPackageText } from '../io/package-path.ts';

/** The device certificate the simulated board boots with (a copy of test/fixtures/pki/device.crt). */
export function initialDeviceCertificate(): string {
  return readPackageText('src/sim/assets/device.crt');
}

/**
 * A fresh self-signed P-256 certificate with the device's subject, as a board does after
 * regenerating its key: a new key means a new certificate that the broker does not know yet.
 */
export async function newDeviceCertificate(now = new Date()): Promise<string> {
  // Node's global Web Crypto (the same object as node:crypto's webcrypto).
  type WebCrypto = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1] & typeof globalThis.crypto;
  const crypto = globalThis.crypto as WebCrypto;
  x509.cryptoProvider.set(crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const serial = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: 'CN=psoc-edge-device, O=Infineon PoC',
    notBefore: now,
    notAfter: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  }, crypto);
  return cert.toString('pem');
}
