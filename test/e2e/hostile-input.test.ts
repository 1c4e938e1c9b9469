/**
 * Issue 15's reproductions, each through the real `hsmon` command: a board without an RTC, a PSA
 * line cut by a reset into its `=` banner, 400-digit numbers, a recording cut mid-line or holding
 * bad event lines. Each asserts that the session goes on (the handshake around the hostile lines
 * reads as in the clean log), the summary is the last line, and every line is valid against
 * `hsmon schema`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastWriter } from '../../src/record/cast-writer.ts';
import { ROOT, hsmon } from '../helpers/cli.ts';

const D400 = '9'.repeat(400);
const CLEAN = readFileSync(join(ROOT, 'recordings/tls12_rsa_server_ok.log'), 'utf8').split('\n');
/** Inserted after line 20 of the clean log, so they are lines 20–23 (0-based seq) of the hostile one. */
const HOSTILE = [
  'ssl_client.c:0724: |3| client hello, current time: 18446744073709551615',
  `psa_gene\x1b[2J\x1b[;H${'='.repeat(60)}`,
  `ssl_msg.c:3242: |3| handshake message: msglen = ${D400}, type = 2, hslen = 122`,
  `ssl_msg.c:4803: |3| got an alert message, type: [2:${D400}]`,
];
const AT = 20;

let dir: string;
let validate: ReturnType<Ajv2020['compile']>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hsmon-hostile-'));
  validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse((await hsmon(['schema'])).stdout));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every stdout line as JSON, each checked against the schema; the summary must be the last. */
function lines(stdout: string): Record<string, unknown>[] {
  const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const o of out) if (!validate(o)) throw new Error(`not valid against hsmon schema: ${JSON.stringify(o).slice(0, 300)}\n${JSON.stringify(validate.errors?.slice(0, 3))}`);
  expect(out.at(-1)?.['kind']).toBe('summary');
  return out;
}

type Handshake = { outcome: string; states: string[]; ciphersuite: string };
const firstHandshake = (summary: Record<string, unknown>): Handshake => (summary['handshakes'] as Handshake[])[0]!;

describe('hostile device lines in a replay', () => {
  it('an RTC-less clock, a cut PSA line into a `=` banner and 400-digit numbers: anomalies on their lines, the handshake reads as without them', async () => {
    const file = join(dir, 'hostile.log');
    writeFileSync(file, [...CLEAN.slice(0, AT), ...HOSTILE, ...CLEAN.slice(AT)].join('\n'));
    const clean = await hsmon(['summarize', 'recordings/tls12_rsa_server_ok.log', '--json']);
    const replay = await hsmon(['replay', file, '--json']);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(clean.code);
    expect(replay.code).toBe(0);
    const events = lines(replay.stdout);
    const summary = events.at(-1)!;
    const want = firstHandshake(JSON.parse(clean.stdout));
    expect(firstHandshake(summary)).toMatchObject({ outcome: want.outcome, states: want.states, ciphersuite: want.ciphersuite });
    // grep -n 'current time\|msglen = 9\|type: \[2:9' hostile.log → lines 21, 23, 24 (1-based).
    const anomalies = events.filter((e) => e['kind'] === 'tls.anomaly');
    expect(anomalies.map((a) => a['line'])).toEqual([20, 22, 23]);
    expect(anomalies[0]!['message']).toMatch(/device clock is no date: current time 18446744073709551615/);
    expect(events.some((e) => e['kind'] === 'device.clock')).toBe(false);
    expect(events.filter((e) => e['kind'] === 'psa.call')).toEqual([]);
    // The worker path (summarize) and the in-process one (replay) agree.
    const summarized = await hsmon(['summarize', file, '--json']);
    expect(summarized.code).toBe(0);
    expect(firstHandshake(lines(summarized.stdout)[0]!)).toEqual(firstHandshake(summary));
  }, 60_000);
});

/** The clean log as an hsmon recording, one event per line, 10 ms apart. */
function castOf(path: string): string[] {
  const w = new CastWriter(path, { now: () => 0, flushMs: 10_000 });
  CLEAN.forEach((l, i) => w.rx(new TextEncoder().encode(`${l}\n`), i * 10));
  w.close();
  return readFileSync(path, 'utf8').split('\n');
}

