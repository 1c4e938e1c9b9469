/**
 * The time machine's recordings: a plain log as lines, an hsmon .cast with its device output,
 * what hsmon sent and its markers, each in its place, with the recorded times.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecording } from '../../src/io/recording.ts';
import { CastEvents, castRecording, textRecording } from '../../src/session/recording.ts';
import { createSession } from '../../src/session/create-session.ts';
import type { Session } from '../../src/session/session.ts';
import { TimeMachine } from '../../src/session/time-machine.ts';
import { brokerMarker } from '../../src/mqtt/broker-marker.ts';
import { manualTape } from '../helpers/manual-tape.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const session = (): Session => createSession({ source: { type: 'file', name: 't' } });

describe('recordings for the time machine', () => {
  it('splits a plain log into lines, a last line without LF included', () => {
    const rec = textRecording(enc('one\r\ntwo\nthree'));
    expect(rec.count).toBe(3);
    expect(new TextDecoder().decode(rec.event(1).bytes)).toBe('two\n');
    expect(new TextDecoder().decode(rec.span!(0, 3))).toBe('one\r\ntwo\nthree');
    expect(rec.bytesBefore(2)).toBe(9);
  });

  it('reads an hsmon .cast: device output, tx and markers at their times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-tm-'));
    const path = join(dir, 'x.cast');
    writeFileSync(path, [
      JSON.stringify({ version: 2, width: 80, height: 24 }),
      JSON.stringify([0.5, 'o', 'boot\r\n']),
      JSON.stringify([1.0, 'i', 'r\n']),
      JSON.stringify([1.25, 'm', 'port reconnected']),
      JSON.stringify([2.0, 'o', 'ready\r\n']),
    ].join('\n') + '\n');
    const rec = await loadRecording(path);
    expect(rec.format).toBe('cast');
    expect(rec.count).toBe(4);
    expect(rec.event(3).t).toBe(2000);
    const tm = new TimeMachine(rec, session);
    tm.seek({ to: 'end' });
    const log = tm.getSnapshot().log.map((l) => [l.dir, l.text, l.n ?? null]);
    expect(log).toEqual([['rx', 'boot', null], ['tx', 'r', 1], ['note', '--- port reconnected', 1], ['rx', 'ready', null]]);
    tm.seek({ to: 'line', line: 0 });
    expect(tm.getSnapshot().log.map((l) => l.text)).toEqual(['boot']);
    await expect(loadRecording(join(dir, 'missing.log'))).rejects.toThrow(`cannot read ${join(dir, 'missing.log')}: no such file`);
  });

  it('replays the broker side of a .cast (markers hsmon recorded) into the MQTT pane, not the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmon-tm-'));
    const path = join(dir, 'both.cast');
    writeFileSync(path, [
      JSON.stringify({ version: 2, width: 80, height: 24 }),
      JSON.stringify([0.5, 'o', 'boot\r\n']),
      JSON.stringify([1.5, 'm', brokerMarker({ topic: 'ledstatus', qos: 1, retain: false, payload: 'TURN OFF' })]),
      JSON.stringify([2.0, 'o', 'ready\r\n']),
    ].join('\n') + '\n');
    const tm = new TimeMachine(await loadRecording(path), session);
    tm.seek({ to: 'end' });
    const s = tm.getSnapshot();
    expect(s.mqtt.entries?.map((e) => [e.source, e.topic, e.payload, e.t])).toEqual([['broker', 'ledstatus', 'TURN OFF', 1500]]);
    expect(s.log.map((l) => l.text)).toEqual(['boot', 'ready']);
    // Back before it: the message is not there yet.
    tm.seek({ to: 'line', line: 0 });
    expect(tm.getSnapshot().mqtt.entries ?? []).toEqual([]);
  });

  it('feeds in bulk or line by line to the same session state', () => {
    const bytes = enc(Array.from({ length: 500 }, (_, i) => `ssl_tls.c:${i}: |2| line ${i}`).join('\n') + '\n');
    const a = new TimeMachine(textRecording(bytes), session);
    a.seek({ to: 'end' });
    const b = new TimeMachine(textRecording(bytes), session);
    for (let i = 0; i < 500; i++) b.advance(1);
    expect(b.getSnapshot().log).toEqual(a.getSnapshot().log);
    expect(b.getSnapshot().lines).toBe(500);
  });
});

const root = resolve(import.meta.dirname, '../..');
// A small log pane, so that its last lines are framed again from the recording.
const small = (): Session => createSession({ source: { type: 'file', name: 't' }, logCapacity: 40 });
/** What every pane reads, the functions aside. */
const state = (s: Session): unknown => {
  const { handshakeDisplay: _d, replay: _r, ...rest } = s.getSnapshot();
  return JSON.parse(JSON.stringify(rest));
};
/** A fresh session fed the first `lines` lines by itself (all of them: ended). */
const freshAt = (bytes: Uint8Array, lines: number): Session => {
  const s = small();
  s.setStatus({ state: 'open' });
  const rec = textRecording(bytes);
  s.feed(rec.span!(0, lines), 0);
  if (lines >= rec.count) {
    s.setStatus({ state: 'ended' });
    s.end();
  }
  return s;
};

