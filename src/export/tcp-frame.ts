/**
 * Ethernet II + IPv4 + TCP frames with valid checksums, for the packets of an exported
 * capture. Pure. No TCP options: Wireshark needs none to follow a stream and reassemble TLS.
 */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  /** IPv4 addresses, 4 bytes each. */
  src: Uint8Array;
  dst: Uint8Array;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  ipId: number;
  payload: Uint8Array;
}

const ETH = 14;
const IP = 20;
const TCP = 20;
/** The most an IPv4 packet can carry after its own header and TCP's. */
export const MAX_TCP_PAYLOAD = 65535 - IP - TCP;

/** RFC 1071 one's-complement sum, folded; `init` lets the pseudo-header be summed first. */
function sum16(bytes: Uint8Array, from: number, to: number, init = 0): number {
  let s = init;
  let i = from;
  for (; i + 1 < to; i += 2) s += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < to) s += bytes[i]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

export function tcpFrame(seg: TcpSegment): Uint8Array {
  const len = seg.payload.length;
  if (len > MAX_TCP_PAYLOAD) throw new RangeError(`TCP payload of ${len} bytes does not fit one IPv4 packet`);
  const frame = new Uint8Array(ETH + IP + TCP + len);
  const dv = new DataView(frame.buffer);
  frame.set(seg.dstMac, 0);
  frame.set(seg.srcMac, 6);
  dv.setUint16(12, 0x0800);

  const ip = ETH;
  frame[ip] = 0x45;
  dv.setUint16(ip + 2, IP + TCP + len);
  dv.setUint16(ip + 4, seg.ipId & 0xffff);
  dv.setUint16(ip + 6, 0x4000); // don't fragment
  frame[ip + 8] = 64;
  frame[ip + 9] = 6;
  frame.set(seg.src, ip + 12);
  frame.set(seg.dst, ip + 16);
  dv.setUint16(ip + 10, ~sum16(frame, ip, ip + IP) & 0xffff);

  const tcp = ETH + IP;
  dv.setUint16(tcp, seg.srcPort);
  dv.setUint16(tcp + 2, seg.dstPort);
  dv.setUint32(tcp + 4, seg.seq >>> 0);
  dv.setUint32(tcp + 8, seg.ack >>> 0);
  frame[tcp + 12] = (TCP / 4) << 4;
  frame[tcp + 13] = seg.flags;
  dv.setUint16(tcp + 14, 0xffff);
  frame.set(seg.payload, tcp + TCP);
  // Pseudo-header: source, destination, zero, protocol, TCP length.
  const pseudo = sum16(seg.src, 0, 4, sum16(seg.dst, 0, 4, 6 + TCP + len));
  dv.setUint16(tcp + 16, ~sum16(frame, tcp, tcp + TCP + len, pseudo) & 0xffff);
  return frame;
}
