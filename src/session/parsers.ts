/** The family parsers every session runs, in the order they see each segment. */
import type { FamilyParser } from '../../parsers/family.ts';
import { MbedtlsParser } from '../../parsers/mbedtls/index.ts';

export function createParsers(opts: { mbedtls?: '2.28' | '3.6' | undefined }): FamilyParser[] {
  return [new MbedtlsParser(opts.mbedtls ? { version: opts.mbedtls } : undefined)];
}
