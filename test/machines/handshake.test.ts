import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createActor } from 'xstate';
import { handshakeMachine } from '../../machines/handshake.ts';
import { toMachineEvent } from '../../machines/machine-event.ts';
import type { DeviceEvent } from '../../parsers/events.ts';
import { HandshakeTracker } from '../../src/session/handshakes.ts';

let seq = 0;
const at = (t: number) => ({ t, line: seq++, ctx: null });
const state = (t: number, s: string): DeviceEvent => ({ kind: 'tls.state', state: `MBEDTLS_SSL_${s}`, number: null, ...at(t) });
const rec = (t: number, direction: 'in' | 'out', length: number): DeviceEvent => ({ kind: 'tls.record', direction, contentType: 22, version: '3:3', length, ...at(t) });
const begin = (t: number): DeviceEvent => ({ kind: 'tls.handshake.begin', ...at(t) });
const end = (t: number): DeviceEvent => ({ kind: 'tls.handshake.end', ...at(t) });
const err = (t: number, code: number, name: string): DeviceEvent => ({
  kind: 'tls.error', fn: 'mbedtls_ssl_read_record', error: { code, hex: `-0x${(-code).toString(16)}`, name }, ...at(t),
});

function run(events: DeviceEvent[]) {
  const actor = createActor(handshakeMachine, { input: { index: 0, connection: null, t: 0, line: 0 } });
  actor.start();
  for (const e of events) {
    if (actor.getSnapshot().status === 'done') break;
    actor.send(toMachineEvent(e));
  }
  return actor.getSnapshot();
}

const TLS12_OK = ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE', 'CERTIFICATE_REQUEST',
  'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY_EXCHANGE', 'CERTIFICATE_VERIFY', 'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED',
  'SERVER_CHANGE_CIPHER_SPEC', 'SERVER_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP'];

