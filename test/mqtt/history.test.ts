import { describe, expect, it } from 'vitest';
import { MqttHistory } from '../../src/mqtt/history.ts';
import { isValidTopicFilter, topicMatches } from '../../src/mqtt/topic-filter.ts';
import { payloadPreview } from '../../src/mqtt/preview.ts';
import { DEFAULT_PRESETS, parsePresets } from '../../src/mqtt/presets.ts';

const msg = (i: number, topic = 'a/b') => ({ t: i, line: i, source: 'device' as const, direction: 'out' as const, topic, qos: 0, payload: `m${i}` });

describe('MqttHistory', () => {
  it('keeps 10 000 entries by default and counts what it dropped', () => {
    const h = new MqttHistory();
    for (let i = 0; i < 10_005; i++) h.add(msg(i));
    expect(h.size).toBe(10_000);
    expect(h.dropped).toBe(5);
    expect(h.entries()[0]!.payload).toBe('m5');
    expect(h.entries().at(-1)!.id).toBe(10_005);
  });

  it('takes a configured limit', () => {
    const h = new MqttHistory({ limit: 3 });
    for (let i = 0; i < 5; i++) h.add(msg(i));
    expect(h.entries().map((e) => e.payload)).toEqual(['m2', 'm3', 'm4']);
  });

  it('filters by topic filter with + and #', () => {
    const h = new MqttHistory();
    ['a/b', 'a/c', 'a/b/c', 'x'].forEach((t, i) => h.add(msg(i, t)));
    expect(h.entries('a/+').map((e) => e.topic)).toEqual(['a/b', 'a/c']);
    expect(h.entries('a/#').map((e) => e.topic)).toEqual(['a/b', 'a/c', 'a/b/c']);
    expect(h.entries('x').map((e) => e.topic)).toEqual(['x']);
  });
});

describe('topic filters', () => {
  it.each([
    ['#', 'a/b', true], ['a/#', 'a', true], ['a/+', 'a/b', true], ['a/+', 'a/b/c', false], ['+/+', 'a/b', true],
    ['a/b', 'a/b', true], ['a/b', 'a/c', false], ['#', '$SYS/x', false], ['+/x', '$SYS/x', false], ['$SYS/#', '$SYS/x', true],
  ])('%s matches %s: %s', (f, t, want) => expect(topicMatches(f, t)).toBe(want));
  it('rejects malformed filters', () => {
    expect(isValidTopicFilter('a/#/b')).toBe(false);
    expect(isValidTopicFilter('a+')).toBe(false);
    expect(isValidTopicFilter('')).toBe(false);
    expect(isValidTopicFilter('a/+/#')).toBe(true);
  });
});

describe('payload preview', () => {
  it('pretty-prints JSON', () => {
    expect(payloadPreview('{"led":"on","n":[1,2]}')).toEqual({ text: '{\n  "led": "on",\n  "n": [\n    1,\n    2\n  ]\n}', format: 'json', truncated: false, bytes: 22 });
  });
  it('shows text as is, and binary bytes as hex', () => {
    expect(payloadPreview('TURN ON')).toMatchObject({ text: 'TURN ON', format: 'text' });
    expect(payloadPreview(new Uint8Array([0x00, 0xff, 0x10]))).toEqual({ text: '00 ff 10', format: 'binary', truncated: false, bytes: 3 });
    expect(payloadPreview('hex:00ff10')).toMatchObject({ text: '00 ff 10', format: 'binary', bytes: 3 });
    expect(payloadPreview(new TextEncoder().encode('héllo'))).toMatchObject({ text: 'héllo', format: 'text', bytes: 6 });
  });
  it('marks truncation', () => {
    expect(payloadPreview('x'.repeat(50), { maxChars: 10 })).toEqual({ text: 'xxxxxxxxxx… [truncated, 50 bytes]', format: 'text', truncated: true, bytes: 50 });
    expect(payloadPreview(new Uint8Array(100), { maxChars: 8 })).toEqual({ text: '00 00 00… [truncated, 100 bytes]', format: 'binary', truncated: true, bytes: 100 });
  });
  it('says empty', () => {
    expect(payloadPreview('')).toMatchObject({ format: 'empty', text: '' });
  });
});

describe('publish presets', () => {
  it('loads presets from config data with defaults for qos and retain', () => {
    const { presets, errors } = parsePresets({ mqtt: { presets: [{ topic: 'ledstatus', payload: 'TURN ON', qos: 1 }, { name: 'cfg', topic: 'dev/cfg', payload: { rate: 5 }, retain: true }] } });
    expect(errors).toEqual([]);
    expect(presets).toEqual([
      { name: 'ledstatus: TURN ON', topic: 'ledstatus', payload: 'TURN ON', qos: 1, retain: false },
      { name: 'cfg', topic: 'dev/cfg', payload: '{"rate":5}', qos: 0, retain: true },
    ]);
  });
  it('rejects bad entries one message each and keeps the good ones', () => {
    const { presets, errors } = parsePresets([{ topic: 'a/#' }, { topic: 'b', qos: 3 }, { payload: 'x' }, { topic: 'ok', retain: 'yes' }, { topic: 'fine' }]);
    expect(errors).toEqual(['preset 1: topic must not contain + or #', 'preset 2: qos must be 0, 1 or 2', 'preset 3: topic is missing', 'preset 4: retain must be true or false']);
    expect(presets.map((p) => p.topic)).toEqual(['fine']);
  });
  it('has the example app messages as defaults', () => {
    expect(DEFAULT_PRESETS.map((p) => p.payload)).toEqual(['TURN ON', 'TURN OFF']);
  });
});
