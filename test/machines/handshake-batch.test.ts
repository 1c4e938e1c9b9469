/**
 * `tls.batch` (how the tracker feeds the machine) must leave the machine exactly where the same
 * events sent one by one leave it: same state node, same context.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { BATCHABLE_EVENTS, handshakeMachine } from '../../machines/handshake.ts';
import { toMachineEvent, type MachineEvent } from '../../machines/machine-event.ts';
import type { DeviceEvent } from '../../parsers/events.ts';
import { createSession } from '../../src/session/create-session.ts';

const input = { index: 0, connection: null, t: 0, line: 0 };

function oneByOne(events: DeviceEvent[]) {
  const actor = createActor(handshakeMachine, { input }).start();
  for (const e of events) if (actor.getSnapshot().status !== 'done') actor.send(toMachineEvent(e));
  return actor.getSnapshot();
}

function batched(events: DeviceEvent[]) {
  const actor = createActor(handshakeMachine, { input }).start();
  let pending: MachineEvent[] = [];
  const flush = () => {
    if (pending.length > 0) actor.send({ type: 'tls.batch', events: pending });
    pending = [];
  };
  for (const e of events) {
    if (actor.getSnapshot().status === 'done') break;
    if (BATCHABLE_EVENTS.has(e.kind)) pending.push(toMachineEvent(e));
    else {
      flush();
      actor.send(toMachineEvent(e));
    }
  }
  flush();
  return actor.getSnapshot();
}

/** The TLS events of a recording's first handshake, `=> handshake` excluded. */
function firstHandshake(path: string): DeviceEvent[] {
  const s = createSession({ diagnosis: null, source: { type: 'file', name: path } });
  const out: DeviceEvent[] = [];
  s.onEvent((e) => {
    if (e.kind.startsWith('tls.') && e.kind !== 'tls.handshake.begin' && e.kind !== 'tls.handshake.result') out.push(e as DeviceEvent);
  });
  s.feed(readFileSync(new URL(`../../recordings/${path}`, import.meta.url)), 0);
  s.end();
  const end = out.findIndex((e) => e.kind === 'tls.handshake.end' || e.kind === 'tls.platform.failed');
  return end === -1 ? out : out.slice(0, end + 1);
}

let line = 0;
const at = (t: number) => ({ t, line: line++, ctx: null });
const state = (t: number, s: string): DeviceEvent => ({ kind: 'tls.state', state: s, number: null, ...at(t) });
const rec = (t: number, direction: 'in' | 'out', length: number): DeviceEvent =>
  ({ kind: 'tls.record', direction, contentType: 22, version: '3:3', length, ...at(t) });

describe('tls.batch', () => {
  it.each(['tls12_gcm_debug4_ok.log', 'tls13_mtls_ok.log', 'tls12_no_shared_cipher.log', 'tls12_server_untrusted.log'])(
    '%s: one batch per run of events gives the context of one event at a time',
    (path) => {
      const events = firstHandshake(path);
      // Enough to be a real handshake: several steps and records (tls12_no_shared_cipher.log has
      // three `client state:` lines: grep -c 'client state' → 3).
      expect(events.filter((e) => e.kind === 'tls.state').length).toBeGreaterThanOrEqual(3);
      expect(events.filter((e) => e.kind === 'tls.record').length).toBeGreaterThan(1);
      const a = oneByOne(events);
      const b = batched(events);
      expect(b.value).toEqual(a.value);
      expect(b.status).toBe(a.status);
      expect(b.context).toEqual(a.context);
    },
  );

  it('ends in the node of the last known step, with unknown states and backward jumps noted as one by one', () => {
    const events = [
      state(0, 'MBEDTLS_SSL_HELLO_REQUEST'),
      state(5, 'MBEDTLS_SSL_CLIENT_HELLO'),
      rec(6, 'out', 120),
      state(10, 'MBEDTLS_SSL_SERVER_HELLO'),
      rec(11, 'in', 80),
      state(12, 'MBEDTLS_SSL_SERVER_CERTIFICATE'),
      state(13, 'MBEDTLS_SSL_SERVER_HELLO'),
      state(14, 'MBEDTLS_SSL_NOT_A_STATE'),
    ];
    const a = oneByOne(events);
    const b = batched(events);
    expect(b.value).toEqual({ hello: 'SERVER_HELLO' });
    expect(b.context).toEqual(a.context);
    expect(b.context.anomalies.map((x) => x.message)).toEqual([
      'step SERVER_CERTIFICATE -> SERVER_HELLO is not in the mbedTLS TLS 1.2 client graph (it goes back): lines lost on the UART (check the baud rate and flow control) or an mbedTLS version hsmon does not know',
      'unknown handshake state MBEDTLS_SSL_NOT_A_STATE',
    ]);
    expect(b.context.records).toEqual({ in: { count: 1, maxLength: 80 }, out: { count: 1, maxLength: 120 } });
  });
});
