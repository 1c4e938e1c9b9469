// Every recording fed whole through MbedtlsParser, checked against facts worked out by hand
// with grep/awk on recordings/*.log (the command for each column is in the comment above it).
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../parsers/events.ts';
import { ofKind, recording, run } from './mbedtls-helpers.ts';

interface Facts {
  file: string;
  /** build version banner: `grep 'build version' F` */
  mbedtls: '2.28' | '3.6';
  /**
   * Steps: `grep -c 'client state: ' F`. (Before step semantics this counted the `handshake state:`
   * lines too; those are now tls.transition events, counted in `transitions`.)
   */
  states: number;
  /** distinct step names/numbers: `grep 'client state: ' F | awk '{print $NF}' | sort -u | wc -l` */
  distinctStates: number;
  /** `grep -c 'handshake state: ' F` */
  transitions: number;
  /**
   * Records between `|2| => handshake` and `|2| <= handshake`:
   * awk '/\|2\| => handshake$/{h=1} /\|2\| <= handshake$/{h=0} h&&/input record:/{…count, max msglen…} h&&/output record:/{…}' F
   */
  recordsIn: [count: number, maxLength: number];
  recordsOut: [count: number, maxLength: number];
  /** all records in the file: `grep -c 'input record:' F`, `grep -c 'output record:' F` */
  allRecords: [inCount: number, outCount: number];
  /** `grep 'chosen ciphersuite' F` (or `[ Ciphersuite is … ]` at debug level 2) */
  chosen: { id: number | null; name: string } | null;
  /** `grep 'Protocol is' F`; the parser knows it earlier (chosen suite / `=> parse server hello`) */
  tlsVersion: '1.2' | '1.3';
  /** `grep 'got an alert message\|send alert level=' F` */
  alerts: Array<[direction: 'received' | 'sent', level: number, description: number]>;
  /** `grep '() returned -[1-9]' F` */
  errors: Array<[fn: string, hex: string]>;
  /** `grep 'mbedtls_ssl_handshake returned' F` */
  platformFailed: string | null;
  /** `grep 'verification flags' F` */
  verifyFlags: number[];
  /** `grep -A5 'peer certificate #' F | grep 'subject name\|issuer name'` */
  peer: { subject: string; issuer: string } | null;
  /** `grep -c 'handshake message: msglen' F`; none is fragmented (all `sole handshake fragment`) */
  hsmsgs: number;
  /**
   * `grep -c "dumping '" F`; truncated (> 4096 bytes):
   * grep -o "dumping '[^']*' ([0-9]* bytes)" F | sed -E 's/.*\(([0-9]+) bytes\)/\1/' | awk '$1>4096' | wc -l
   */
  dumps: [count: number, truncated: number];
  /** `grep -c 'add ciphersuite' F` */
  offered: number;
}

