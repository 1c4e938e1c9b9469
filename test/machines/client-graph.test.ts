/**
 * The handshake statechart against the mbedTLS client step graphs. The paths below are written
 * out by hand from the sources cited in machines/client-steps.ts (mbedtls v3.6.6, v2.28.10) and
 * from the corpus logs; the test checks that together they use every edge of the graphs, so a
 * graph edge without a real path (or a path the graphs lack) fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { handshakeMachine } from '../../machines/handshake.ts';
import { GRAPHS, REGIONS } from '../../machines/client-steps.ts';
import { handshakeChart } from '../../machines/chart.ts';
import { toMachineEvent } from '../../machines/machine-event.ts';
import type { DeviceEvent } from '../../parsers/events.ts';
import { createSession } from '../../src/session/create-session.ts';
import { run as parse, recording } from '../parsers/mbedtls-helpers.ts';

let seq = 0;
const at = (t: number) => ({ t, line: seq++, ctx: null });
const P = (s: string) => `MBEDTLS_SSL_${s}`;
const step = (s: string, t = 0): DeviceEvent => ({ kind: 'tls.state', state: P(s), number: null, ...at(t) });
const end = (t = 0): DeviceEvent => ({ kind: 'tls.handshake.end', ...at(t) });

function actorFor(events: DeviceEvent[]) {
  const actor = createActor(handshakeMachine, { input: { index: 0, connection: null, t: 0, line: 0 } }).start();
  const values: unknown[] = [];
  for (const e of events) {
    if (actor.getSnapshot().status === 'done') break;
    actor.send(toMachineEvent(e));
    values.push(actor.getSnapshot().value);
  }
  return { snap: actor.getSnapshot(), values, actor };
}

const HELLO = ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO'];
const TLS12_TAIL = ['SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE', 'CERTIFICATE_REQUEST', 'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE',
  'CLIENT_KEY_EXCHANGE', 'CERTIFICATE_VERIFY', 'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED', 'SERVER_CHANGE_CIPHER_SPEC', 'SERVER_FINISHED',
  'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP'];
const TLS13_SERVER = ['ENCRYPTED_EXTENSIONS', 'CERTIFICATE_REQUEST', 'SERVER_CERTIFICATE', 'CERTIFICATE_VERIFY', 'SERVER_FINISHED'];
const TLS13_END = ['CLIENT_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP'];

/** [name, steps, the region the handshake ends in]. */
const PATHS: [string, string[], 'tls12' | 'tls13'][] = [
  // every corpus TLS 1.2 log: grep 'client state' F | awk '{print $NF}' | uniq
  ['TLS 1.2 full handshake (every step runs, skipped ones print `<= skip`)', [...HELLO, ...TLS12_TAIL], 'tls12'],
  // psa_tls12_opaque_ok.log lines 457 and 481: the ticket is read in a second run of the step
  ['TLS 1.2 with a NewSessionTicket: SERVER_CHANGE_CIPHER_SPEC runs twice', [...HELLO, ...TLS12_TAIL.slice(0, 10), 'SERVER_CHANGE_CIPHER_SPEC',
    ...TLS12_TAIL.slice(10)], 'tls12'],
  // ssl_tls12_client.c:1384, ssl_tls.c:8542 and 8407: the server's CCS and Finished come first
  ['TLS 1.2 resumption', [...HELLO, 'SERVER_CHANGE_CIPHER_SPEC', 'SERVER_FINISHED', 'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED',
    'HANDSHAKE_WRAPUP'], 'tls12'],
  // tls13_mtls_ok.log: grep 'client state' | awk '{print $NF}'
  ['TLS 1.3 mutual TLS, compatibility mode', [...HELLO, ...TLS13_SERVER, 'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CERTIFICATE',
    'CLIENT_CERTIFICATE_VERIFY', ...TLS13_END], 'tls13'],
  // tls13_client_cert_required.log: no certificate, so no CertificateVerify (ssl_tls13_client.c:2666)
  ['TLS 1.3 without a client certificate', [...HELLO, ...TLS13_SERVER, 'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CERTIFICATE',
    ...TLS13_END], 'tls13'],
  // without MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE (ssl_tls13_client.c:2627)
  ['TLS 1.3 without compatibility mode', [...HELLO, ...TLS13_SERVER, 'CLIENT_CERTIFICATE', ...TLS13_END], 'tls13'],
  // HelloRetryRequest: ssl_tls13_client.c:2038-2039 then 3149
  ['TLS 1.3 HelloRetryRequest, compatibility mode', [...HELLO, 'CLIENT_CCS_BEFORE_2ND_CLIENT_HELLO', 'CLIENT_HELLO', 'SERVER_HELLO',
    ...TLS13_SERVER, 'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CERTIFICATE', ...TLS13_END], 'tls13'],
  ['TLS 1.3 HelloRetryRequest without compatibility mode', [...HELLO, 'CLIENT_HELLO', 'SERVER_HELLO', ...TLS13_SERVER, 'CLIENT_CERTIFICATE',
    ...TLS13_END], 'tls13'],
  // PSK: ssl_tls13_client.c:2272
  ['TLS 1.3 PSK', [...HELLO, 'ENCRYPTED_EXTENSIONS', 'SERVER_FINISHED', 'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CERTIFICATE',
    ...TLS13_END], 'tls13'],
  // early data: ssl_tls13_client.c:1305, 3164, 2619, 2322
  ['TLS 1.3 early data', ['HELLO_REQUEST', 'CLIENT_HELLO', 'CLIENT_CCS_AFTER_CLIENT_HELLO', 'SERVER_HELLO', 'ENCRYPTED_EXTENSIONS',
    'SERVER_FINISHED', 'END_OF_EARLY_DATA', 'CLIENT_CERTIFICATE', ...TLS13_END], 'tls13'],
];

