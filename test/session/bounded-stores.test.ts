// Every per-kind store has a cap and counts what it left out (issue 15): a device that prints a
// new key id, topic or TLS context on every line cannot grow hsmon without bound, and the
// summary says what it dropped. (The figures for a million lines are in npm run bench.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { KeyTable, MAX_KEYS, MAX_PERSISTENT } from '../../src/certs/key-table.ts';
import { MqttHistory } from '../../src/mqtt/history.ts';
import { MAX_SUBSCRIPTIONS, MqttTracker, SUMMARY_MESSAGES, SUMMARY_PAYLOAD_CHARS } from '../../src/mqtt/summary.ts';
import { MAX_ACTIVE } from '../../src/session/handshakes.ts';
import { MAX_ITEMS, MAX_RECORDS_PER_HANDSHAKE } from '../../machines/handshake.ts';
import { createSession } from '../../src/session/create-session.ts';
import { ndjsonSchema } from '../../src/output/schema.ts';
import type { DeviceEvent } from '../../parsers/events.ts';

const key = (id: number, lifetime: 'persistent' | 'volatile'): DeviceEvent => ({
  kind: 'psa.key', t: id, line: id, id, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDSA(SHA_256)', usage: null, lifetime, status: 0, statusName: 'PSA_SUCCESS', source: 'hsmon',
});

function sessionOf(text: string): ReturnType<typeof createSession> {
  const s = createSession({ source: { type: 'file', name: 'generated' } });
  s.feed(new TextEncoder().encode(text), 0);
  s.end();
  return s;
}