describe('seeking back from the parse tape', () => {

  it('gives the same session as parsing again, redacted lines and the last line without LF included', () => {
    // 35 secrets are redacted in this log (the session's secret.redacted events), so the tape
    // keeps their shown text; the last line loses its LF to test the framer's flush.
    const full = readFileSync(join(root, 'recordings/tls13_gcm_debug4_ok.log'));
    const bytes = full.subarray(0, full.length - 1);
    const tm = new TimeMachine(textRecording(bytes), small);
    const count = tm.recording.count;
    tm.seek({ to: 'end' });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, count)));
    // Back (from the tape), forward within it, to the end (the reader again), back to the start.
    for (const line of [1200, 300, 301, 900, count - 1, count, 0, 40, 41]) {
      tm.seek({ to: 'line', line: Math.max(0, line - 1) });
      expect(tm.pos).toBe(Math.max(1, line));
      expect(state(tm.session)).toEqual(state(freshAt(bytes, Math.max(1, line))));
    }
    // The 'Handshake secret' dump: its rows are lines 251-252 (grep -n 'Handshake secret' → 250,
    // the hex rows follow); seeking back to line 270 frames them again and shows them redacted.
    tm.seek({ to: 'line', line: 269 });
    const row = tm.getSnapshot().log.find((l) => l.seq === 250);
    expect(row?.text).toContain('redacted by hsmon');
    expect(row?.text).not.toContain('ad a5 cc 70');
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 270)));
  });

  it('plays on from the tape past where the first reading stopped', () => {
    const bytes = readFileSync(join(root, 'recordings/tls12_server_untrusted.log'));
    const tm = new TimeMachine(textRecording(bytes), small);
    tm.advance(200);
    tm.seek({ to: 'line', line: 49 });
    for (let i = 0; i < 20; i++) tm.advance(10);
    expect(tm.pos).toBe(250);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 250)));
    tm.seek({ to: 'end' });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, tm.recording.count)));
  });

  it('gives the tape up past its size limit and parses again from the start, to the same sessions', () => {
    const bytes = readFileSync(join(root, 'recordings/tls12_server_untrusted.log'));
    // 10 events at most: the tape breaks within the first handshake.
    const tm = new TimeMachine(textRecording(bytes), small, { tapeItems: 10 });
    tm.advance(100);
    tm.seek({ to: 'line', line: 19 });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 20)));
    expect(tm.readAll).toBe(true); // nothing to read ahead without a tape
    tm.advance(230);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 250)));
    tm.seek({ to: 'end' });
    tm.seek({ to: 'line', line: 220 });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 221)));
  });

  it('a session shown from the tape goes on by parsing again when reading ahead outgrows the tape', () => {
    const bytes = readFileSync(join(root, 'recordings/tls12_server_untrusted.log'));
    // The log makes 136 events, 38 of them by line 50 (counted through the session's tap):
    // a 60-event tape holds the first 50 lines and breaks while reading ahead.
    const tm = new TimeMachine(textRecording(bytes), small, { tapeItems: 60 });
    tm.advance(50);
    tm.seek({ to: 'line', line: 9 });
    expect(tm.readAll).toBe(false);
    while (tm.readAhead(1));
    expect(tm.readAll).toBe(true);
    tm.advance(100);
    expect(tm.pos).toBe(110);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 110)));
  });

  it('reads ahead while idle without changing what is shown; later seeks replay the tape', () => {
    const bytes = readFileSync(join(root, 'recordings/tls12_server_untrusted.log'));
    const tm = new TimeMachine(textRecording(bytes), small);
    tm.advance(100);
    const shown = state(tm.session);
    let changes = 0;
    tm.onChange(() => changes++);
    let slices = 0;
    while (tm.readAhead(1)) slices++;
    expect(slices).toBeLessThan(10_000);
    expect(tm.readAll).toBe(true);
    expect(tm.pos).toBe(100);
    expect(state(tm.session)).toEqual(shown);
    expect(changes).toBe(0);
    tm.seek({ to: 'end' });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, tm.recording.count)));
    tm.seek({ to: 'line', line: 220 });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 221)));
  });
});