describe('handshake statechart: every path of the mbedTLS client graphs', () => {
  it.each(PATHS)('%s: no anomaly, ok at `<= handshake`', (_name, steps, region) => {
    const { snap, values } = actorFor([...steps.map((s, i) => step(s, i)), end(steps.length)]);
    expect(snap.context.anomalies).toEqual([]);
    expect(snap.value).toBe('ok');
    expect(snap.context.states).toEqual([...steps.filter((s, i) => s !== steps[i - 1]), 'HANDSHAKE_OVER'].map(P));
    // The step before the end is a node of the version's region, chosen after the ServerHello.
    expect(values.at(-2)).toEqual({ [region]: steps.at(-1) });
  });

  it.each(PATHS)('%s: as one batch, the same node and context as step by step', (_name, steps) => {
    const events = steps.map((s, i) => step(s, i));
    const one = actorFor(events).snap;
    const batched = createActor(handshakeMachine, { input: { index: 0, connection: null, t: 0, line: 0 } }).start();
    batched.send({ type: 'tls.batch', events: events.map(toMachineEvent) });
    expect(batched.getSnapshot().value).toEqual(one.value);
    expect(batched.getSnapshot().context).toEqual(one.context);
  });

  it('the paths use every edge of the graphs', () => {
    const used = new Set<string>();
    for (const [, steps] of PATHS) for (let i = 1; i < steps.length; i++) used.add(`${steps[i - 1]}->${steps[i]}`);
    const edges = REGIONS.flatMap((r) => Object.entries(GRAPHS[r]).flatMap(([from, es]) => es.map((e) => `${from}->${e.to}`)));
    expect(edges.filter((e) => !used.has(e))).toEqual([]);
  });

  it('reads the version region off the step after the ServerHello', () => {
    expect(actorFor([...HELLO, 'SERVER_CERTIFICATE'].map((s) => step(s))).snap.value).toEqual({ tls12: 'SERVER_CERTIFICATE' });
    expect(actorFor([...HELLO, 'ENCRYPTED_EXTENSIONS'].map((s) => step(s))).snap.value).toEqual({ tls13: 'ENCRYPTED_EXTENSIONS' });
  });
});