describe('damaged recordings', () => {
  it('a .cast cut mid-line with bad event lines and an impossible time replays all that parses, says where on stderr, exits as the clean one', async () => {
    const good = join(dir, 'good.cast');
    const rows = castOf(good);
    const clean = await hsmon(['replay', good, '--json', '--speed', 'max']);
    expect(clean.code).toBe(0);
    const damaged = join(dir, 'damaged.cast');
    // rows[0] is the header; rows.at(-1) is '' after the final newline.
    const body = rows.slice(1, -1);
    const bad = [
      ...body.slice(0, 100),
      '[0.5, "o", "half an ev',                       // line 102: not JSON
      '{"not": "an event"}',                          // line 103: not [t, type, data]
      ...body.slice(100, 200),
      // An event whose time is a bit flip away from 2.0: it must not make a 1x replay wait.
      body[200]!.replace(/^\[[0-9.]+,/, '[1.0e+301,'), // line 204
      ...body.slice(201, -1),
    ];
    const last = body.at(-1)!;
    writeFileSync(damaged, `${[rows[0], ...bad].join('\n')}\n${last.slice(0, Math.floor(last.length / 2))}`);
    // --speed 1: the recording lasts 3.9 s; a wait for 1e301 s would be a hang (killed at 20 s).
    const r = await hsmon(['replay', damaged, '--json', '--speed', '1']);
    expect(r.code).toBe(clean.code);
    expect(r.stderr.trim().split('\n')).toEqual([
      `hsmon: ${damaged}: skipped 3 damaged lines (lines 102, 103, ${bad.length + 2}); replayed 1 event with an impossible time at the time before (line 204)`,
    ]);
    const events = lines(r.stdout);
    const want = firstHandshake(lines(clean.stdout).at(-1)!);
    expect(firstHandshake(events.at(-1)!)).toMatchObject({ outcome: want.outcome, states: want.states });
    // Only the cut last event (the last log line) is lost.
    expect(events.at(-1)!['lines']).toBe((lines(clean.stdout).at(-1)!['lines'] as number) - 1);
  }, 60_000);

  it('summarize of a recording whose only damage is a cut last line: no exit 13, summary printed', async () => {
    const path = join(dir, 'cut.cast');
    const text = readFileSync(join(dir, 'good.cast'), 'utf8');
    writeFileSync(path, text.slice(0, text.length - 7));
    const r = await hsmon(['summarize', path, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped 1 damaged line \(line \d+\)/);
    expect(lines(r.stdout)).toHaveLength(1);
  }, 30_000);
});

describe('an exception inside hsmon', () => {
  it('on the worker path as in process: reported as an internal error, the summary of what was read still printed, exit 2', async () => {
    // The clean log (one handshake, `<= handshake` on line 234: grep -n '<= handshake'), a line
    // that makes the parse stage throw (HSMON_TEST_THROW, honoured only under HSMON_STRICT=1,
    // which test/setup.ts sets), then the clean log again, which is never reached.
    const file = join(dir, 'bug.log');
    writeFileSync(file, [...CLEAN, 'hsmon-test-bug', ...CLEAN].join('\n'));
    const bugLine = CLEAN.length + 1;
    const env = { HSMON_TEST_THROW: 'hsmon-test-bug' };
    const onWorker = await hsmon(['summarize', file, '--json'], { env });
    const inProcess = await hsmon(['summarize', file, '--json'], { env: { ...env, HSMON_NO_WORKER: '1' } });
    for (const r of [onWorker, inProcess]) {
      expect(r.stderr).toBe(`hsmon: internal error while replaying ${file}: HSMON_TEST_THROW on line ${bugLine} (please report it with this file)\n`);
      expect(r.code).toBe(2);
      const out = lines(r.stdout);
      expect(out).toHaveLength(1);
      expect((out[0]!['handshakes'] as Handshake[]).map((h) => h.outcome)).toEqual(['ok']);
    }
    expect(JSON.parse(onWorker.stdout)).toEqual(JSON.parse(inProcess.stdout));
  }, 60_000);
});
