// CaptureStage, KeyLog and PacketAnnotator without tshark: how bytes split into reads, how
// contexts and attempts become TCP streams, when secrets are placed and packets held back.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureStage } from '../../src/export/capture.ts';
import { KeyLog } from '../../src/export/keylog.ts';
import { PacketAnnotator } from '../../src/export/packet-annotator.ts';
import type { DumpBytes } from '../../parsers/mbedtls/hex-dump-bytes.ts';

const TLS13 = readFileSync('recordings/tls13_gcm_debug4_ok.log');
const TLS12 = readFileSync('recordings/tls12_gcm_debug4_ok.log');

/** The blocks of a pcapng file: [type, body] (enough to count packets and secrets). */
function blocks(file: Uint8Array): { type: number; body: Uint8Array }[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: { type: number; body: Uint8Array }[] = [];
  for (let o = 0; o < file.length; ) {
    const len = dv.getUint32(o + 4, true);
    out.push({ type: dv.getUint32(o, true), body: file.subarray(o + 8, o + len - 4) });
    o += len;
  }
  return out;
}

function exportWhole(chunks: Uint8Array[], opts: Partial<ConstructorParameters<typeof CaptureStage>[0]> = {}): { stage: CaptureStage; file: Uint8Array } {
  const stage = new CaptureStage({ startMs: 1795357988000, packets: true, keys: true, ...opts });
  const parts: Uint8Array[] = [];
  chunks.forEach((c, i) => {
    stage.push(c, i);
    parts.push(stage.take());
  });
  stage.flush(chunks.length);
  parts.push(stage.take());
  return { stage, file: Buffer.concat(parts) };
}

/** `ssl_msg.c:3036: |4| 0000: …` → `ssl_msg.c:3036: |4| 0x2000abcd: 0000: …` (the %p prefix of threaded builds). */
function withContext(log: Buffer, ctx: string): string[] {
  return log.toString('utf8').split('\n').map((l) => l.replace(/(\.[ch]:\d+: \|\d\| )/, `$1${ctx}: `));
}

