/** The family parsers every session runs, in the order they see each segment. */
import type { FamilyParser } from '../../parsers/family.ts';
import { MbedtlsParser } from '../../parsers/mbedtls/index.ts';
import { createAppParser } from '../../parsers/app.ts';
import { createMqttParser } from '../../parsers/mqtt.ts';
import { PemParser } from '../../parsers/pem.ts';
import { PsaParser } from '../../parsers/psa.ts';
import { createDiagnosticLinesParser } from '../../parsers/diagnostic-lines.ts';

export function createParsers(opts: { mbedtls?: '2.28' | '3.6' | undefined }): FamilyParser[] {
  return [
    new MbedtlsParser(opts.mbedtls ? { version: opts.mbedtls } : undefined),
    new PsaParser(),
    new PemParser(),
    createAppParser(),
    createMqttParser(),
    // Lines that explain failures, for the diagnosis rules (src/diagnosis).
    createDiagnosticLinesParser(),
  ];
}
