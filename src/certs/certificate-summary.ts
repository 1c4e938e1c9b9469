/**
 * summary.certificates from the PEM blocks the device printed: certificates and CSRs analysed,
 * then each certificate's key compared with the CSRs' keys and the keys the device exported.
 */
import type { PemEvent } from '../../parsers/pem.ts';
import type { CertificateSummary } from '../contracts/summary.ts';
import { analyzeCertificate, type AnalyzeOptions } from './analyze-certificate.ts';
import { analyzeCsr } from './analyze-csr.ts';
import { toHex } from './der-input.ts';
import { compareKeys, type KeyMatch } from './match-key.ts';

export interface KeyMatchNote {
  /** What the certificate's key was compared with. */
  with: 'csr' | 'device-key';
  line: number;
  result: KeyMatch;
  reason: string;
}

export type PemAnalysis =
  | { ok: true; summary: CertificateSummary }
  /** The block is complete but not a readable certificate/CSR: worth a finding. */
  | { ok: false; line: number; label: string; error: string };

/**
 * A complete CERTIFICATE or CERTIFICATE REQUEST block → its summary; null for other labels
 * and incomplete blocks (the parser already says why those are incomplete).
 */
export async function analyzePemEvent(ev: PemEvent, opts: AnalyzeOptions = {}): Promise<PemAnalysis | null> {
  if (!ev.complete || ev.secret) return null;
  const der = new Uint8Array(Buffer.from(ev.body, 'base64'));
  try {
    if (ev.label === 'CERTIFICATE' || ev.label === 'TRUSTED CERTIFICATE') {
      const d = await analyzeCertificate(der, opts);
      const { kind: _k, ...rest } = d;
      return { ok: true, summary: { ...rest, source: 'pem', kind: 'certificate', line: ev.line } };
    }
    if (ev.label === 'CERTIFICATE REQUEST' || ev.label === 'NEW CERTIFICATE REQUEST') {
      const d = await analyzeCsr(der);
      const { kind: _k, ...rest } = d;
      return {
        ok: true,
        summary: { ...rest, source: 'pem', kind: 'csr', issuer: '', selfSigned: false, notBefore: '', notAfter: '', line: ev.line },
      };
    }
    return null;
  } catch (e) {
    return { ok: false, line: ev.line, label: ev.label, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A public key the device exported: a PUBLIC KEY block or a printed EC point (`psa.pubkey`). */
export interface DeviceKey {
  line: number;
  /** SPKI DER as hex, or the EC point as hex. */
  key: string;
}

export function deviceKeyFromPem(ev: PemEvent): DeviceKey | null {
  if (!ev.complete || ev.label !== 'PUBLIC KEY') return null;
  return { line: ev.line, key: toHex(Buffer.from(ev.body, 'base64')) };
}

/**
 * Adds `keyMatch: KeyMatchNote[]` to each certificate: its key against every CSR in the list
 * and every device key. Certificates without anything to compare with are returned unchanged.
 */
export function withKeyMatches(certs: CertificateSummary[], deviceKeys: DeviceKey[]): CertificateSummary[] {
  const csrs = certs.filter((c) => c.kind === 'csr' && typeof c['publicKeySpki'] === 'string');
  return certs.map((c) => {
    const spki = c['publicKeySpki'];
    if (c.kind === 'csr' || typeof spki !== 'string') return c;
    const notes: KeyMatchNote[] = [];
    for (const r of csrs) {
      const m = compareKeys(spki, r['publicKeySpki'] as string);
      notes.push({ with: 'csr', line: r.line, result: m.result, reason: m.reason });
    }
    for (const k of deviceKeys) {
      try {
        const m = compareKeys(spki, k.key);
        notes.push({ with: 'device-key', line: k.line, result: m.result, reason: m.reason });
      } catch {
        // A key hsmon cannot read is not evidence either way.
      }
    }
    return notes.length ? { ...c, keyMatch: notes } : c;
  });
}
