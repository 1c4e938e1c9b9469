/** The family parsers every session runs, in the order they see each segment. */
import type { FamilyParser, RowAwareParser } from '../../parsers/family.ts';
import { MbedtlsParser } from '../../parsers/mbedtls/index.ts';
import { createAppParser } from '../../parsers/app.ts';
import { createMqttParser } from '../../parsers/mqtt.ts';
import { PemParser } from '../../parsers/pem.ts';
import { PsaParser } from '../../parsers/psa.ts';
import { createDiagnosticLinesParser } from '../../parsers/diagnostic-lines.ts';

/** The built-in parsers by family, in feeding order (the order of their keys). */
export interface BuiltinParsers {
  mbedtls: RowAwareParser;
  psa: RowAwareParser;
  pem: RowAwareParser;
  app: RowAwareParser;
  mqtt: RowAwareParser;
  /** Lines that explain failures, for the diagnosis rules (src/diagnosis). */
  diagnostic: RowAwareParser;
}

/** HSMON_STRICT=1 (test/setup.ts sets it): catch-alls in parsers and rules rethrow. */
export const strictMode = (): boolean => process.env['HSMON_STRICT'] === '1';

export function createBuiltinParsers(opts: { mbedtls?: '2.28' | '3.6' | undefined }): BuiltinParsers {
  return {
    mbedtls: new MbedtlsParser({ ...(opts.mbedtls ? { version: opts.mbedtls } : {}), strict: strictMode() }),
    psa: new PsaParser(),
    pem: new PemParser(),
    app: createAppParser(),
    mqtt: createMqttParser(),
    diagnostic: createDiagnosticLinesParser(),
  };
}

/** The built-in parsers as a list, in feeding order. */
export function createParsers(opts: { mbedtls?: '2.28' | '3.6' | undefined }): FamilyParser[] {
  return Object.values(createBuiltinParsers(opts));
}
