/**
 * `hsmon export` read by the real tshark: each debug-4 recording exported to pcapng with its
 * key log, then checked by Wireshark's own dissectors (checksums, TCP, TLS decryption), by the
 * key log the OpenSSL server wrote in the same run, and by hsmon's own NDJSON and summary.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../parsers/secrets.ts';
import { hsmon } from '../helpers/cli.ts';
import { withRecordAfterTruncated } from '../export/synth-log.ts';

const hasTshark = spawnSync('tshark', ['-v']).status === 0;
if (!hasTshark) console.warn('test/e2e/export.test.ts skipped: tshark is not installed (apt-get install tshark)');

const dir = mkdtempSync(join(tmpdir(), 'hsmon-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tshark's output; its stderr without the note it prints when run as root. */
function tshark(args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  const err = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Running as user "root"')).join('\n');
  return { out: r.stdout, err, status: r.status };
}

function fields(file: string, names: string[], extra: string[] = []): string[][] {
  const r = tshark(['-r', file, ...extra, '-T', 'fields', ...names.flatMap((n) => ['-e', n])]);
  expect(r.err).toBe('');
  return r.out.trimEnd().split('\n').map((l) => l.split('\t'));
}

/** Handshake message names as hsmon prints them, and their types (RFC 5246 §7.4, RFC 8446 §4). */
const TYPE_OF_MESSAGE: Record<string, number> = {
  ClientHello: 1, ServerHello: 2, NewSessionTicket: 4, EncryptedExtensions: 8, Certificate: 11, ServerKeyExchange: 12,
  CertificateRequest: 13, ServerHelloDone: 14, CertificateVerify: 15, ClientKeyExchange: 16, Finished: 20,
};

const keyLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

/** TLS 1.2 PRF with SHA-256 (RFC 5246 §5). */
function prf(secret: Buffer, label: string, seed: Buffer, n: number): Buffer {
  const s = Buffer.concat([Buffer.from(label), seed]);
  let a = s;
  const out: Buffer[] = [];
  let len = 0;
  while (len < n) {
    a = createHmac('sha256', secret).update(a).digest();
    const p = createHmac('sha256', secret).update(Buffer.concat([a, s])).digest();
    out.push(p);
    len += p.length;
  }
  return Buffer.concat(out).subarray(0, n);
}

/** The bytes of the dump named `name` in a log, read with a regex (as `grep -A3 "dumping 'NAME'"`). */
function dumpOf(log: string, name: string): Buffer {
  const lines = log.split('\n');
  const i = lines.findIndex((l) => l.includes(`dumping '${name}'`));
  const n = Number(/\((\d+) bytes\)/.exec(lines[i]!)![1]);
  const hex = lines.slice(i + 1, i + 1 + Math.ceil(n / 16)).map((l) => /[0-9a-f]{4}: ((?: [0-9a-f]{2})+)/.exec(l)![1]!.replace(/ /g, '')).join('');
  return Buffer.from(hex, 'hex');
}

const CASES = [
  { file: 'tls12_cbc_debug4_ok.log', tls: '1.2', serverKeylog: true },
  { file: 'tls12_gcm_debug4_ok.log', tls: '1.2', serverKeylog: false },
  { file: 'tls13_gcm_debug4_ok.log', tls: '1.3', serverKeylog: true },
];

