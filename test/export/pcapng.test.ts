// The pcapng blocks and TCP frames, checked against the format's own rules (draft-ietf-opsawg-
// pcapng §3-4: lengths, padding, byte-order magic; RFC 1071: a valid checksum makes the
// one's-complement sum of the covered bytes 0xffff). tshark reading whole exports is in
// test/e2e/export.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptionSecrets, enhancedPacket, interfaceDescription, sectionHeader } from '../../src/export/pcapng.ts';
import { TCP_ACK, TCP_PSH, tcpFrame } from '../../src/export/tcp-frame.ts';

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, true);

function checkBlock(b: Uint8Array, type: number): void {
  expect(u32(b, 0)).toBe(type);
  expect(b.length % 4).toBe(0);
  expect(u32(b, 4)).toBe(b.length);
  expect(u32(b, b.length - 4)).toBe(b.length);
}

function onesSum(parts: Uint8Array[]): number {
  const all = Uint8Array.from(parts.flatMap((p) => [...p]));
  let s = 0;
  for (let i = 0; i < all.length; i += 2) s += (all[i]! << 8) | (all[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

describe('pcapng blocks', () => {
  it('section header: type 0x0A0D0D0A, byte-order magic 0x1A2B3C4D little-endian, version 1.0', () => {
    const b = sectionHeader('hsmon');
    checkBlock(b, 0x0a0d0d0a);
    expect(Array.from(b.subarray(8, 12))).toEqual([0x4d, 0x3c, 0x2b, 0x1a]);
    expect(Array.from(b.subarray(12, 16))).toEqual([1, 0, 0, 0]);
  });

  it('interface: Ethernet (link type 1)', () => {
    const b = interfaceDescription(1);
    checkBlock(b, 1);
    expect(b[8]).toBe(1);
  });

  it('enhanced packet: 64-bit microsecond time split high/low, data padded, comment as option 1', () => {
    const micros = 1795357988123456n;
    const b = enhancedPacket(micros, Uint8Array.of(1, 2, 3), 'held 4096 of 6277');
    checkBlock(b, 6);
    expect((BigInt(u32(b, 12)) << 32n) | BigInt(u32(b, 16))).toBe(micros);
    expect([u32(b, 20), u32(b, 24)]).toEqual([3, 3]);
    expect(Array.from(b.subarray(28, 32))).toEqual([1, 2, 3, 0]);
    const opt = new DataView(b.buffer).getUint16(32, true);
    const len = new DataView(b.buffer).getUint16(34, true);
    expect([opt, len]).toEqual([1, 17]);
    expect(new TextDecoder().decode(b.subarray(36, 36 + len))).toBe('held 4096 of 6277');
  });

  it("decryption secrets: type 0x0A, secrets type 'TLSK' (0x544c534b), the key log as given", () => {
    const log = 'CLIENT_RANDOM aa bb\n';
    const b = decryptionSecrets(log);
    checkBlock(b, 0x0a);
    expect(u32(b, 8)).toBe(0x544c534b);
    expect(u32(b, 12)).toBe(log.length);
    expect(new TextDecoder().decode(b.subarray(16, 16 + log.length))).toBe(log);
  });
});

describe('tcpFrame', () => {
  it('property: IPv4 and TCP checksums verify for any payload and numbers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(0xffff), (payload, seq, ack, id) => {
        const src = Uint8Array.of(192, 0, 2, 2);
        const dst = Uint8Array.of(192, 0, 2, 1);
        const f = tcpFrame({ srcMac: new Uint8Array(6), dstMac: new Uint8Array(6), src, dst, srcPort: 50000, dstPort: 8883, seq, ack, flags: TCP_PSH | TCP_ACK, ipId: id, payload });
        expect(f.length).toBe(14 + 20 + 20 + payload.length);
        expect(onesSum([f.subarray(14, 34)])).toBe(0xffff);
        const tcpLen = 20 + payload.length;
        const pseudo = Uint8Array.of(...src, ...dst, 0, 6, tcpLen >> 8, tcpLen & 0xff);
        // An odd segment is padded with a zero byte for the sum (RFC 793).
        const seg = f.subarray(34);
        expect(onesSum([pseudo, seg.length % 2 ? Uint8Array.of(...seg, 0) : seg])).toBe(0xffff);
        const dv = new DataView(f.buffer);
        expect([dv.getUint32(38), dv.getUint32(42)]).toEqual([seq, ack]);
      }),
      { numRuns: 100 },
    );
  });
});