describe('CaptureStage', () => {
  it('property: the file is the same however the bytes are split into reads', () => {
    const whole = exportWhole([TLS13]).file;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: TLS13.length - 1 }), { maxLength: 40 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), TLS13.length];
        const chunks = at.slice(1).map((end, i) => TLS13.subarray(at[i], end));
        // Times differ per read, but a plain log's lines are all at the t of their first byte:
        // compare with times taken out (the packet bytes and the order of blocks).
        const split = exportWhole(chunks, { startMs: 0 }).file;
        const noTime = (f: Uint8Array) => blocks(f).map((b) => (b.type === 6 ? Buffer.from(b.body.subarray(12)).toString('hex') : Buffer.from(b.body).toString('hex')));
        expect(noTime(split)).toEqual(noTime(exportWhole([TLS13], { startMs: 0 }).file));
      }),
      { numRuns: 15 },
    );
    // grep -c 'output record: \|input record: ' recordings/tls13_gcm_debug4_ok.log → 14, plus SYN, SYN-ACK, ACK
    expect(blocks(whole).filter((b) => b.type === 6)).toHaveLength(17);
  });

  it('puts the secrets before the packets they decrypt, and the first packet after the keys', () => {
    const types = blocks(exportWhole([TLS13]).file).map((b) => b.type);
    // SHB, IDB, then the four TLS 1.3 secrets (DSB 0x0a) before any packet (EPB 6) of the stream.
    expect(types.slice(0, 6)).toEqual([0x0a0d0d0a, 1, 0x0a, 0x0a, 0x0a, 0x0a]);
    expect(types.slice(6).every((t) => t === 6)).toBe(true);
  });

  it('without keys: no secrets, nothing held back (packets leave as their records arrive)', () => {
    const stage = new CaptureStage({ startMs: 0, packets: true, keys: false });
    const upTo = TLS13.indexOf("dumping 'input record from network'");
    stage.push(TLS13.subarray(0, TLS13.indexOf('\n', TLS13.indexOf('|2| <= read record', upTo)) + 1), 0);
    const types = blocks(stage.take()).map((b) => b.type);
    // ClientHello and ServerHello: SYN, SYN-ACK, ACK and two records.
    expect(types).toEqual([0x0a0d0d0a, 1, 6, 6, 6, 6, 6]);
    expect(stage.keylog.lines).toEqual([]);
  });

  it('one TCP stream per context: two interleaved handshakes, each with its own ports and keys', () => {
    const a = withContext(TLS13, '0x2000a000');
    const b = withContext(TLS12, '0x2000b000');
    const mixed: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) mixed.push(a[i]!);
      if (i < b.length) mixed.push(b[i]!);
    }
    const { stage, file } = exportWhole([Buffer.from(mixed.join('\n'))]);
    const packets = blocks(file).filter((x) => x.type === 6).map((x) => x.body.subarray(20));
    const ports = new Set(packets.map((p) => new DataView(p.buffer, p.byteOffset).getUint16(34)));
    // client ports 50000 and 50001, server ports 4433 and 25435 (the `Connecting to` lines)
    expect([...ports].filter((p) => p >= 50000).sort()).toEqual([50000, 50001]);
    // grep -c 'output record: \|input record: ' on both logs: 14 + 17, plus two TCP handshakes
    expect(stage.records).toBe(31);
    expect(stage.packets).toBe(37);
    expect(stage.keylog.lines.map((l) => l.split(' ')[0]).sort()).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_RANDOM', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']);
  });

  it('a server named but not addressed: 192.0.2.1 stands in, port 8883, and the SYN says so', () => {
    // The Infineon MQTT example names the broker without a port (test/fixtures/mqtt/device-mqtt.log).
    const log = TLS13.toString('utf8').replace('  . Connecting to tcp/127.0.0.1/25435... ok', "'psoc-edge-mqtt-client4711' connecting to MQTT broker 'broker.bench.local'...");
    const syn = blocks(exportWhole([Buffer.from(log)]).file).find((b) => b.type === 6)!;
    const frame = syn.body.subarray(20, 20 + 54);
    expect(Array.from(frame.subarray(30, 34))).toEqual([192, 0, 2, 1]);
    expect(new DataView(frame.buffer, frame.byteOffset).getUint16(36)).toBe(8883);
    expect(Buffer.from(syn.body).toString('latin1')).toContain('the log names the server broker.bench.local, not its address; 192.0.2.1 stands in');
  });

  it('a record announced twice (a non-blocking read returned WANT_READ in between) is one packet for both lines', () => {
    // sed -n 163,164p recordings/tls13_gcm_debug4_ok.log: `input record: … msglen = 122` (seq 162), then `=> fetch input`
    const lines = TLS13.toString('utf8').split('\n');
    expect(lines[162]).toContain('input record: msgtype = 22, version = [0x303], msglen = 122');
    const again = [...lines.slice(0, 164), 'ssl_msg.c:2329: |2| ssl->f_recv(_timeout)() returned -26880 (-0x6900)', lines[162]!, ...lines.slice(164)];
    const { stage } = exportWhole([Buffer.from(again.join('\n'))]);
    expect(stage.records).toBe(14);
    expect(stage.damaged).toBe(0);
    expect(stage.packetOf(162)).toBe(5);
    expect(stage.packetOf(165)).toBe(5);
  });

  it('a record whose read failed is given up at the error line: nothing waits for it (NDJSON does not stall)', () => {
    // The TLS 1.3 log cut after its first `input record:` line (seq 162), then the connection drops.
    const lines = TLS13.toString('utf8').split('\n').slice(0, 163);
    const stage = new CaptureStage({ startMs: 0, packets: true, keys: true });
    stage.push(Buffer.from(lines.join('\n') + '\n'), 0);
    expect(stage.isPending(162)).toBe(true);
    stage.push(Buffer.from('ssl_msg.c:2164: |1| mbedtls_ssl_fetch_input() returned -29312 (-0x7280)\n'), 1);
    expect(stage.isPending(162)).toBe(false);
    expect(stage.packetOf(162)).toBeUndefined();
    expect(stage.damaged).toBe(0);
  });

  it('a new attempt on the same context is a new stream', () => {
    const { stage, file } = exportWhole([Buffer.concat([TLS12, Buffer.from('\n'), TLS12])]);
    const syns = blocks(file).filter((x) => x.type === 6 && x.body[20 + 47] === 0x02);
    expect(syns).toHaveLength(2);
    expect(stage.records).toBe(34);
  });

  it('property: any text, dump-like or not, never throws and gives a file of whole blocks', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('=> handshake', '<= handshake', '<= read record', 'output record: msgtype = 22, version = [3:3], msglen = 5', '  . Connecting to tcp/10.0.0.7/99999... ok'),
      fc.tuple(fc.constantFrom('output record sent to network', 'input record from network', 'master secret', 'client hello, random bytes'), fc.nat(70000)).map(([n, l]) => `dumping '${n}' (${l} bytes)`),
      fc.tuple(fc.nat(0xffff), fc.uint8Array({ maxLength: 16 })).map(([o, b]) => `${o.toString(16).padStart(4, '0')}:  ${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ')}`),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('', '0x1: ', '0x2: '), piece), { maxLength: 60 }), (lines) => {
        const text = lines.map(([ctx, body]) => `ssl_msg.c:1234: |4| ${ctx}${body}`).join('\n');
        const { file } = exportWhole([Buffer.from(text)]);
        const bs = blocks(file);
        expect(bs.reduce((n, b) => n + b.body.length + 12, 0)).toBe(file.length);
      }),
      { numRuns: 300 },
    );
  });

  it('names the packet of each record line, and says which are still to come', () => {
    const stage = new CaptureStage({ startMs: 0, packets: true, keys: false });
    // sed -n 100,101p recordings/tls13_gcm_debug4_ok.log: `output record:` (seq 99), then its dump
    const headerEnd = TLS13.indexOf('\n', TLS13.indexOf("dumping 'output record sent to network'")) + 1;
    stage.push(TLS13.subarray(0, headerEnd), 0);
    expect(stage.isPending(99)).toBe(true);
    expect(stage.packetOf(99)).toBeUndefined();
    stage.push(TLS13.subarray(headerEnd), 0);
    stage.flush(0);
    expect(stage.isPending(99)).toBe(false);
    expect(stage.packetOf(99)).toBe(4);
  });
});

