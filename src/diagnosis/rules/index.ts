/** Every rule hsmon runs, by family. Add a rule: write it in its family's file, list it here. */
import type { Rule } from '../rule.ts';
import { clientCertRejected, deviceClockUnset, serverCertDateInvalid, serverCertUntrusted } from './certificates.ts';
import { noSharedCiphersuite } from './ciphersuites.ts';
import { psaAlgorithmUnsupported, psaEcdhExportFailed, psaKeyPolicyMismatch } from './psa.ts';
import { handshakeFragmentationUnsupported, mflNotHonored, recordExceedsBuffer } from './buffers.ts';
import { outOfMemory } from './memory.ts';
import { connectRetryLoop } from './retries.ts';
import { credentialInLog, privateKeyExposed, sessionSecretsInLog } from './secrets.ts';

export const ALL_RULES: readonly Rule[] = [
  clientCertRejected,
  serverCertUntrusted,
  deviceClockUnset,
  serverCertDateInvalid,
  noSharedCiphersuite,
  psaEcdhExportFailed,
  psaKeyPolicyMismatch,
  psaAlgorithmUnsupported,
  recordExceedsBuffer,
  mflNotHonored,
  handshakeFragmentationUnsupported,
  outOfMemory,
  connectRetryLoop,
  sessionSecretsInLog,
  privateKeyExposed,
  credentialInLog,
];