describe.skipIf(!hasTshark)('hsmon export, read by tshark', () => {
  describe.each(CASES)('$file', ({ file, tls, serverKeylog }) => {
    const pcap = join(dir, `${file}.pcapng`);
    const keys = join(dir, `${file}.keys`);
    const log = readFileSync(`recordings/${file}`, 'utf8');
    let run: Awaited<ReturnType<typeof hsmon>>;
    let ndjson: Array<Record<string, unknown>>;

    it('writes the capture and the key log, mode 0600, and says they hold the keys', async () => {
      run = await hsmon(['export', `recordings/${file}`, '--pcapng', pcap, '--keylog', keys, '--json']);
      expect(run.code).toBe(0);
      expect(statSync(pcap).mode & 0o777).toBe(0o600);
      expect(statSync(keys).mode & 0o777).toBe(0o600);
      expect(run.stderr).toContain(`${pcap} will hold the TLS session keys`);
      expect(run.stderr).toContain(`${keys} will hold the TLS session keys`);
      ndjson = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(ndjson.at(-1)!['kind']).toBe('summary');
      // The key log never leaks into the NDJSON: the session still redacts (no --no-redact).
      for (const line of keyLines(readFileSync(keys, 'utf8'))) expect(run.stdout).not.toContain(line.split(' ')[2]!);
    });

    it('prints NDJSON that `hsmon schema` accepts, `packet` included', async () => {
      const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse((await hsmon(['schema'])).stdout));
      for (const e of ndjson) expect(validate(e), JSON.stringify(e).slice(0, 200)).toBe(true);
      const record = ndjson.find((e) => e['kind'] === 'tls.record')!;
      expect(record['packet']).toBe(4); // after SYN, SYN-ACK, ACK
      expect(validate({ ...record, packet: 0 })).toBe(false);
    });

    it('tshark reads it with no error and no expert warning, checksums verified', () => {
      const r = tshark(['-r', pcap, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-q', '-z', 'expert']);
      expect(r.status).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).not.toMatch(/^(Errors|Warns) \(/m);
      expect(r.out).toContain('Connection establish request (SYN)');
    });

    it('names, for every tls.record hsmon printed, the frame tshark shows it in', () => {
      const records = ndjson.filter((e) => e['kind'] === 'tls.record');
      // grep -c 'output record: \|input record: ' recordings/F
      expect(records.length).toBe((log.match(/(output|input) record: /g) ?? []).length);
      const frames = new Map(fields(pcap, ['frame.number', 'tcp.srcport', 'tls.record.length']).map(([n, port, len]) => [Number(n), { port, len }]));
      const tlsFrames = [...frames].filter(([, f]) => f.len !== '').map(([n]) => n);
      expect(records.map((r) => r['packet'])).toEqual(tlsFrames);
      for (const r of records) {
        const f = frames.get(r['packet'] as number)!;
        expect(f.port === '50000' ? 'out' : 'in').toBe(r['direction']);
        expect(Number(f.len)).toBe(r['length']);
      }
    });

    it("shows, record by record, the handshake messages hsmon names, in the order of its summary's steps; both Finished decrypted", () => {
      const summary = ndjson.at(-1) as { handshakes: { states: string[]; tlsVersion: string }[] };
      expect(summary.handshakes).toHaveLength(1);
      expect(summary.handshakes[0]!.tlsVersion).toBe(tls);
      const typesOf = new Map(fields(pcap, ['frame.number', 'tls.handshake.type']).map(([n, t]) => [Number(n), t ? t.split(',').map(Number) : []]));
      const records = ndjson.filter((e) => e['kind'] === 'tls.record') as { packet: number; messages?: string[]; state: string }[];
      for (const r of records) expect(typesOf.get(r.packet), `packet ${r.packet}`).toEqual((r.messages ?? []).map((m) => TYPE_OF_MESSAGE[m]));
      // The records of the handshake come in the order of the steps the summary lists.
      const steps = summary.handshakes[0]!.states;
      const order = records.map((r) => steps.indexOf(r.state)).filter((i) => i >= 0);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order.length).toBeGreaterThan(8);
      const all = [...typesOf.values()].flat();
      expect(all.filter((t) => t === 20)).toHaveLength(2);
      expect(all.slice(0, 2)).toEqual([1, 2]);
    });

    it('decrypts the application data both ways and the closing alert', () => {
      // ssl_client2 sends `GET / HTTP/1.0`: grep -c 'GET / HTTP/1.0' recordings/F
      const get = fields(pcap, ['frame.number', 'http.request.method'], ['-Y', 'http.request']);
      expect(get.map(([, m]) => m)).toEqual(['GET']);
      const alert = fields(pcap, ['tls.alert_message.desc'], ['-Y', 'tls.alert_message']);
      expect(alert.map(([d]) => d)).toEqual(['0']); // close_notify, encrypted
      // The server's answer: decrypted (with the option when its record was cut at 4096 bytes).
      const answer = tshark(['-r', pcap, '-o', 'tls.ignore_ssl_mac_failed:TRUE', '-x', '-Y', 'tcp.srcport != 50000 && tls.record.content_type == 23 || tls.record.opaque_type == 23']);
      expect(answer.out).toMatch(/Decrypted TLS \(\d+ bytes\)/);
    });

    // Checked against the server's key log where the corpus has one, else against the log itself.
    const keyCheck = serverKeylog
      ? "writes the server's key log lines, one for one (the server's EXPORTER_SECRET aside)"
      : 'writes a CLIENT_RANDOM line whose secret expands to the key block the device dumped';
    it(keyCheck, () => {
      if (serverKeylog) checkAgainstServer();
      else checkAgainstKeyBlock();
    });

    function checkAgainstServer(): void {
      const ours = keyLines(readFileSync(keys, 'utf8'));
      const server = keyLines(readFileSync(`recordings/${file.replace('.log', '.server.keylog')}`, 'utf8'));
      // mbedTLS prints no exporter secret (ssl_tls13_keys.c dumps only the four traffic secrets).
      const comparable = server.filter((l) => !l.startsWith('EXPORTER_SECRET '));
      expect([...ours].sort()).toEqual([...comparable].sort());
      expect(ours.length).toBe(tls === '1.3' ? 4 : 1);
    }

    function checkAgainstKeyBlock(): void {
      // No server key log in the corpus for this run: the line is checked against the log itself.
      // The TLS 1.2 key expansion (RFC 5246 §6.3) of the master secret with the server and
      // client randoms must give the `key block` mbedTLS dumped (its first 40 bytes: AES-128-GCM
      // keys and IVs); a wrong secret or a random of another handshake cannot.
      const [line, ...rest] = keyLines(readFileSync(keys, 'utf8'));
      expect(rest).toEqual([]);
      const [label, random, secret] = line!.split(' ');
      expect(label).toBe('CLIENT_RANDOM');
      expect(random).toBe(dumpOf(log, 'client hello, random bytes').toString('hex'));
      // And the server's own view: s_server -www sends the session back, `Master-Key: …`, which
      // ssl_client2 printed: grep -n '^ *Master-Key:' recordings/tls12_gcm_debug4_ok.log (line 1527).
      expect(secret).toBe(/^ *Master-Key: ([0-9A-F]{96})$/m.exec(log)![1]!.toLowerCase());
      const expanded = prf(Buffer.from(secret!, 'hex'), 'key expansion', Buffer.concat([dumpOf(log, 'server hello, random bytes'), Buffer.from(random!, 'hex')]), 40);
      expect(expanded.toString('hex')).toBe(dumpOf(log, 'key block').subarray(0, 40).toString('hex'));
    }
  });

  it('zero-fills a record cut at 4096 bytes, comments it, prints the option, and the next record decrypts with it', async () => {
    const marker = 'hsmon-after-truncated: the record after one cut at 4096 bytes';
    const synth = withRecordAfterTruncated(readFileSync('recordings/tls12_gcm_debug4_ok.log', 'utf8'), `${marker}\n`);
    const logFile = join(dir, 'truncated.log');
    writeFileSync(logFile, synth.text);
    const pcap = join(dir, 'truncated.pcapng');
    const r = await hsmon(['export', logFile, '--pcapng', pcap]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`tshark -o tls.ignore_ssl_mac_failed:TRUE -r ${pcap}`);
    // sed -n 940p recordings/tls12_gcm_debug4_ok.log: `input record: … msglen = 6272`, dumped as 6277 bytes
    const cut = fields(pcap, ['frame.number', 'tcp.len', 'tls.record.length', 'frame.comment'], ['-Y', 'frame.comment']);
    expect(cut).toHaveLength(1);
    expect(cut[0]!.slice(1, 3)).toEqual(['6277', '6272']);
    expect(cut[0]![3]).toContain('held 4096 of this record\'s 6277 bytes');
    const next = String(Number(cut[0]![0]) + 1);
    const without = tshark(['-r', pcap, '-x', '-Y', `frame.number == ${next}`]);
    expect(without.out).not.toContain('hsmon-after-trun');
    const withOption = tshark(['-r', pcap, '-o', 'tls.ignore_ssl_mac_failed:TRUE', '-x', '-Y', `frame.number == ${next}`]);
    expect(withOption.err).toBe('');
    expect(withOption.out).toMatch(/Decrypted TLS \(\d+ bytes\)/);
    expect(withOption.out).toContain('hsmon-after-trun');
  });

  it('a record whose dump was lost on the UART is zero-filled behind its header, and the records after it decrypt with the option', async () => {
    // Lines 664-667 of recordings/tls12_gcm_debug4_ok.log are the dump of the client's Finished
    // (`output record: msgtype = 22, … msglen = 40` on line 663: sed -n 663,668p); drop them.
    const lines = readFileSync('recordings/tls12_gcm_debug4_ok.log', 'utf8').split('\n');
    expect(lines[662]).toContain('output record: msgtype = 22, version = [3:3], msglen = 40');
    expect(lines[663]).toContain("dumping 'output record sent to network' (45 bytes)");
    const logFile = join(dir, 'lost-dump.log');
    writeFileSync(logFile, [...lines.slice(0, 663), ...lines.slice(667)].join('\n'));
    const pcap = join(dir, 'lost-dump.pcapng');
    const r = await hsmon(['export', logFile, '--pcapng', pcap, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`1 record(s) were not wholly in the log`);
    expect(r.stderr).toContain(`tshark -o tls.ignore_ssl_mac_failed:TRUE -r ${pcap}`);
    const lost = fields(pcap, ['frame.number', 'tls.record.length', 'frame.comment'], ['-Y', 'frame.comment contains "no dump"']);
    expect(lost.map(([, len, c]) => [len, c])).toEqual([['40', 'hsmon: line 662 announced this record, but the log holds no dump of it; zero-filled behind its header']]);
    // The NDJSON record of line 662 names that packet.
    const record = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e['kind'] === 'tls.record' && e['line'] === 662)!;
    expect(record['packet']).toBe(Number(lost[0]![0]));
    const get = (extra: string[]) => fields(pcap, ['http.request.method'], [...extra, '-Y', 'http.request']).flat().filter(Boolean);
    expect(get([])).toEqual([]);
    expect(get(['-o', 'tls.ignore_ssl_mac_failed:TRUE'])).toEqual(['GET']);
  });

  it('two contexts interleaved line by line (threaded build, %p prefix): two TCP streams, both decrypted', async () => {
    const ctx = (file: string, p: string) => readFileSync(`recordings/${file}`, 'utf8').split('\n').map((l) => l.replace(/(\.[ch]:\d+: \|\d\| )/, `$1${p}: `));
    const a = ctx('tls13_gcm_debug4_ok.log', '0x2000a000');
    const b = ctx('tls12_cbc_debug4_ok.log', '0x2000b000');
    const mixed: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) mixed.push(...(i < a.length ? [a[i]!] : []), ...(i < b.length ? [b[i]!] : []));
    const logFile = join(dir, 'two-contexts.log');
    writeFileSync(logFile, mixed.join('\n'));
    const pcap = join(dir, 'two-contexts.pcapng');
    const r = await hsmon(['export', logFile, '--pcapng', pcap]);
    expect(r.code).toBe(0);
    const streams = fields(pcap, ['tcp.stream', 'tls.handshake.type', 'http.request.method']);
    for (const s of ['0', '1']) {
      const rows = streams.filter(([st]) => st === s);
      expect(rows.flatMap(([, t]) => (t ? t.split(',') : [])).filter((t) => t === '20')).toHaveLength(2);
      expect(rows.map(([, , m]) => m).filter(Boolean)).toEqual(['GET']);
    }
  });

  it("the same session as Infineon's secure-sockets prints it (Windows paths, CRLF, a one-space line after each) decrypts too", async () => {
    // cy_tls.c's debug callback: printf("%s:%04d: %s \n"), with \n → \r\n (device-log-formats.md §cy_tls).
    const cy = readFileSync('recordings/tls13_gcm_debug4_ok.log', 'utf8').split('\n').map((l) => {
      const m = /^(.*?)([a-z0-9_]+\.[ch]):(\d+): \|\d\| (.*)$/.exec(l);
      return m ? `${m[1]}C:/mtw/mtb_shared/ifx-mbedtls/release-v3.6.400/library/${m[2]}:${m[3]}: ${m[4]} \r\n \r\n` : `${l}\r\n`;
    });
    const logFile = join(dir, 'cy_tls.log');
    writeFileSync(logFile, cy.join(''));
    const pcap = join(dir, 'cy_tls.pcapng');
    expect((await hsmon(['export', logFile, '--pcapng', pcap])).code).toBe(0);
    const types = fields(pcap, ['tls.handshake.type']).flatMap(([t]) => (t ? t.split(',').map(Number) : []));
    expect(types).toEqual([1, 2, 8, 11, 15, 20, 20, 4, 4]);
    expect(fields(pcap, ['http.request.method'], ['-Y', 'http.request'])).toEqual([['GET']]);
  });

  it('--keylog alone works from a debug-3 log; --pcapng from it says level 4 is needed', async () => {
    const keys = join(dir, 'psa.keys');
    const r = await hsmon(['export', 'recordings/psa_tls12_opaque_ok.log', '--keylog', keys]);
    expect(r.code).toBe(0);
    const log = readFileSync('recordings/psa_tls12_opaque_ok.log', 'utf8');
    // grep -A3 "dumping 'master secret'" / -A2 "dumping 'client hello, random bytes'" recordings/psa_tls12_opaque_ok.log
    expect(keyLines(readFileSync(keys, 'utf8'))).toEqual([
      `CLIENT_RANDOM ${dumpOf(log, 'client hello, random bytes').toString('hex')} ${dumpOf(log, 'master secret').toString('hex')}`,
    ]);
    // The server's Master-Key, as s_server -www sent it back: grep -n '^ *Master-Key:' (line 660)
    expect(dumpOf(log, 'master secret').toString('hex')).toBe(/^ *Master-Key: ([0-9A-F]{96})$/m.exec(log)![1]!.toLowerCase());
    const p = await hsmon(['export', 'recordings/psa_tls12_opaque_ok.log', '--pcapng', join(dir, 'psa.pcapng')]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("a capture needs the device's mbedTLS debug level 4");
    expect(p.stderr).toContain('--keylog KEYS works from level 3');
  });

  /** A recording as `hsmon monitor` writes it: each line through the redactor unless --no-redact, a line per ms. */
  function castOf(file: string, redact: boolean): string {
    const redactor = new SecretRedactor();
    const text = readFileSync(`recordings/${file}`, 'utf8').split('\n').map((l) => (redact ? redactor.redact(l).text : l));
    const header = { version: 2, width: 120, height: 40, timestamp: 1795357988, hsmon: { version: 1, source: '/dev/ttyACM0', baud: 115200, redacted: redact } };
    const cast = join(dir, `${file}.${redact ? 'redacted' : 'clear'}.cast`);
    writeFileSync(cast, [JSON.stringify(header), ...text.map((l, i) => JSON.stringify([i / 1000, 'o', `${l}\n`]))].join('\n') + '\n');
    return cast;
  }

  it('a recording made with redaction gives the capture but not the keys, and says how to record them', async () => {
    const cast = castOf('tls13_gcm_debug4_ok.log', true);
    const pcap = join(dir, 'redacted.pcapng');
    const keys = join(dir, 'redacted.keys');
    const r = await hsmon(['export', cast, '--pcapng', pcap, '--keylog', keys]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('redacted when it was recorded: it gives the capture, not the keys');
    expect(r.stderr).toContain('--no-redact');
    expect(readFileSync(keys, 'utf8')).toBe('');
    const frames = fields(pcap, ['frame.number', 'tls.handshake.type']);
    // ClientHello and ServerHello are in clear; the rest stays encrypted.
    expect(frames.flatMap(([, t]) => (t ? [t] : []))).toEqual(['1', '2']);
  });

  it('a recording made with --no-redact gives the keys, and packet times from its start plus each line\'s time', async () => {
    const cast = castOf('tls13_gcm_debug4_ok.log', false);
    const pcap = join(dir, 'clear.pcapng');
    const r = await hsmon(['export', cast, '--pcapng', pcap]);
    expect(r.code).toBe(0);
    const frames = fields(pcap, ['frame.time_epoch', 'tls.handshake.type'], ['-Y', 'tls.handshake']);
    expect(frames.flatMap(([, t]) => t!.split(','))).toEqual(['1', '2', '8', '11', '15', '20', '20', '4', '4']);
    // The ClientHello's dump starts on line 101 (seq 100, so 0.100 s into this recording):
    // grep -n "dumping 'output record sent to network'" recordings/tls13_gcm_debug4_ok.log | head -1
    expect(Number(frames[0]![0])).toBeCloseTo(1795357988.1, 4);
  });

  it('needs --pcapng or --keylog, and says so in one line', async () => {
    const r = await hsmon(['export', 'recordings/tls13_gcm_debug4_ok.log']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['hsmon: hsmon export needs --pcapng OUT (a Wireshark capture) and/or --keylog KEYS (an NSS key log)']);
  });
});
