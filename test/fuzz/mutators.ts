/**
 * The mutations of `npm run fuzz` (issue 15): what a bench really does to a UART log or a
 * recording. Each takes bytes and a seeded random source and returns new bytes; nothing here
 * runs hsmon.
 */
import { CastWriter } from '../../src/record/cast-writer.ts';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A small seeded PRNG (mulberry32): a failing case is reproduced with FUZZ_SEED. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const enc = new TextEncoder();

export const bitFlips = (r: Rand, b: Buffer): Buffer => {
  const out = Buffer.from(b);
  const n = 1 + int(r, 64);
  for (let i = 0; i < n && out.length > 0; i++) out[int(r, out.length)]! ^= 1 << int(r, 8);
  return out;
};

export const truncation = (r: Rand, b: Buffer): Buffer => b.subarray(0, int(r, b.length + 1));

export const splice = (r: Rand, a: Buffer, b: Buffer): Buffer => Buffer.concat([a.subarray(0, int(r, a.length + 1)), b.subarray(int(r, b.length + 1))]);

export const randomBytes = (r: Rand, size: number): Buffer => Buffer.from(Array.from({ length: size }, () => int(r, 256)));

/** A line of 2 MB (printable text and some of the recording's own words) in the middle of the log. */
export const longLine = (r: Rand, b: Buffer): Buffer => {
  const at = b.indexOf(10, int(r, b.length));
  const unit = pick(r, ['=', 'psa_', 'A', ' |', "'", 'ssl_tls.c:4528: |2| ', '0123456789abcdef']);
  const line = Buffer.from(unit.repeat(Math.ceil((2 * 1024 * 1024) / unit.length)));
  return at === -1 ? Buffer.concat([b, line]) : Buffer.concat([b.subarray(0, at + 1), line, b.subarray(at)]);
};

/** Bytes that are no UTF-8: lone continuation bytes, cut sequences, overlongs, encoded surrogates. */
export const invalidUtf8 = (r: Rand, b: Buffer): Buffer => insertAt(r, b, 16, () => pick(r, [[0x80], [0xbf, 0xbf], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80], [0xff], [0xf0, 0x9f, 0x98]]));

/** ANSI escapes (colours, clear screen, cursor moves, unterminated OSC) and NUL bytes. */
export const ansiNul = (r: Rand, b: Buffer): Buffer =>
  insertAt(r, b, 32, () => [...enc.encode(pick(r, ['\x1b[2J\x1b[;H', '\x1b[31m', '\x1b[0m', '\x00', '\x00\x00\x00\x00', '\x1b]0;title', '\x1b[', '\x1b', '\x1b[999999999999999999999999m', '\x07']))]);

/** Line ends as some terminals and boards send them: CR only. */
export const crOnly = (_r: Rand, b: Buffer): Buffer => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1');

function insertAt(r: Rand, b: Buffer, count: number, make: () => number[]): Buffer {
  const cuts = Array.from({ length: count }, () => int(r, b.length + 1)).sort((x, y) => x - y);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const c of cuts) {
    parts.push(b.subarray(prev, c), Buffer.from(make()));
    prev = c;
  }
  parts.push(b.subarray(prev));
  return Buffer.concat(parts);
}

/** Numbers no field can hold, or just barely can. */
const ABSURD = ['0', '-1', '255', '256', '65535', '65536', '16777216', '4294967296', '9007199254740993', '18446744073709551615', '9'.repeat(400), '0'.repeat(30) + '7', '8640000000001', '-9223372036854775808'];
const STATES = ['MBEDTLS_SSL_CLIENT_HELLO', 'MBEDTLS_SSL_SERVER_HELLO', 'MBEDTLS_SSL_NOT_A_STATE', 'MBEDTLS_SSL_', '', 'mbedtls_ssl_handshake_over', 'MBEDTLS_SSL_HANDSHAKE_OVER'];
const num = (r: Rand): string => (r() < 0.2 ? String(int(r, 1 << 30)) : pick(r, ABSURD));
const hex = (r: Rand): string => pick(r, ['0', 'ffffffff', 'f'.repeat(40), '7780', '303', '-1']);