describe('a tape recorded on another thread', () => {

  it('gives the same sessions as parsing here, redacted lines included, and never parses here', () => {
    // tls13_gcm_debug4_ok.log has 35 redacted secrets (see 'seeking back from the parse tape').
    const bytes = readFileSync(join(root, 'recordings/tls13_gcm_debug4_ok.log'));
    const m = manualTape(bytes, 4);
    const tm = new TimeMachine(textRecording(bytes), small, { readElsewhere: m.readElsewhere });
    expect(tm.readsElsewhere).toBe(true);
    while (m.left > 0) m.deliver();
    expect(tm.readAll).toBe(true);
    const count = tm.recording.count;
    for (const line of [count, 1200, 300, 301, 0, 41]) {
      tm.seek({ to: 'line', line: Math.max(0, line - 1) });
      expect(state(tm.session)).toEqual(state(freshAt(bytes, Math.max(1, line))));
    }
    tm.seek({ to: 'line', line: 269 });
    const row = tm.getSnapshot().log.find((l) => l.seq === 250);
    expect(row?.text).toContain('redacted by hsmon');
    // Still the tape it was given: nothing made it parse the file itself.
    expect(tm.readsElsewhere).toBe(true);
  });

  it('plays only as far as the tape goes, says so, and goes on when more comes', () => {
    const bytes = readFileSync(join(root, 'recordings/tls12_server_untrusted.log'));
    const m = manualTape(bytes, 3);
    const tm = new TimeMachine(textRecording(bytes), small, { readElsewhere: m.readElsewhere });
    const count = tm.recording.count;
    let read = 0;
    tm.onRead(() => read++);
    expect(tm.starved).toBe(true);
    expect(tm.toRead({ to: 'end' })).toBe(count);
    m.deliver();
    expect(read).toBe(1);
    tm.advance(count);
    const first = m.chunks[0]!.itemEnd.length;
    expect(tm.pos).toBe(first);
    expect(tm.starved).toBe(true);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, first)));
    // A forward search stops where the tape ends instead of waiting for it.
    expect(tm.seek({ to: 'finding', dir: 1 })).toMatch(/yet: the file is still being read$/);
    while (m.left > 0) m.deliver();
    expect(tm.starved).toBe(false);
    expect(tm.toRead({ to: 'end' })).toBe(0);
    tm.advance(count);
    expect(tm.atEnd).toBe(true);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, count)));
  });

  it('approaches a place a slice at a time, only as far as the tape goes', () => {
    // The debug-4 log 20 times over: 32 880 lines (wc -l recordings/tls13_gcm_debug4_ok.log → 1644).
    const unit = readFileSync(join(root, 'recordings/tls13_gcm_debug4_ok.log'));
    const bytes = Buffer.concat(Array.from({ length: 20 }, () => unit));
    const m = manualTape(bytes, 4);
    const tm = new TimeMachine(textRecording(bytes), small, { readElsewhere: m.readElsewhere });
    const count = tm.recording.count;
    expect(count).toBe(32_880);
    // Nothing read yet: nothing to feed.
    expect(tm.approach({ to: 'end' }, 1000)).toBe(false);
    m.deliver();
    const first = m.chunks[0]!.itemEnd.length;
    expect(tm.approach({ to: 'end' }, 1000)).toBe(true);
    expect(tm.pos).toBe(first);
    expect(tm.approach({ to: 'end' }, 1000)).toBe(false);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, first)));
    while (m.left > 0) m.deliver();
    // With no time to spare, a call feeds one step and stops: the rest is left for later calls.
    const seen: number[] = [];
    while (tm.approach({ to: 'end' }, 0)) seen.push(tm.pos);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(count);
    expect(seen.every((p, k) => p > (k === 0 ? first : seen[k - 1]!))).toBe(true);
    tm.seek({ to: 'end' });
    expect(state(tm.session)).toEqual(state(freshAt(bytes, count)));
    // A line: up to it and no further.
    tm.seek({ to: 'start' });
    while (tm.approach({ to: 'line', line: 20_000 }, 0));
    expect(tm.pos).toBe(20_001);
    expect(state(tm.session)).toEqual(state(freshAt(bytes, 20_001)));
    // Parsed here, there is no tape to wait for: a seek does it all.
    const here = new TimeMachine(textRecording(bytes), small);
    expect(here.approach({ to: 'end' }, 1000)).toBe(false);
  });

  it('parses here, from where it was, when the other thread fails or its chunks come out of order', () => {
    const bytes = readFileSync(join(root, 'recordings/tls12_server_untrusted.log'));
    const failing = manualTape(bytes, 3);
    const a = new TimeMachine(textRecording(bytes), small, { readElsewhere: failing.readElsewhere });
    failing.deliver();
    a.advance(50);
    failing.fail('the parse worker stopped (exit code 1)');
    expect(a.readsElsewhere).toBe(false);
    expect(a.pos).toBe(50);
    expect(state(a.session)).toEqual(state(freshAt(bytes, 50)));
    a.seek({ to: 'end' });
    expect(state(a.session)).toEqual(state(freshAt(bytes, a.recording.count)));

    const shuffled = manualTape(bytes, 3);
    const b = new TimeMachine(textRecording(bytes), small, { readElsewhere: shuffled.readElsewhere });
    shuffled.deliver(shuffled.chunks[1]);
    b.advance(30);
    expect(shuffled.closed).toBe(true);
    expect(b.readsElsewhere).toBe(false);
    expect(b.pos).toBe(30);
    expect(state(b.session)).toEqual(state(freshAt(bytes, 30)));

    // Past its size limit (60 events; the log makes 136), the tape is given up the same way.
    const large = manualTape(bytes, 1);
    const c = new TimeMachine(textRecording(bytes), small, { readElsewhere: large.readElsewhere, tapeItems: 60 });
    large.deliver();
    expect(c.readsElsewhere).toBe(false);
    c.seek({ to: 'end' });
    expect(state(c.session)).toEqual(state(freshAt(bytes, c.recording.count)));
  });
});

describe('a .cast recording held packed', () => {
  it('gives back every event as read, past the first sizes of its buffers', () => {
    // 5 000 events (the index starts at 1 024) of up to 300 bytes (the data starts at 64 KiB).
    const events = new CastEvents();
    const want: { t: number; type: 'o' | 'i' | 'm'; bytes: Uint8Array; text: string }[] = [];
    for (let i = 0; i < 5000; i++) {
      const type = (['o', 'i', 'm'] as const)[i % 3]!;
      const e = { t: i * 1.5, type, bytes: enc('x'.repeat(i % 300)), text: type === 'm' ? `mark ${i}` : '' };
      want.push(e);
      events.push(e);
    }
    const rec = castRecording(events, 1000);
    expect(rec.count).toBe(5000);
    for (const i of [0, 1, 2, 1023, 1024, 1025, 4999]) expect(rec.event(i)).toEqual(want[i]);
    expect(rec.bytesBefore(0)).toBe(0);
    expect(rec.bytesBefore(5000)).toBe(1000);
  });
});
