/**
 * Turns what the user or the device gives (PEM text, base64, hex, DER bytes) into DER bytes.
 */

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** All PEM blocks in a text (bodies with bad base64 are skipped). */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = (m[2] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) continue;
    out.push({ label: m[1] ?? '', der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return out;
}

/** PEM (first block, or the first with `label`), bare base64, hex, or DER bytes → DER bytes. */
export function toDer(input: string | Uint8Array | ArrayBuffer, label?: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (input.includes('-----BEGIN')) {
    const blocks = pemBlocks(input);
    const b = label ? blocks.find((x) => x.label === label) : blocks[0];
    if (!b) throw new Error(label ? `no ${label} PEM block` : 'no complete PEM block');
    return b.der;
  }
  const s = input.replace(/[\s:]+/g, '');
  if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0) return new Uint8Array(Buffer.from(s, 'hex'));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return new Uint8Array(Buffer.from(s, 'base64'));
  throw new Error('not PEM, base64, hex or DER');
}

export function toHex(b: ArrayBuffer | Uint8Array): string {
  return Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');
}
