/**
 * The `hsmon:` key line: a small line format firmware may print to tell hsmon about keys,
 * steps and its clock, which hsmon cannot otherwise see (opaque keys live in the secure
 * partition; PSA examples print no status). Recognised when present, never required.
 * The format and a copy-paste C snippet are in docs/keyline.md.
 *
 *   hsmon: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=256 alg=ECDSA(SHA_256) usage=SIGN_HASH|VERIFY_HASH lifetime=persistent status=0
 *   hsmon: step name=csr.generate status=0
 *   hsmon: pubkey id=0x1 04c701a450…          (uncompressed 04||X||Y or compressed 02/03||X, hex)
 *   hsmon: time 2026-11-22T10:00:00Z         (or seconds since 1970)
 */
import { tighten } from './linear-text.ts';
import {
  normalizePsaName,
  psaAlgName,
  psaKeyTypeName,
  psaLifetimeName,
  psaStatus,
  psaStatusByName,
  psaUsageNames,
} from './tables/psa-status.ts';

export interface KeyAttrs {
  id: number | null;
  type: string | null;
  bits: number | null;
  alg: string | null;
  usage: string[] | null;
  lifetime: 'persistent' | 'volatile' | null;
  status: number | null;
}

export type Keyline =
  | ({ what: 'key' } & KeyAttrs)
  | { what: 'step'; name: string; fn: string | null; status: number | null }
  | { what: 'pubkey'; id: number | null; point: string }
  | { what: 'time'; iso: string };

const HEAD = /\bhsmon:\s+(key|step|pubkey|time)\b(.*)$/;

/** Integer in decimal or 0x hex, optionally negative; 32-bit unsigned hex is read as signed. */
export function parseIntToken(s: string): number | null {
  const m = /^(-)?(0x[0-9a-f]+|\d+)$/i.exec(s.trim());
  if (!m || !m[2]) return null;
  let n = m[2].toLowerCase().startsWith('0x') ? Number.parseInt(m[2].slice(2), 16) : Number.parseInt(m[2], 10);
  if (!Number.isFinite(n) || n > 0xffffffff) return null;
  // %x of a negative int32 status (0xffffff73 = -141).
  if (!m[1] && m[2].toLowerCase().startsWith('0x') && n >= 0x80000000) n = n - 0x100000000;
  return m[1] ? -n : n;
}

/** A PSA status as printed: a number (`-141`, `0xffffff73`) or a name (`PSA_ERROR_NOT_PERMITTED`, `NOT_PERMITTED`). */
export function parseStatusToken(s: string): number | null {
  const n = parseIntToken(s);
  if (n !== null) return n;
  return psaStatusByName(s)?.value ?? null;
}

export function parseKeyType(s: string): string | null {
  const n = parseIntToken(s);
  if (n !== null) return n >= 0 && n <= 0xffff ? psaKeyTypeName(n) : null;
  const v = normalizePsaName(s);
  return /^[A-Z][A-Z0-9_]*(\([A-Z0-9_]+\))?$/.test(v) ? v : null;
}

export function parseAlg(s: string): string | null {
  const n = parseIntToken(s);
  if (n !== null) return psaAlgName(n);
  const v = normalizePsaName(s);
  return /^[A-Z][A-Z0-9_]*(\([A-Z0-9_]+(\([A-Z0-9_]+\))?\))?$/.test(v) ? v : null;
}

export function parseUsage(s: string): string[] | null {
  const n = parseIntToken(s);
  if (n !== null) return n >= 0 ? psaUsageNames(n) : null;
  const parts = normalizePsaName(s).split(/[|,+]/).filter(Boolean);
  return parts.length > 0 && parts.every((p) => /^[A-Z][A-Z_]*$/.test(p)) ? parts : null;
}

export function parseLifetime(s: string): 'persistent' | 'volatile' | null {
  const n = parseIntToken(s);
  if (n !== null) return n >= 0 ? psaLifetimeName(n) : null;
  const v = normalizePsaName(s).toLowerCase();
  if (v === 'persistent' || v === 'default' || v === 'read_only') return 'persistent';
  if (v === 'volatile') return 'volatile';
  return null;
}

function pairs(rest: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tighten(rest, '|').matchAll(/(?<![A-Za-z_])([A-Za-z_]+)=(\S+)/g)) {
    if (m[1] && m[2]) out.set(m[1].toLowerCase(), m[2]);
  }
  return out;
}

/** Parses an `hsmon:` line; null when the text holds none (or a malformed one). */
export function parseKeyline(text: string): Keyline | null {
  const m = HEAD.exec(text);
  if (!m || !m[1]) return null;
  const rest = (m[2] ?? '').trim();
  switch (m[1]) {
    case 'key': {
      const p = pairs(rest);
      const get = <T>(k: string, f: (s: string) => T | null): T | null => {
        const v = p.get(k);
        return v === undefined ? null : f(v);
      };
      const attrs: KeyAttrs = {
        id: get('id', parseIntToken),
        type: get('type', parseKeyType),
        bits: get('bits', parseIntToken),
        alg: get('alg', parseAlg),
        usage: get('usage', parseUsage),
        lifetime: get('lifetime', parseLifetime),
        status: get('status', parseStatusToken),
      };
      if (attrs.id === null && attrs.type === null) return null;
      return { what: 'key', ...attrs };
    }
    case 'step': {
      const p = pairs(rest);
      const name = p.get('name');
      if (!name) return null;
      const st = p.get('status');
      return { what: 'step', name, fn: p.get('fn') ?? null, status: st === undefined ? null : parseStatusToken(st) };
    }
    case 'pubkey': {
      const p = pairs(rest);
      const hexTok = p.get('hex') ?? rest.split(/\s+/).find((tok) => !tok.includes('=')) ?? '';
      const point = normalizePoint(hexTok);
      if (!point) return null;
      const idTok = p.get('id');
      return { what: 'pubkey', id: idTok === undefined ? null : parseIntToken(idTok), point };
    }
    case 'time': {
      const iso = parseClock(rest.split(/\s+/)[0] ?? '');
      return iso ? { what: 'time', iso } : null;
    }
    default:
      return null;
  }
}

/** An EC public key point in hex (`04…` 65 bytes, `02/03…` 33 bytes; `:`/space separators allowed) → lowercase hex. */
export function normalizePoint(s: string): string | null {
  const h = s.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(h)) return null;
  if (h.length === 130 && h.startsWith('04')) return h;
  if (h.length === 66 && (h.startsWith('02') || h.startsWith('03'))) return h;
  if (h.length === 194 && h.startsWith('04')) return h; // P-384
  if (h.length === 98 && (h.startsWith('02') || h.startsWith('03'))) return h;
  return null;
}

/** ISO-8601 or seconds since 1970 → ISO string (UTC); null when not a date. */
export function parseClock(s: string): string | null {
  if (/^\d{9,11}$/.test(s)) return new Date(Number(s) * 1000).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function statusName(status: number | null): string | null {
  return status === null ? null : psaStatus(status)?.name ?? null;
}