/** mbedTLS-, PSA- and MQTT-looking lines with absurd numbers and unknown states. */
export function absurdLine(r: Rand): string {
  const n = () => num(r);
  const t = [
    () => `ssl_msg.c:3999: |3| input record: msgtype = ${n()}, version = [0x${hex(r)}], msglen = ${n()}`,
    () => `ssl_msg.c:3031: |3| output record: msgtype = ${n()}, version = [${n()}:${n()}], msglen = ${n()}`,
    () => `ssl_msg.c:3242: |3| handshake message: msglen = ${n()}, type = ${n()}, hslen = ${n()}`,
    () => `ssl_msg.c:4803: |3| got an alert message, type: [${n()}:${n()}]`,
    () => `ssl_msg.c:5025: |2| send alert level=${n()} message=${n()}`,
    () => `ssl_msg.c:4815: |1| is a fatal alert message (msg ${n()})`,
    () => `ssl_tls.c:4589: |2| client state: ${r() < 0.5 ? n() : pick(r, STATES)}`,
    () => `ssl_misc.h:1353: |3| handshake state: ${n()} (${pick(r, STATES)}) -> ${n()} (${pick(r, STATES)})`,
    () => `ssl_client.c:0724: |3| client hello, current time: ${n()}`,
    () => `ssl_tls.c:4567: |3| dumping 'input record from network' (${n()} bytes)`,
    () => `ssl_tls.c:6543: |1| mbedtls_ssl_handshake() returned -${n()} (-0x${hex(r)})`,
    () => `ssl_tls.c:4589: |2| 0x${hex(r)}: client state: ${pick(r, STATES)}`,
    () => `ssl_tls.c:2001: |2| server hello, chosen ciphersuite: ${hex(r)}`,
    () => `ssl_tls.c:3456: |1| ! Certificate verification flags ${hex(r)}`,
    () => `psa_generate_key() returned ${n()} (-0x${hex(r)})`,
    () => `psa_sign_hash${'='.repeat(int(r, 80))}`,
    () => `hsmon: key id=${n()} type=0x${hex(r)} bits=${n()} alg=0x${hex(r)} lifetime=${n()} status=-${n()}`,
    () => `hsmon: time ${n()}`,
    () => `Key ID: 0x${hex(r)} type: ${n()} bits: ${n()}`,
    () => `alloc(${n()} bytes) failed`,
    () => `fragment larger than the maximum fragment length: ${n()} > ${n()}`,
    () => `Retrying in ${n()} ms. Retries left: ${n()}`,
    () => `MQTT connection failed with error code 0x${hex(r)}.`,
    () => `Publish QoS: ${n()}`,
    () => `Wi-Fi Connection failed. Error code:0x${hex(r)}. Retrying in ${n()} ms. Retries left: ${n()}`,
  ];
  return pick(r, t)();
}

export const absurdLines = (r: Rand, b: Buffer): Buffer => {
  const lines = b.toString('latin1').split('\n');
  for (let i = 0; i < 64; i++) lines.splice(int(r, lines.length + 1), 0, absurdLine(r));
  return Buffer.from(lines.join('\n'), 'latin1');
};

/** The log as an hsmon recording (chunks of a few lines, 10 ms apart), made with the real writer. */
export function castOf(b: Buffer, dir: string, name: string): Buffer {
  const path = join(dir, `${name}.tmp.cast`);
  const w = new CastWriter(path, { now: () => 0, flushMs: 60_000 });
  let t = 0;
  for (let off = 0; off < b.length; off += 512) w.rx(b.subarray(off, off + 512), (t += 10));
  w.close();
  const out = readFileSync(path);
  rmSync(path);
  return out;
}

/** A recording damaged as a crash, kill -9 or full disk leaves it, or by bit rot. */
export const mutateCast = (r: Rand, cast: Buffer): Buffer => {
  const lines = cast.toString('utf8').split('\n');
  switch (int(r, 5)) {
    case 0: return truncation(r, cast);
    // The header lost: the file is then read as a text log of JSON lines.
    case 1: return Buffer.from(lines.slice(1).join('\n'));
    case 2: {
      for (let i = 0; i < 8; i++) lines.splice(1 + int(r, lines.length), 0, pick(r, ['[', '[1e400, "o", "x"]', '[-5, "o", "neg"]', '[1.0e+301, "o", "far"]', '["t", "o", "s"]', '[0, "x", "!!notbase64"]', '[0, "o"]', '{}', 'null', '[0, "z", "unknown type"]']));
      return Buffer.from(lines.join('\n'));
    }
    case 3: return bitFlips(r, cast);
    default: return splice(r, cast, cast);
  }
};