describe('handshake statechart: what the graph does not allow', () => {
  it('names the steps skipped when lines are lost, and follows the log', () => {
    // SERVER_KEY_EXCHANGE and CERTIFICATE_REQUEST lost between SERVER_CERTIFICATE and SERVER_HELLO_DONE
    const steps = [...HELLO, 'SERVER_CERTIFICATE', 'SERVER_HELLO_DONE', ...TLS12_TAIL.slice(4)];
    const { snap } = actorFor([...steps.map((s) => step(s)), end()]);
    expect(snap.value).toBe('ok');
    expect(snap.context.anomalies).toHaveLength(1);
    const [a] = snap.context.anomalies;
    expect(a!.skipped).toEqual([P('SERVER_KEY_EXCHANGE'), P('CERTIFICATE_REQUEST')]);
    expect(a!.message).toBe('step SERVER_CERTIFICATE -> SERVER_HELLO_DONE skips SERVER_KEY_EXCHANGE, CERTIFICATE_REQUEST: '
      + 'lines lost on the UART (check the baud rate and flow control) or an mbedTLS version hsmon does not know');
  });

  it.each([
    ['a lost step', [...HELLO, 'SERVER_CERTIFICATE', 'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE']],
    ['a late start', ['CLIENT_HELLO', 'SERVER_HELLO']],
    ['a step back and an unknown state', [...HELLO, 'SERVER_CERTIFICATE', 'SERVER_HELLO', 'NO_SUCH_STATE', 'HELLO_RETRY_REQUEST']],
  ])('%s: a batch notes the same anomalies as the node transitions', (_name, steps) => {
    const events = steps.map((s, i) => step(s, i));
    const one = actorFor(events).snap;
    const batched = createActor(handshakeMachine, { input: { index: 0, connection: null, t: 0, line: 0 } }).start();
    batched.send({ type: 'tls.batch', events: events.map(toMachineEvent) });
    expect(one.context.anomalies.length).toBeGreaterThan(0);
    expect(batched.getSnapshot().value).toEqual(one.value);
    expect(batched.getSnapshot().context).toEqual(one.context);
  });

  it('places a lost step in the version already known, across the ServerHello', () => {
    const version: DeviceEvent = { kind: 'tls.version', version: '1.3', ...at(0) };
    const { snap } = actorFor([step('HELLO_REQUEST'), step('CLIENT_HELLO'), version, step('SERVER_CERTIFICATE')]);
    expect(snap.value).toEqual({ tls13: 'SERVER_CERTIFICATE' });
    expect(snap.context.anomalies[0]!.skipped).toEqual(['SERVER_HELLO', 'ENCRYPTED_EXTENSIONS', 'CERTIFICATE_REQUEST'].map(P));
  });

  it('says when a log begins after the first step', () => {
    const { snap } = actorFor([step('CLIENT_HELLO')]);
    expect(snap.value).toEqual({ hello: 'CLIENT_HELLO' });
    expect(snap.context.anomalies.map((a) => a.skipped)).toEqual([[P('HELLO_REQUEST')]]);
  });

  it('notes a state that is no client step and stays where it was', () => {
    const { snap } = actorFor([step('HELLO_REQUEST'), step('CLIENT_HELLO'), step('HELLO_RETRY_REQUEST'), step('NO_SUCH_STATE')]);
    expect(snap.value).toEqual({ hello: 'CLIENT_HELLO' });
    expect(snap.context.anomalies.map((a) => a.message)).toEqual([
      'unknown handshake state MBEDTLS_SSL_HELLO_RETRY_REQUEST', 'unknown handshake state MBEDTLS_SSL_NO_SUCH_STATE']);
  });

  it('keeps the guards and actions swappable with .provide()', () => {
    const quiet = handshakeMachine.provide({ actions: { noteJump: () => {} } });
    const actor = createActor(quiet, { input: { index: 0, connection: null, t: 0, line: 0 } }).start();
    for (const e of [step('HELLO_REQUEST'), step('SERVER_HELLO_DONE')]) actor.send(toMachineEvent(e));
    expect(actor.getSnapshot().value).toEqual({ tls12: 'SERVER_HELLO_DONE' });
    expect(actor.getSnapshot().context.anomalies).toEqual([]);
  });
});

describe('handshake statechart on real logs', () => {
  it('m228_tls12_mtls_ok.log: 2.28 numbers (`client state: 12` twice) walk the TLS 1.2 graph without an anomaly', () => {
    // grep 'client state' F | awk '{print $NF}' | tr '\n' ' ' → 0 1 2 3 4 5 6 7 8 9 10 11 12 12 13 14 15
    const events = parse(recording('m228_tls12_mtls_ok.log')).filter((e) => e.kind.startsWith('tls.') && e.kind !== 'tls.handshake.begin');
    const { snap } = actorFor(events);
    expect(snap.value).toBe('ok');
    expect(snap.context.anomalies).toEqual([]);
    expect(snap.context.states).toEqual([...HELLO, ...TLS12_TAIL, 'HANDSHAKE_OVER'].map(P));
    expect(snap.context.mbedtlsVersion).toBe('2.28');
  });
});

