/**
 * The two versions a log reveals: the mbedTLS library's (2.28 or 3.6, which decides how states
 * and error codes read; inferred once unless given) and the TLS protocol's (once per handshake).
 */
import type { DeviceEvent, Line } from '../events.ts';
import type { MbedtlsVersion } from '../tables/errors.ts';
import type { MbedtlsState } from './mbedtls-state.ts';

// Source files only one of the two library lines has.
const FILES_228 = new Set(['ssl_cli.c', 'ssl_srv.c']);
const FILES_36 = new Set(['ssl_tls12_client.c', 'ssl_tls12_server.c', 'ssl_client.c', 'ssl_misc.h', 'ssl_debug_helpers_generated.c']);

/** Infers the mbedTLS version from the source file a debug line names, once per new file. */
export function versionFromFile(s: MbedtlsState, out: DeviceEvent[], file: string, line: Line, ctx: string | undefined): void {
  if (file === s.lastFile) return;
  s.lastFile = file;
  const base = basename(file);
  if (FILES_228.has(base)) setVersion(s, out, '2.28', base, line, ctx);
  else if (FILES_36.has(base) || base.startsWith('ssl_tls13_')) setVersion(s, out, '3.6', base, line, ctx);
}

/** Records the first mbedTLS version evidence (unless the version was given) as tls.mbedtls_version. */
export function setVersion(s: MbedtlsState, out: DeviceEvent[], v: MbedtlsVersion, evidence: string, line: Line, ctx: string | undefined): void {
  if (s.fixedVersion || s.version !== null) return;
  s.version = v;
  out.push({ kind: 'tls.mbedtls_version', t: line.t, line: line.seq, ctx: ctx ?? null, version: v, evidence });
}

/** Reports the TLS version of the current handshake, the first time a line reveals it. */
export function tlsVersion(s: MbedtlsState, out: DeviceEvent[], v: '1.2' | '1.3', line: Line, ctx: string | null): void {
  if (s.tlsVersionSent) return;
  s.tlsVersionSent = true;
  out.push({ kind: 'tls.version', t: line.t, line: line.seq, ctx, version: v });
}

/** The file name of a path as `__FILE__` prints it (`/` or `\` separators). */
export function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}
