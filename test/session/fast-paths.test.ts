// What the session does to be fast (certificate analyses shared, connection-machine events
// coalesced, the log pane kept as columns) must not show in what it reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { connectionMachine, connectionText, toConnectionEvent } from '../../machines/connection.ts';
import type { DeviceEvent } from '../../parsers/events.ts';
import { createSession } from '../../src/session/create-session.ts';
import { SessionFacts } from '../../src/session/facts.ts';

const read = (path: string): Buffer => readFileSync(new URL(`../../${path}`, import.meta.url));

describe('certificate analyses', () => {
  it('a certificate printed twice is listed twice, each with its own line (tls13_mtls_ok.log:969-980, twice)', async () => {
    const log = read('recordings/tls13_mtls_ok.log');
    const lines = log.toString('latin1').split('\n').length - 1;
    const s = createSession({ diagnosis: null, source: { type: 'file', name: 'twice' } });
    s.feed(log, 0);
    s.feed(log, 1);
    s.end();
    await s.settled();
    const certs = s.summary().certificates.map((c) => ({ line: c.line, subject: c.subject }));
    // BEGIN CERTIFICATE is line 969 (1-based) of the file: seq 968, and 968 + lines the second time.
    expect(certs.sort((a, b) => a.line - b.line)).toEqual([
      { line: 968, subject: certs[0]!.subject },
      { line: 968 + lines, subject: certs[0]!.subject },
    ]);
    expect(certs[0]!.subject).toMatch(/CN=/);
  });
});

describe('connection machine', () => {
  it.each(['test/fixtures/mqtt/device-mqtt.log', 'recordings/tls12_server_untrusted.log', 'test/fixtures/diagnosis/psa_ecdh_export_failed.log'])(
    '%s: the device status is what an actor fed every event says',
    (path) => {
      const s = createSession({ diagnosis: null, source: { type: 'file', name: path } });
      const actor = createActor(connectionMachine).start();
      const statuses: [string | undefined, string][] = [];
      s.onEvent((e) => {
        if (!('line' in e) || e.kind === 'tls.handshake.result' || e.kind === 'finding' || e.kind === 'secret.redacted' || e.kind === 'tx') return;
        if (e.kind.startsWith('serial.')) return;
        actor.send(toConnectionEvent(e as DeviceEvent));
      });
      const log = read(path);
      // Compare along the way, not only at the end: the coalesced events must be sent before a read.
      for (let i = 0; i < log.length; i += 997) {
        s.feed(log.subarray(i, i + 997), i);
        statuses.push([s.getSnapshot().device, connectionText(actor.getSnapshot())]);
      }
      s.end();
      statuses.push([s.getSnapshot().device, connectionText(actor.getSnapshot())]);
      for (const [got, want] of statuses) expect(got).toBe(want);
      expect(actor.getSnapshot().context.lastLine).toBeGreaterThan(0);
    },
  );
});

describe('connection machine clock', () => {
  it('events it has no transition for still move its clock before the status is read (built)', () => {
    const facts = new SessionFacts({ onChange: () => {} });
    facts.feed({ kind: 'mqtt.retry', scope: 'app', delayMs: 2000, retriesLeft: 3, t: 0, line: 1 });
    expect(facts.deviceStatus()).toBe('MQTT: connect failed — attempt 2 of 4, next in 2 s');
    // A record 1.5 s later: only the `*` transition takes it, and the status counts from it.
    facts.feed({ kind: 'tls.record', direction: 'in', contentType: 23, version: '3:3', length: 10, t: 1500, line: 2 });
    expect(facts.deviceStatus()).toBe('MQTT: connect failed — attempt 2 of 4, next in 0.5 s');
    facts.feed({ kind: 'tls.record', direction: 'in', contentType: 23, version: '3:3', length: 10, t: 2500, line: 3 });
    expect(facts.deviceStatus()).toBe('MQTT: connect failed — attempt 2 of 4, retrying now');
  });
});

describe('log pane', () => {
  it('keeps the newest lines with their flags, and a line is the same object in every snapshot', () => {
    const s = createSession({ diagnosis: null, source: { type: 'file', name: 'x' }, logCapacity: 3, maxLineBytes: 8 });
    const enc = new TextEncoder();
    s.feed(enc.encode('ssl_tls.c:4670: |2| => handshake\nhello\n'), 1);
    const first = s.getSnapshot().log;
    expect(first.map((l) => [l.seq, l.text, l.dir, l.parsed, l.truncated ?? false])).toEqual([
      [0, 'ssl_tls.', 'rx', false, true],
      [1, 'hello', 'rx', false, false],
    ]);
    s.tx(enc.encode('r\n'), 2);
    s.note('mark', 3);
    const second = s.getSnapshot().log;
    expect(second.map((l) => [l.seq, l.text, l.dir])).toEqual([
      [1, 'hello', 'rx'],
      [2, 'r', 'tx'],
      [2, '--- mark', 'note'],
    ]);
    expect(second[0]).toBe(first[1]);
    s.feed(enc.encode('0x1: <= handshake\n'), 4);
    const third = s.getSnapshot().log;
    expect(third.map((l) => [l.seq, l.text, l.dir, l.parsed])).toEqual([
      [2, 'r', 'tx', false],
      [2, '--- mark', 'note', false],
      [2, '0x1: <= ', 'rx', true],
    ]);
    expect(third[0]).toBe(second[1]);
  });
});