const text = (name: string) => readFileSync(new URL(`../../recordings/${name}`, import.meta.url), 'utf8');

/** The `%p` prefix MBEDTLS_THREADING_C builds print after the level (debug.c: `%p: %s`). */
const withCtx = (log: string, ctx: string) => log.split('\n').map((l) => l.replace(/(\.[ch]:\d+: \|\d\| )/, `$1${ctx}: `));

function summary(body: string) {
  const s = createSession({ diagnosis: null, source: { type: 'file', name: 'test' } });
  s.feed(Buffer.from(body), 0);
  s.end();
  return s.summary();
}

const facts = (h: ReturnType<typeof summary>['handshakes'][number]) => ({
  outcome: h.outcome, tlsVersion: h.tlsVersion, ciphersuite: h.ciphersuite, states: h.states, failedAt: h.failedAt, error: h.error,
  alert: h.alert, records: h.records, recordsByState: h.recordsByState, peerCertificates: h.peerCertificates, anomalies: h.anomalies,
});

describe('two TLS contexts interleaved line by line', () => {
  it.each([
    ['psa_tls12_opaque_ok.log', 'tls13_mtls_ok.log'],
    ['tls12_server_untrusted.log', 'tls13_client_cert_required.log'],
  ])('%s and %s each keep their own facts', (one, two) => {
    const a = withCtx(text(one), '0x20001000');
    const b = withCtx(text(two), '0x20002000');
    const mixed: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) mixed.push(a[i]!);
      if (i < b.length) mixed.push(b[i]!);
    }
    const s = summary(mixed.join('\n'));
    const byCtx = (ctx: string) => s.handshakes.filter((h) => h.connection === ctx);
    expect(byCtx('0x20001000')).toHaveLength(1);
    expect(byCtx('0x20002000')).toHaveLength(1);
    // Alone, each log with its prefix reads as it does without one.
    const alone1 = summary(a.join('\n')).handshakes.map(facts);
    const alone2 = summary(b.join('\n')).handshakes.map(facts);
    expect(alone1).toEqual(summary(text(one)).handshakes.map(facts));
    // Program lines (no prefix) such as ssl_client2's `[ Ciphersuite is … ]` belong to no context in
    // the mix; the TLS facts of each context are its own.
    const strip = (f: ReturnType<typeof facts>) => ({ ...f, ciphersuite: null });
    expect(byCtx('0x20001000').map(facts).map(strip)).toEqual(alone1.map(strip));
    expect(byCtx('0x20002000').map(facts).map(strip)).toEqual(alone2.map(strip));
    expect(alone1[0]!.peerCertificates.length + alone2[0]!.peerCertificates.length).toBeGreaterThan(1);
  });
});