describe('handshakeMachine', () => {
  it('walks a TLS 1.2 handshake to ok, ending in HANDSHAKE_OVER with per-state durations', () => {
    const events = TLS12_OK.map((s, i) => state(i * 10, s));
    events.splice(3, 0, rec(25, 'out', 200), rec(26, 'in', 90));
    const snap = run([...events, end(200)]);
    expect(snap.status).toBe('done');
    expect(snap.value).toBe('ok');
    const c = snap.context;
    expect(c.outcome).toBe('ok');
    expect(c.states[0]).toBe('MBEDTLS_SSL_HELLO_REQUEST');
    expect(c.states.at(-1)).toBe('MBEDTLS_SSL_HANDSHAKE_OVER');
    expect(c.states).toHaveLength(TLS12_OK.length + 1);
    // CLIENT_HELLO entered at 10, SERVER_HELLO at 20; HANDSHAKE_WRAPUP at 150 until the end at 200.
    expect(c.stateDurationsMs['MBEDTLS_SSL_CLIENT_HELLO']).toBe(10);
    expect(c.stateDurationsMs['MBEDTLS_SSL_HANDSHAKE_WRAPUP']).toBe(50);
    expect(c.records).toEqual({ in: { count: 1, maxLength: 90 }, out: { count: 1, maxLength: 200 } });
    expect(c.visits.find((v) => v.state === 'MBEDTLS_SSL_SERVER_HELLO')?.recordsOut).toBe(1);
    expect(c.tlsVersion).toBe('1.2');
  });

  it('fails in the state it was in, with the last error and the fatal alert', () => {
    const snap = run([
      state(0, 'HELLO_REQUEST'), state(1, 'CLIENT_HELLO'), state(2, 'SERVER_HELLO'),
      { kind: 'tls.alert', direction: 'received', level: 2, description: 40, name: 'handshake_failure', ...at(3) },
      err(3, -0x7780, 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE'),
      end(4),
    ]);
    expect(snap.value).toBe('failed');
    expect(snap.context.failedAt).toBe('MBEDTLS_SSL_SERVER_HELLO');
    expect(snap.context.error).toEqual({ code: -0x7780, hex: '-0x7780', name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE' });
    expect(snap.context.alert).toMatchObject({ direction: 'received', description: 40, name: 'handshake_failure' });
    expect(snap.context.states.at(-1)).toBe('MBEDTLS_SSL_SERVER_HELLO');
  });

  it('does not take a positive f_send() "returned" value for an error', () => {
    const snap = run([state(0, 'CLIENT_HELLO'), { kind: 'tls.error', fn: 'ssl->f_send', error: { code: 130, hex: '-0xffffff7e', name: null }, ...at(1) }, state(2, 'SERVER_HELLO')]);
    expect(snap.context.errors).toHaveLength(0);
    expect(snap.status).toBe('active');
  });

  it('records a backward jump and an unknown state as anomalies and keeps going', () => {
    const snap = run([state(0, 'HELLO_REQUEST'), state(0, 'CLIENT_HELLO'), state(1, 'SERVER_HELLO'), state(1, 'SERVER_CERTIFICATE'),
      state(2, 'SERVER_HELLO'), state(3, 'NO_SUCH_STATE')]);
    expect(snap.status).toBe('active');
    expect(snap.context.anomalies.map((a) => a.message)).toEqual([
      'step SERVER_CERTIFICATE -> SERVER_HELLO is not in the mbedTLS TLS 1.2 client graph (it goes back): lines lost on the UART (check the baud rate and flow control) or an mbedTLS version hsmon does not know',
      'unknown handshake state MBEDTLS_SSL_NO_SUCH_STATE',
    ]);
    expect(snap.context.current).toBe('MBEDTLS_SSL_SERVER_HELLO');
  });

  it('knows TLS 1.3 from a state only TLS 1.3 visits', () => {
    const snap = run([state(0, 'CLIENT_HELLO'), state(1, 'SERVER_HELLO'), state(2, 'ENCRYPTED_EXTENSIONS')]);
    expect(snap.context.tlsVersion).toBe('1.3');
  });

  it('accepts any sequence of events without throwing', () => {
    const kinds = ['HELLO_REQUEST', 'SERVER_HELLO', 'HANDSHAKE_WRAPUP', 'X', 'CLIENT_FINISHED'];
    const arb = fc.array(
      fc.oneof(
        fc.constantFrom(...kinds).map((s) => state(1, s)),
        fc.integer({ min: -0x8000, max: 0x8000 }).map((c) => err(1, c, 'x')),
        fc.nat(20000).map((n) => rec(1, 'in', n)),
        fc.constant(end(1)),
        fc.constant(begin(1)),
      ),
      { maxLength: 60 },
    );
    fc.assert(fc.property(arb, (events) => {
      run(events);
    }));
  });
});

describe('HandshakeTracker', () => {
  it('treats `<= handshake` from an early state without an error as a WANT_READ pause of the same attempt', () => {
    const t = new HandshakeTracker();
    for (const e of [begin(0), state(0, 'HELLO_REQUEST'), state(1, 'CLIENT_HELLO'), end(2), begin(3), state(4, 'SERVER_HELLO'), state(5, 'HANDSHAKE_WRAPUP'), end(6)]) t.feed(e);
    const views = t.views();
    expect(views).toHaveLength(1);
    expect(views[0]!.outcome).toBe('ok');
  });

  it('starts a new attempt per `=> handshake` after a finished one, and per TLS context', () => {
    const t = new HandshakeTracker();
    const ctxA = (e: DeviceEvent): DeviceEvent => ({ ...e, ctx: '0x2000a000' });
    for (const e of [begin(0), state(0, 'CLIENT_HELLO'), err(1, -0x7780, 'F'), end(2), begin(3), ctxA(begin(3)), ctxA(state(4, 'CLIENT_HELLO')), state(5, 'CLIENT_HELLO')]) t.feed(e);
    t.endAll(10, 99);
    const views = t.views();
    expect(views.map((v) => [v.index, v.connection, v.outcome])).toEqual([
      [0, null, 'failed'],
      [1, null, 'incomplete'],
      [2, '0x2000a000', 'incomplete'],
    ]);
  });

  it('lets a platform line after `<= handshake` name the error the debug lines did not', () => {
    const t = new HandshakeTracker();
    for (const e of [begin(0), state(0, 'CLIENT_KEY_EXCHANGE'), end(1)]) t.feed(e);
    t.feed({ kind: 'tls.platform.failed', fn: 'mbedtls_ssl_handshake', error: { code: -0x7f80, hex: '-0x7f80', name: 'MBEDTLS_ERR_SSL_HW_ACCEL_FAILED' }, ...at(2) });
    const [v] = t.views();
    expect(v?.outcome).toBe('failed');
    expect(v?.failedAt).toBe('MBEDTLS_SSL_CLIENT_KEY_EXCHANGE');
    expect(v?.error?.hex).toBe('-0x7f80');
  });

  it('keeps memory bounded: old attempts lose their detail, the oldest are dropped', () => {
    const t = new HandshakeTracker({ keepDetailed: 2, keepTotal: 5 });
    for (let i = 0; i < 8; i++) for (const e of [begin(i), state(i, 'CLIENT_HELLO'), rec(i, 'out', 100), err(i, -0x7780, 'F'), end(i)]) t.feed(e);
    const views = t.views();
    expect(views).toHaveLength(5);
    expect(t.dropped).toBe(3);
    expect(views[0]!.recordList).toHaveLength(0);
    expect(views[0]!.records.out.count).toBe(1);
    expect(views.at(-1)!.recordList).toHaveLength(1);
  });
});

describe('HandshakeTracker: right after the handshake', () => {
  const alert = (t: number, d: number, level = 2): DeviceEvent => ({ kind: 'tls.alert', direction: 'received', level, description: d, name: String(d), ...at(t) });
  const version = (t: number, v: '1.2' | '1.3'): DeviceEvent => ({ kind: 'tls.version', version: v, ...at(t) });
  const okHandshake = (v: '1.2' | '1.3') => [begin(0), state(0, 'HELLO_REQUEST'), state(1, 'CLIENT_HELLO'), state(2, 'SERVER_HELLO'), version(2, v),
    state(3, v === '1.3' ? 'ENCRYPTED_EXTENSIONS' : 'SERVER_CERTIFICATE'), state(4, 'HANDSHAKE_WRAPUP'), end(5)];

  it('TLS 1.2: a fatal alert before any application data fails the attempt after the handshake', () => {
    const t = new HandshakeTracker();
    const results: string[] = [];
    t.onEnd = (v) => results.push(`${v.outcome}:${v.failedAt ?? ''}`);
    for (const e of [...okHandshake('1.2'), alert(6, 42), err(6, -0x7780, 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE')]) t.feed(e);
    const [v] = t.views();
    expect(v).toMatchObject({ outcome: 'failed', failedAt: 'MBEDTLS_SSL_HANDSHAKE_OVER', alert: { description: 42 }, error: { hex: '-0x7780' } });
    // the result is reported again when the verdict changes
    expect(results).toEqual(['ok:', 'failed:MBEDTLS_SSL_HANDSHAKE_OVER']);
  });

  it('TLS 1.2: after application data came in, a later alert does not undo the handshake', () => {
    const t = new HandshakeTracker();
    const data: DeviceEvent = { kind: 'tls.record', direction: 'in', contentType: 23, version: '3:3', length: 40, ...at(6) };
    for (const e of [...okHandshake('1.2'), data, alert(7, 20)]) t.feed(e);
    expect(t.views()[0]!.outcome).toBe('ok');
  });

  it('a close_notify is no failure', () => {
    const t = new HandshakeTracker();
    for (const e of [...okHandshake('1.3'), alert(6, 0, 1)]) t.feed(e);
    expect(t.views()[0]!.outcome).toBe('ok');
  });

  it('TLS 1.3: the NewSessionTicket step mbedtls_ssl_read() runs after the handshake is no new attempt', () => {
    const t = new HandshakeTracker();
    const anomalies: string[] = [];
    for (const e of okHandshake('1.3')) t.feed(e);
    // (okHandshake skips steps on purpose; only what follows it counts here)
    t.onAnomaly = (a) => anomalies.push(a.message);
    for (const e of [begin(6), state(6, 'TLS1_3_NEW_SESSION_TICKET'), end(7)]) t.feed(e);
    expect(t.views()).toHaveLength(1);
    expect(t.views()[0]!.outcome).toBe('ok');
    expect(anomalies).toEqual([]);
  });

  it('TLS 1.3: a new `=> handshake` that starts at HELLO_REQUEST is a new attempt', () => {
    const t = new HandshakeTracker();
    for (const e of [...okHandshake('1.3'), begin(6), state(6, 'HELLO_REQUEST'), state(7, 'CLIENT_HELLO')]) t.feed(e);
    t.endAll(8, 99);
    expect(t.views().map((v) => v.outcome)).toEqual(['ok', 'incomplete']);
  });

  it('reports a step the graph does not allow as a tls.anomaly event', () => {
    const t = new HandshakeTracker();
    const anomalies: { skipped?: string[]; line: number }[] = [];
    t.onAnomaly = (a) => anomalies.push({ skipped: a.skipped, line: a.line });
    const jump = state(3, 'SERVER_HELLO_DONE');
    for (const e of [begin(0), state(0, 'HELLO_REQUEST'), state(1, 'CLIENT_HELLO'), state(2, 'SERVER_HELLO'), jump]) t.feed(e);
    expect(anomalies).toEqual([{ skipped: ['SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE', 'CERTIFICATE_REQUEST'].map((x) => `MBEDTLS_SSL_${x}`), line: jump.line }]);
  });
});
