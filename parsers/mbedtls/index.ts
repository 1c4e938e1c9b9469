/** The mbedTLS family parser (entry point used by src/session). */
export { MbedtlsParser, type MbedtlsParserOptions } from './mbedtls-parser.ts';
export type { MbedtlsVersion } from '../tables/errors.ts';