describe('bounded stores', () => {
  it('keys: the newest MAX_KEYS rows and the persistent device key stay; the rest are counted', () => {
    const t = new KeyTable();
    t.add(key(1, 'persistent'));
    for (let id = 100; id < 100 + 3 * MAX_KEYS; id++) t.add(key(id, 'volatile'));
    const ids = t.list().map((k) => k.id);
    expect(ids).toHaveLength(MAX_KEYS + 1);
    expect(ids[0]).toBe(1);
    expect(ids.at(-1)).toBe(100 + 3 * MAX_KEYS - 1);
    expect(t.dropped).toBe(3 * MAX_KEYS - MAX_KEYS);
    expect(MAX_PERSISTENT).toBeGreaterThan(0);
  });

  it('MQTT: subscriptions, history and summary messages are capped, payloads in the summary cut with a mark', () => {
    const m = new MqttTracker({ limit: 2000 });
    for (let i = 0; i < MAX_SUBSCRIPTIONS + 10; i++) m.device({ kind: 'mqtt.subscribed', t: i, line: i, topic: `t/${i}`, qos: 0 } as DeviceEvent);
    expect(m.subscriptions).toHaveLength(MAX_SUBSCRIPTIONS);
    expect(m.droppedSubscriptions).toBe(10);
    for (let i = 0; i < 5000; i++) m.device({ kind: 'mqtt.message', t: i, line: i, source: 'device', direction: 'out', topic: `x/${i}`, qos: 0, payload: i === 4999 ? 'p'.repeat(10_000) : 'p' } as DeviceEvent);
    expect(m.history.size).toBe(2000);
    expect(m.history.dropped).toBe(3000);
    const s = m.summary();
    expect(s.messages).toHaveLength(SUMMARY_MESSAGES);
    expect(s.messages.at(-1)!.topic).toBe('x/4999');
    expect(s.messages.at(-1)!.payload).toBe(`${'p'.repeat(SUMMARY_PAYLOAD_CHARS)}… [truncated, 10000 characters]`);
  });

  it('MQTT history still pairs a device publish with the broker copy within the window', () => {
    const h = new MqttHistory({ limit: 100 });
    for (let i = 0; i < 500; i++) h.add({ t: i, line: i, source: 'device', direction: 'out', topic: `noise/${i}`, qos: 0, payload: 'n' });
    const d = h.add({ t: 1000, line: 1, source: 'device', direction: 'out', topic: 'ledstatus', qos: 1, payload: 'ON' });
    const b = h.add({ t: 1040, line: null, source: 'broker', direction: null, topic: 'ledstatus', qos: 1, payload: 'ON' });
    expect(b.links).toEqual([{ id: d.id, relation: 'published', latencyMs: 40 }]);
  });

  it('a new TLS context pointer on every line keeps at most MAX_ACTIVE attempts open', () => {
    const lines = Array.from({ length: MAX_ACTIVE * 3 }, (_, i) => `ssl_tls.c:4528: |2| 0x${(0x20000000 + i * 16).toString(16)}: client state: MBEDTLS_SSL_CLIENT_HELLO`);
    const s = createSession({ source: { type: 'file', name: 'generated' } });
    s.feed(new TextEncoder().encode(`${lines.join('\n')}\n`), 0);
    // Still open (no end line yet): only the newest MAX_ACTIVE; the older ones were ended.
    const before = s.handshakeViews();
    expect(before).toHaveLength(MAX_ACTIVE * 3);
    expect(before.filter((v) => v.endLine === null)).toHaveLength(MAX_ACTIVE);
    expect(before.filter((v) => v.endLine === null).map((v) => v.index)).toEqual(Array.from({ length: MAX_ACTIVE }, (_, i) => 2 * MAX_ACTIVE + i));
    s.end();
    expect(s.handshakeViews().every((v) => v.outcome === 'incomplete')).toBe(true);
  });

  it('per attempt: states, anomalies and records beyond their caps are counted in dropped.handshakeItems', () => {
    // One attempt looping CLIENT_HELLO <-> SERVER_KEY_EXCHANGE 300 times, a record in each
    // step: 1 + 600 steps, 600 records, and 599 steps the client graph does not allow, one
    // anomaly each (machines/client-steps.ts: CLIENT_HELLO goes on to SERVER_HELLO or a CCS,
    // SERVER_KEY_EXCHANGE to CERTIFICATE_REQUEST; only HELLO_REQUEST -> CLIENT_HELLO is an edge).
    const step = (s: string): string => `ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_${s}`;
    const lines = ['ssl_tls.c:4670: |2| => handshake', step('HELLO_REQUEST')];
    for (let i = 0; i < 300; i++) {
      lines.push(step('CLIENT_HELLO'), 'ssl_msg.c:2703: |3| output record: msgtype = 22, version = [3:1], msglen = 300');
      lines.push(step('SERVER_KEY_EXCHANGE'), 'ssl_msg.c:3538: |3| input record: msgtype = 22, version = [3:3], msglen = 70');
    }
    const s = sessionOf(`${lines.join('\n')}\n`);
    const summary = s.summary();
    const [h] = summary.handshakes;
    expect(summary.handshakes).toHaveLength(1);
    expect(h!.states).toHaveLength(MAX_ITEMS);
    expect(h!.states.at(-1)).toBe('MBEDTLS_SSL_SERVER_KEY_EXCHANGE');
    expect(h!.anomalies).toHaveLength(MAX_ITEMS);
    expect(h!.records).toEqual({ out: { count: 300, maxLength: 300 }, in: { count: 300, maxLength: 70 } });
    expect(s.handshakeViews()[0]!.recordList).toHaveLength(MAX_RECORDS_PER_HANDSHAKE);
    expect(summary.dropped?.['handshakeItems']).toBe(601 - MAX_ITEMS + (599 - MAX_ITEMS) + (600 - MAX_RECORDS_PER_HANDSHAKE));
    expect(new Ajv2020({ strict: false }).compile(ndjsonSchema())(summary)).toBe(true);
  });

  it('errors after an ended attempt are capped and counted too (a device failing every read after `<= handshake`)', () => {
    // The clean TLS 1.2 log to its `<= handshake` (line 234: grep -n '<= handshake'), no
    // `returned -` line in it (grep -c 'returned -' → 0), then 300 failed reads before any
    // application data: each is an error of the attempt, in HANDSHAKE_OVER.
    const clean = readFileSync(new URL('../../recordings/tls12_rsa_server_ok.log', import.meta.url), 'utf8').split('\n').slice(0, 234);
    const failed = Array.from({ length: 300 }, () => 'ssl_tls12_client.c:1199: |1| mbedtls_ssl_read_record() returned -30592 (-0x7780)');
    const s = sessionOf(`${[...clean, ...failed].join('\n')}\n`);
    const [v] = s.handshakeViews();
    expect(v!.outcome).toBe('failed');
    expect(v!.errors).toHaveLength(MAX_ITEMS);
    expect(s.summary().dropped?.['handshakeItems']).toBe(300 - MAX_ITEMS);
  });

  it('the summary lists the non-zero drop counts, valid against the schema', () => {
    const validate = new Ajv2020({ strict: false }).compile(ndjsonSchema());
    const text = Array.from({ length: MAX_KEYS + 25 }, (_, i) => `hsmon: key id=${i + 1} type=ECC_KEY_PAIR(SECP_R1) bits=256 lifetime=volatile status=0`).join('\n');
    const summary = sessionOf(`${text}\n`).summary();
    expect(summary.keys).toHaveLength(MAX_KEYS);
    expect(summary.dropped).toEqual({ keys: 25 });
    expect(validate(summary)).toBe(true);
    // Nothing dropped: no field at all.
    expect(sessionOf('hello\n').summary()).not.toHaveProperty('dropped');
  });
});
