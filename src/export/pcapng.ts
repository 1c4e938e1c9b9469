/**
 * pcapng blocks (IETF draft-ietf-opsawg-pcapng): Section Header, Interface Description,
 * Enhanced Packet and Decryption Secrets. Pure: each function returns the bytes of one block,
 * little-endian (the byte-order magic says so), padded to 32 bits; whoever writes them does
 * the I/O. No npm package writes pcapng, and these four blocks are all a capture of a
 * device's TLS records needs.
 */

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const DSB = 0x0000000a;
/** Secrets type of a TLS key log (NSS key log format): ASCII 'TLSK'. */
export const SECRETS_TLS_KEYLOG = 0x544c534b;
/** LINKTYPE_ETHERNET. */
export const LINKTYPE_ETHERNET = 1;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;

const utf8 = new TextEncoder();
const pad4 = (n: number): number => (n + 3) & ~3;

/** Options as pcapng encodes them: code, length, value padded to 32 bits; then opt_endofopt. */
function options(opts: [number, Uint8Array][]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const size = opts.reduce((n, [, v]) => n + 4 + pad4(v.length), 0) + 4;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const [code, v] of opts) {
    dv.setUint16(o, code, true);
    dv.setUint16(o + 2, v.length, true);
    out.set(v, o + 4);
    o += 4 + pad4(v.length);
  }
  dv.setUint16(o, OPT_ENDOFOPT, true);
  return out;
}

/** type, total length, body (padded), options, total length again. */
function block(type: number, body: Uint8Array, opts: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length) + opts.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  out.set(opts, 8 + pad4(body.length));
  dv.setUint32(total - 4, total, true);
  return out;
}

export function sectionHeader(application: string): Uint8Array {
  const body = new Uint8Array(16);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 0x1a2b3c4d, true); // byte-order magic
  dv.setUint16(4, 1, true); // version 1.0
  dv.setUint16(6, 0, true);
  dv.setBigInt64(8, -1n, true); // section length: not given (the file grows while live)
  return block(SHB, body, options([[SHB_USERAPPL, utf8.encode(application)]]));
}

/** Timestamps in microseconds (the default if_tsresol). */
export function interfaceDescription(linkType: number, snapLen = 0): Uint8Array {
  const body = new Uint8Array(8);
  const dv = new DataView(body.buffer);
  dv.setUint16(0, linkType, true);
  dv.setUint32(4, snapLen, true);
  return block(IDB, body, options([]));
}

/** One packet on interface 0; `micros`: microseconds since 1970. */
export function enhancedPacket(micros: bigint, data: Uint8Array, comment?: string): Uint8Array {
  const body = new Uint8Array(20 + data.length);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 0, true);
  dv.setUint32(4, Number(micros >> 32n), true);
  dv.setUint32(8, Number(micros & 0xffffffffn), true);
  dv.setUint32(12, data.length, true);
  dv.setUint32(16, data.length, true);
  body.set(data, 20);
  return block(EPB, body, options(comment ? [[OPT_COMMENT, utf8.encode(comment)]] : []));
}

/** Key log lines (NSS format, each ending in a newline) that tshark applies to the packets after it. */
export function decryptionSecrets(keylog: string): Uint8Array {
  const data = utf8.encode(keylog);
  const body = new Uint8Array(8 + data.length);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, SECRETS_TLS_KEYLOG, true);
  dv.setUint32(4, data.length, true);
  body.set(data, 8);
  return block(DSB, body, options([]));
}