const CORPUS: Facts[] = [
  {
    file: 'm228_tls12_mtls_ok.log', mbedtls: '2.28', states: 17, distinctStates: 16, transitions: 0,
    recordsIn: [8, 634], recordsOut: [6, 456], allRecords: [12, 8],
    chosen: { id: 0xcca9, name: 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256' }, tlsVersion: '1.2',
    alerts: [['sent', 1, 0]], errors: [], platformFailed: null, verifyFlags: [0],
    peer: { subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench' }, hsmsgs: 7, dumps: [15, 0], offered: 79,
  },
  {
    file: 'psa_tls12_opaque_ok.log', mbedtls: '3.6', states: 17, distinctStates: 16, transitions: 18,
    recordsIn: [8, 634], recordsOut: [6, 456], allRecords: [9, 8],
    chosen: { id: 0xc02b, name: 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256' }, tlsVersion: '1.2',
    alerts: [['sent', 1, 0]], errors: [], platformFailed: null, verifyFlags: [0],
    peer: { subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench' }, hsmsgs: 7, dumps: [22, 0], offered: 1,
  },
  {
    file: 'tls12_gcm_debug4_ok.log', mbedtls: '3.6', states: 17, distinctStates: 16, transitions: 18,
    recordsIn: [8, 634], recordsOut: [6, 456], allRecords: [9, 8],
    chosen: { id: 0xc02b, name: 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256' }, tlsVersion: '1.2',
    alerts: [['sent', 1, 0]], errors: [], platformFailed: null, verifyFlags: [0],
    peer: { subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench' }, hsmsgs: 7, dumps: [80, 2], offered: 1,
  },
  {
    file: 'tls12_no_shared_cipher.log', mbedtls: '3.6', states: 3, distinctStates: 3, transitions: 2,
    recordsIn: [1, 2], recordsOut: [1, 125], allRecords: [1, 1],
    chosen: null, tlsVersion: '1.2',
    alerts: [['received', 2, 40]],
    errors: [['mbedtls_ssl_handle_message_type', '-0x7780'], ['mbedtls_ssl_read_record', '-0x7780']],
    platformFailed: '-0x7780', verifyFlags: [], peer: null, hsmsgs: 0, dumps: [4, 0], offered: 1,
  },
  {
    // debug level 2: no records, no suite lines; ssl_client2 names the suite after the handshake.
    file: 'tls12_rsa_server_ok.log', mbedtls: '3.6', states: 17, distinctStates: 16, transitions: 0,
    recordsIn: [0, 0], recordsOut: [0, 0], allRecords: [0, 0],
    chosen: { id: 0xcca8, name: 'TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256' }, tlsVersion: '1.2',
    alerts: [], errors: [], platformFailed: null, verifyFlags: [], peer: null, hsmsgs: 0, dumps: [0, 0], offered: 0,
  },
  {
    file: 'tls12_server_untrusted.log', mbedtls: '3.6', states: 4, distinctStates: 4, transitions: 3,
    recordsIn: [2, 426], recordsOut: [2, 329], allRecords: [2, 2],
    chosen: { id: 0xcca9, name: 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256' }, tlsVersion: '1.2',
    alerts: [['sent', 2, 48]], errors: [['x509_verify_cert', '-0x2700']], platformFailed: '-0x2700', verifyFlags: [8],
    peer: { subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench' }, hsmsgs: 2, dumps: [7, 0], offered: 103,
  },
  {
    file: 'tls13_mtls_ok.log', mbedtls: '3.6', states: 14, distinctStates: 14, transitions: 14,
    recordsIn: [7, 446], recordsOut: [5, 480], allRecords: [10, 7],
    chosen: { id: 0x1303, name: 'TLS1-3-CHACHA20-POLY1305-SHA256' }, tlsVersion: '1.3',
    alerts: [['sent', 1, 0]], errors: [], platformFailed: null, verifyFlags: [0],
    peer: { subject: 'CN=localhost', issuer: 'CN=Bench Test CA, O=Bench' }, hsmsgs: 8, dumps: [21, 0], offered: 108,
  },
];

function recordsInHandshake(events: readonly DeviceEvent[], direction: 'in' | 'out'): [number, number] {
  let inside = false;
  let count = 0;
  let max = 0;
  for (const e of events) {
    if (e.kind === 'tls.handshake.begin') inside = true;
    else if (e.kind === 'tls.handshake.end') inside = false;
    else if (inside && e.kind === 'tls.record' && e.direction === direction) {
      count++;
      max = Math.max(max, e.length);
    }
  }
  return [count, max];
}

describe.each(CORPUS)('$file', (f) => {
  const events = run(recording(f.file));

  it('has one handshake and names the mbedTLS version once', () => {
    expect(ofKind(events, 'tls.handshake.begin')).toHaveLength(1);
    expect(ofKind(events, 'tls.handshake.end')).toHaveLength(1);
    expect(ofKind(events, 'tls.mbedtls_version').map((e) => e.version)).toEqual([f.mbedtls]);
  });

  it('reports every state line, with known names only', () => {
    const states = ofKind(events, 'tls.state');
    expect(states).toHaveLength(f.states);
    expect(new Set(states.map((s) => s.state)).size).toBe(f.distinctStates);
    expect(ofKind(events, 'tls.transition')).toHaveLength(f.transitions);
    expect(ofKind(events, 'tls.anomaly')).toEqual([]);
  });

  it('counts records in the handshake and in the whole log', () => {
    expect(recordsInHandshake(events, 'in')).toEqual(f.recordsIn);
    expect(recordsInHandshake(events, 'out')).toEqual(f.recordsOut);
    const records = ofKind(events, 'tls.record');
    expect([records.filter((r) => r.direction === 'in').length, records.filter((r) => r.direction === 'out').length]).toEqual(f.allRecords);
  });

  it('names the chosen suite once and the TLS version once', () => {
    const chosen = ofKind(events, 'tls.ciphersuite.chosen');
    expect(chosen.map((c) => ({ id: c.id, name: c.name }))).toEqual(f.chosen ? [f.chosen] : []);
    expect(ofKind(events, 'tls.version').map((v) => v.version)).toEqual([f.tlsVersion]);
    expect(ofKind(events, 'tls.ciphersuite.offered')).toHaveLength(f.offered);
  });

  it('reports alerts, errors and the platform failure', () => {
    expect(ofKind(events, 'tls.alert').map((a) => [a.direction, a.level, a.description])).toEqual(f.alerts);
    expect(ofKind(events, 'tls.error').map((e) => [e.fn, e.error.hex])).toEqual(f.errors);
    expect(ofKind(events, 'tls.platform.failed').map((e) => e.error.hex)).toEqual(f.platformFailed ? [f.platformFailed] : []);
    expect(ofKind(events, 'tls.platform.ok')).toEqual([]);
  });

  it('reads verify flags and the peer certificate', () => {
    expect(ofKind(events, 'tls.verify_flags').map((v) => v.flags)).toEqual(f.verifyFlags);
    const peers = ofKind(events, 'tls.peer_certificate');
    expect(peers.map((p) => ({ subject: p.subject, issuer: p.issuer }))).toEqual(f.peer ? [f.peer] : []);
    for (const p of peers) expect(p.truncated).toBe(false);
  });

  it('sees handshake messages unfragmented and hex dumps with their truncation', () => {
    const hs = ofKind(events, 'tls.hsmsg');
    expect(hs).toHaveLength(f.hsmsgs);
    expect(hs.every((h) => h.fragment === 'sole')).toBe(true);
    const dumps = ofKind(events, 'tls.hexdump');
    expect([dumps.length, dumps.filter((d) => d.truncated).length]).toEqual(f.dumps);
  });
});

describe('m228_tls12_mtls_ok.log MFL', () => {
  it('offers MFL (bytes not printed by 2.28), sees it negotiated, then 2048 from ssl_client2', () => {
    // grep -n 'max_fragment_length\|Maximum input fragment' recordings/m228_tls12_mtls_ok.log → lines 111, 158, 568
    const mfl = ofKind(run(recording('m228_tls12_mtls_ok.log')), 'tls.mfl');
    expect(mfl.map((m) => [m.stage, m.bytes, m.line + 1])).toEqual([['offered', null, 111], ['negotiated', null, 158], ['negotiated', 2048, 568]]);
  });

  it('maps the 2.x state numbers 0-15 in order, 12 twice (ticket parsed inside SERVER_CHANGE_CIPHER_SPEC)', () => {
    // grep -o 'client state: [0-9]*' recordings/m228_tls12_mtls_ok.log
    const numbers = ofKind(run(recording('m228_tls12_mtls_ok.log')), 'tls.state').map((s) => s.number);
    expect(numbers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15]);
  });
});

describe('no MFL in the 3.6 recordings', () => {
  it.each(CORPUS.filter((f) => f.mbedtls === '3.6').map((f) => f.file))('%s: `ClientHello: max_fragment_length(1) extension does not exist.` yields nothing', (file) => {
    expect(ofKind(run(recording(file)), 'tls.mfl')).toEqual([]);
  });
});