const dump = (name: string, bytes: number[], extra: Partial<DumpBytes> = {}): DumpBytes => ({
  kind: 'tls.dump.bytes', t: 0, line: 0, endLine: 0, ctx: null, name, length: bytes.length, bytes: Uint8Array.from(bytes),
  truncated: false, missing: 0, redacted: false, ...extra,
});

describe('KeyLog', () => {
  const random = Array.from({ length: 32 }, (_, i) => i);
  const secret = Array.from({ length: 32 }, () => 0xab);

  it('waits for the client random when a secret comes first', () => {
    const k = new KeyLog();
    expect(k.dump(dump('Server handshake traffic secret', secret))).toEqual([]);
    expect(k.dump(dump('client hello, random bytes', random))).toEqual([`SERVER_HANDSHAKE_TRAFFIC_SECRET ${Buffer.from(random).toString('hex')} ${'ab'.repeat(32)}`]);
  });

  it('takes the random from the ClientHello record when no random dump was printed', () => {
    const k = new KeyLog();
    const hello = [22, 3, 1, 0, 100, 1, 0, 0, 96, 3, 3, ...random, 0];
    expect(k.clientHello(null, Uint8Array.from(hello))).toEqual([]);
    expect(k.dump(dump('master secret', Array(48).fill(1)))).toEqual([`CLIENT_RANDOM ${Buffer.from(random).toString('hex')} ${'01'.repeat(48)}`]);
  });

  it("ignores TLS 1.3's `Master secret` and counts redacted and damaged secrets", () => {
    const k = new KeyLog();
    k.dump(dump('client hello, random bytes', random));
    expect(k.dump(dump('Master secret', secret))).toEqual([]);
    expect(k.dump(dump('master secret', Array(48).fill(0), { redacted: true, missing: 48 }))).toEqual([]);
    expect(k.dump(dump('Client application traffic secret', secret, { missing: 16 }))).toEqual([]);
    expect([k.redacted, k.damaged, k.lines.length]).toEqual([1, 1, 0]);
  });
});

describe('PacketAnnotator', () => {
  it('holds a record whose packet is still to come, and what follows it, in order', () => {
    const pending = new Set([10]);
    const packets = new Map<number, number>();
    const out: unknown[] = [];
    const a = new PacketAnnotator({ isPending: (l) => pending.has(l), packetOf: (l) => packets.get(l) }, (e) => out.push(e));
    a.event({ kind: 'tls.state', line: 9 });
    a.event({ kind: 'tls.record', line: 10 });
    a.event({ kind: 'tls.state', line: 11 });
    a.release();
    expect(out).toEqual([{ kind: 'tls.state', line: 9 }]);
    pending.delete(10);
    packets.set(10, 4);
    a.release();
    expect(out).toEqual([{ kind: 'tls.state', line: 9 }, { kind: 'tls.record', line: 10, packet: 4 }, { kind: 'tls.state', line: 11 }]);
  });
});

describe('the snapshot names the packet of each record the records pane shows', () => {
  it('RecordView.line → snapshot.capture.packetOf, in the order of the capture', async () => {
    const { createSession } = await import('../../src/session/create-session.ts');
    const session = createSession({ source: { type: 'file', name: 'tls12' }, diagnosis: null });
    const stage = new CaptureStage({ startMs: 0, packets: true, keys: true });
    session.setCapture(stage);
    stage.push(TLS12, 0);
    session.feed(TLS12, 0);
    stage.flush(0);
    session.end(0);
    const snap = session.getSnapshot();
    const records = snap.handshakes.flatMap((h) => h.recordList);
    // The handshake's records (awk between `=> handshake` and `<= handshake`: 14 of the 17) all have a packet,
    // numbered after SYN, SYN-ACK, ACK in the order they crossed.
    expect(records).toHaveLength(14);
    expect(records.map((r) => snap.capture!.packetOf(r.line))).toEqual(records.map((_, i) => 4 + i));
  });
});
