/**
 * Builds a log the corpus does not have: recordings/tls12_gcm_debug4_ok.log with one more
 * server record right after its 6277-byte application-data record (which mbedTLS dumped only
 * up to 4096 bytes). The new record is really encrypted, with the server write key and IV of
 * that session (the `key block` the log dumps: AES-128-GCM client key, server key, client IV,
 * server IV, RFC 5288) and the next server sequence number, and dumped in the exact row format
 * of mbedtls_debug_print_buf. So whether Wireshark decrypts it tells whether the capture kept
 * the stream in step past the zero-filled record.
 */
import { createCipheriv } from 'node:crypto';

const ROW_PREFIX = 'ssl_msg.c:4107: |4| ';

function dumpRows(prefix: string, buf: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < buf.length && i < 4096; i += 16) {
    const chunk = buf.subarray(i, Math.min(i + 16, buf.length));
    const hex = Array.from(chunk, (b) => ` ${b.toString(16).padStart(2, '0')}`).join('') + '   '.repeat(16 - chunk.length);
    const txt = Array.from(chunk, (b) => (b > 31 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    out.push(`${prefix}${i.toString(16).padStart(4, '0')}: ${hex}  ${txt}`);
  }
  return out;
}

export function withRecordAfterTruncated(log: string, plaintext: string): { text: string; line: number } {
  const lines = log.split('\n');
  // The key block rows: grep -A3 "dumping 'key block'" recordings/tls12_gcm_debug4_ok.log
  const kb = lines.findIndex((l) => l.includes("dumping 'key block'"));
  const keyBlock = Buffer.from(lines.slice(kb + 1, kb + 4).map((l) => /[0-9a-f]{4}: ((?: [0-9a-f]{2}){16})/.exec(l)![1]!.replace(/ /g, '')).join(''), 'hex');
  const serverKey = keyBlock.subarray(16, 32);
  const serverIv = keyBlock.subarray(36, 40);
  // Server records after its ChangeCipherSpec are encrypted, numbered from 0:
  //   grep 'input record: msgtype' F  →  20 (CCS), 22 (Finished, seq 0), 23 (6272 bytes, seq 1)
  const inRecords = lines.map((l, i) => [i, /input record: msgtype = (\d+)/.exec(l)?.[1]] as const).filter(([, t]) => t !== undefined);
  const ccs = inRecords.findIndex(([, t]) => t === '20');
  const seq = BigInt(inRecords.length - ccs - 1);
  const big = inRecords.at(-1)![0];
  // After that record's `<= read record` (sed -n 939,1467p F).
  const at = lines.findIndex((l, i) => i > big && l.endsWith('<= read record')) + 1;

  const explicit = Buffer.alloc(8);
  explicit.writeBigUInt64BE(seq);
  const plain = Buffer.from(plaintext);
  const aad = Buffer.alloc(13);
  aad.writeBigUInt64BE(seq);
  aad.writeUInt8(23, 8);
  aad.writeUInt16BE(0x0303, 9);
  aad.writeUInt16BE(plain.length, 11);
  const c = createCipheriv('aes-128-gcm', serverKey, Buffer.concat([serverIv, explicit]));
  c.setAAD(aad);
  const body = Buffer.concat([explicit, c.update(plain), c.final(), c.getAuthTag()]);
  const header = Buffer.from([23, 3, 3, body.length >> 8, body.length & 0xff]);
  const record = Buffer.concat([header, body]);
  const added = [
    `ssl_msg.c:3999: |3| input record: msgtype = 23, version = [0x303], msglen = ${body.length}`,
    `ssl_msg.c:4107: |4| dumping 'input record from network' (${record.length} bytes)`,
    ...dumpRows(ROW_PREFIX, record),
    'ssl_msg.c:4404: |2| <= read record',
  ];
  return { text: [...lines.slice(0, at), ...added, ...lines.slice(at)].join('\n'), line: at };
}
