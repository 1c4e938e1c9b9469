/**
 * What cloud brokers will say about a device certificate before the device tries it.
 * AWS IoT Core: client certificates signed with SHA-256/384/512 with RSA or ECDSA; RSA keys
 * of at least 2048 bits, EC keys on NIST P-256/P-384 (docs.aws.amazon.com/iot/latest/
 * developerguide/x509-client-certs.html); a self-signed device certificate must be registered
 * (without a CA) before the broker accepts it. PSOC Edge TF-M generates EC P-256 keys but
 * answers PSA_ERROR_NOT_SUPPORTED to RSA key generation (DESIGN.md).
 */

export interface CloudHint {
  broker: 'aws-iot' | 'any';
  severity: 'warning' | 'info';
  message: string;
}

export interface HintInput {
  keyAlgorithm: string;
  signatureAlgorithm: string;
  selfSigned: boolean;
  expired?: boolean;
  notYetValid?: boolean;
  clock?: 'device' | 'host';
}

const AWS_KEYS = /^(EC P-256|EC P-384|RSA (\d+))$/;
const AWS_SIGS = new Set([
  'ecdsa-with-SHA256', 'ecdsa-with-SHA384', 'ecdsa-with-SHA512',
  'sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption',
]);

export function cloudHints(c: HintInput): CloudHint[] {
  const out: CloudHint[] = [];
  const key = AWS_KEYS.exec(c.keyAlgorithm);
  if (!key || (key[2] !== undefined && Number(key[2]) < 2048)) {
    out.push({ broker: 'aws-iot', severity: 'warning', message: `AWS IoT accepts device certificates with EC P-256/P-384 or RSA ≥ 2048 keys, not ${c.keyAlgorithm}.` });
  }
  if (!AWS_SIGS.has(c.signatureAlgorithm)) {
    out.push({ broker: 'aws-iot', severity: 'warning', message: `AWS IoT accepts SHA-256/384/512 with RSA or ECDSA signatures, not ${c.signatureAlgorithm}.` });
  }
  if (c.selfSigned) {
    out.push({ broker: 'any', severity: 'info', message: 'Self-signed: as a device certificate the broker accepts it only if this exact certificate is registered there (AWS IoT: register it without a CA); as a server root it must be in the device trust store.' });
  }
  if (c.keyAlgorithm.startsWith('RSA')) {
    out.push({ broker: 'any', severity: 'info', message: 'RSA device key: TF-M on PSOC Edge cannot generate RSA keys (PSA_ERROR_NOT_SUPPORTED); EC P-256 keys work in the secure partition.' });
  }
  if (c.notYetValid) {
    out.push({ broker: 'any', severity: 'warning', message: c.clock === 'device' ? 'Not yet valid on the device clock: set the device time (SNTP) before TLS.' : 'Not yet valid on this computer\'s clock.' });
  }
  if (c.expired) out.push({ broker: 'any', severity: 'warning', message: 'Expired: the broker will reject it (certificate_expired).' });
  return out;
}