describe('lost closing lines', () => {
  // psa_tls12_opaque_ok.log cut after line 516 (the server Finished record, in SERVER_FINISHED):
  //   grep -n 'input record' F | sed -n 8p → 516
  const cut = text('psa_tls12_opaque_ok.log').split('\n').slice(0, 516);

  it('cut before `<= handshake`, then the MQTT client connects: ok, and says it was inferred', () => {
    const s = summary([...cut, 'MQTT connection successfully established with broker.', ''].join('\n'));
    const [h] = s.handshakes;
    expect(h!.outcome).toBe('ok');
    expect(h!.inferred).toContain('the MQTT client connected (line 517)');
    expect(h!.states.at(-1)).toBe(P('HANDSHAKE_OVER'));
  });

  it('cut with nothing after it: incomplete, in the step it reached', () => {
    const [h] = summary(cut.join('\n')).handshakes;
    expect(h!.outcome).toBe('incomplete');
    expect(h!.inferred).toBeNull();
    expect(h!.states.at(-1)).toBe(P('SERVER_FINISHED'));
  });

  it('cut after the client reached HANDSHAKE_WRAPUP: ok, inferred', () => {
    // grep -n 'client state: MBEDTLS_SSL_HANDSHAKE_WRAPUP' F → 536
    const [h] = summary(text('psa_tls12_opaque_ok.log').split('\n').slice(0, 536).join('\n')).handshakes;
    expect(h!.outcome).toBe('ok');
    expect(h!.inferred).toContain('HANDSHAKE_WRAPUP');
  });

  it('TLS 1.2 cut before `<= handshake`, then application data: ok, inferred, the data not counted', () => {
    // psa_tls12_opaque_ok.log without lines 527-563 (from `handshake state: 13 -> 14` to the line
    // before `> Write to server:`): the application record of line 570 (msgtype = 23, msglen = 75)
    // follows SERVER_FINISHED directly. grep -n 'output record: msgtype = 23' F | head -1 → 570
    const lines = text('psa_tls12_opaque_ok.log').split('\n');
    const [h] = summary([...lines.slice(0, 526), ...lines.slice(563)].join('\n')).handshakes;
    expect(h!.outcome).toBe('ok');
    expect(h!.inferred).toContain('application data went out');
    expect(h!.records).toEqual({ in: { count: 8, maxLength: 634 }, out: { count: 6, maxLength: 456 } });
  });

  it('TLS 1.3 without its closing lines: application data the client wrote after its Finished proves it', () => {
    // tls13_mtls_ok.log without `handshake: done`, `handshake state: 15 -> 27` and `<= handshake`:
    //   grep -n 'handshake: done\|-> 27\|<= handshake$' F → 731, 740, 741
    // The first client record of type 23 after them is the MQTT CONNECT:
    //   grep -n 'output record: msgtype = 23' F | sed -n 3p → 769 (line 766 once three are gone)
    const lines = text('tls13_mtls_ok.log').split('\n');
    const cut = lines.filter((_, i) => ![731, 740, 741].includes(i + 1));
    const [h] = summary(cut.join('\n')).handshakes;
    expect(h!.outcome).toBe('ok');
    expect(h!.inferred).toContain('the client wrote application data after its Finished (line 766)');
    // The encrypted handshake records before it (Certificate, CertificateVerify, Finished) proved nothing:
    // grep -c 'output record: msgtype = 23' on lines 1-719 → 3, each named by a `=> write …` line.
    expect(h!.endLine).toBe(765);
  });

  it('TLS 1.3: the server’s alert after the client’s application data still fails the attempt', () => {
    // tls13_client_cert_required.log: the client writes at line 659 (output record: msgtype = 23),
    // then reads the server's fatal alert 116 (certificate_required). Without the closing lines
    // (grep -n 'handshake: done\|-> 27\|<= handshake$' F → 622, 631, 632) the data proves the
    // handshake first, and the alert then fails it after the handshake, as with the closing lines.
    const lines = text('tls13_client_cert_required.log').split('\n');
    const [h] = summary(lines.filter((_, i) => ![622, 631, 632].includes(i + 1)).join('\n')).handshakes;
    expect(h!.outcome).toBe('failed');
    expect(h!.alert).toMatchObject({ level: 2, description: 116 });
  });

  it('an error stays a failure whatever follows', () => {
    const lines = text('tls12_no_shared_cipher.log').split('\n');
    // grep -n '<= handshake' F → 137: cut there, then the MQTT line
    const [h] = summary([...lines.slice(0, 136), 'MQTT connection successfully established with broker.'].join('\n')).handshakes;
    expect(h!.outcome).toBe('failed');
    expect(h!.inferred).toBeNull();
  });
});

describe('hsmon chart', () => {
  it('draws every step and edge of the graphs as Mermaid', () => {
    const chart = handshakeChart();
    expect(chart.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(chart).toContain('hello_SERVER_HELLO --> tls12_SERVER_CERTIFICATE : TLS 1.2');
    expect(chart).toContain('hello_SERVER_HELLO --> tls13_ENCRYPTED_EXTENSIONS : TLS 1.3');
    const edges = REGIONS.flatMap((r) => Object.entries(GRAPHS[r]).flatMap(([, es]) => es)).length;
    expect(chart.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'))).toHaveLength(edges);
    expect(handshakeChart('1.2')).not.toContain('tls13_');
    expect(handshakeChart('1.3')).not.toContain('tls12_');
  });

  it('is the chart the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(handshakeChart());
  });
});
