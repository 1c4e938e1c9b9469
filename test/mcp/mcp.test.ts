/**
 * `hsmon mcp` end to end: the MCP SDK's own client (@modelcontextprotocol/client) talks to a
 * real `bin/hsmon.js mcp …` child process over stdio, as an agent host does.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hsmon } from '../helpers/cli.ts';
import { startMcp, type McpSession } from '../helpers/mcp.ts';
import { poll } from '../helpers/poll.ts';

const open: McpSession[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
});
async function mcp(args: string[], opts: { modern?: boolean } = {}): Promise<McpSession> {
  const s = await startMcp(args, {}, opts);
  open.push(s);
  return s;
}

interface FindingOut { code: string; failedAt: string | null; fix: string; hint: string; line: number; lines: number[]; evidence: { seq: number; text: string }[] }
interface EventOut { seq: number; kind: string; line: number | null; [k: string]: unknown }

/**
 * The failing logs, each with what was worked out by hand:
 * - tls12_no_shared_cipher.log: `grep -n 'client state\|got an alert' …` → the last state is
 *   SERVER_HELLO (line 119), alert [2:40] at line 133 (seq 132);
 * - tls12_server_untrusted.log: `grep -n 'client state\|verification flags' …` → SERVER_CERTIFICATE
 *   (line 259), `Certificate verification flags 00000008` at line 321 (seq 320);
 * - test/fixtures/diagnosis/tls12_client_cert_rejected.log: `grep -n 'client state\|\[2:42\]'` →
 *   SERVER_CHANGE_CIPHER_SPEC (line 457), alert [2:42] at line 460 (seq 459);
 * - test/fixtures/diagnosis/psa_ecdh_export_failed.log: `grep -n 'client state\|ECDH\|0x7f80'` →
 *   CLIENT_KEY_EXCHANGE (line 360), `Perform PSA-based ECDH computation.` at line 362, then
 *   `mbedtls_ssl_handshake failed 0x7f80` at line 363 (seq 362), the first evidence.
 * - tls13_client_cert_required.log: `grep -n '<= handshake\|\[2:116\]'` → the client finished its
 *   side (`<= handshake`, line 632: HANDSHAKE_OVER), then alert [2:116] certificate_required
 *   at line 689 (seq 688): TLS 1.3 rejects the client certificate after the handshake.
 * The fix words are the configuration the catalog names for that cause.
 */
const FAILING: { file: string; code: string; step: string; evidenceSeq: number; evidenceText: RegExp; fixWords: RegExp }[] = [
  { file: 'recordings/tls12_no_shared_cipher.log', code: 'no-shared-ciphersuite', step: 'SERVER_HELLO', evidenceSeq: 132, evidenceText: /got an alert message, type: \[2:40\]/, fixWords: /MBEDTLS_SHA384_C/ },
  { file: 'recordings/tls12_server_untrusted.log', code: 'server-cert-untrusted', step: 'SERVER_CERTIFICATE', evidenceSeq: 320, evidenceText: /Certificate verification flags 00000008/, fixWords: /mbedtls_ssl_conf_ca_chain/ },
  { file: 'recordings/tls13_client_cert_required.log', code: 'client-cert-rejected', step: 'HANDSHAKE_OVER', evidenceSeq: 688, evidenceText: /type: \[2:116\]/, fixWords: /mbedtls_ssl_conf_own_cert/ },
  { file: 'test/fixtures/diagnosis/tls12_client_cert_rejected.log', code: 'client-cert-rejected', step: 'SERVER_CHANGE_CIPHER_SPEC', evidenceSeq: 459, evidenceText: /type: \[2:42\]/, fixWords: /[Rr]egister the device certificate/ },
  { file: 'test/fixtures/diagnosis/psa_ecdh_export_failed.log', code: 'psa-ecdh-export-failed', step: 'CLIENT_KEY_EXCHANGE', evidenceSeq: 362, evidenceText: /mbedtls_ssl_handshake failed 0x7f80/, fixWords: /MBEDTLS_SSL_OUT_CONTENT_LEN/ },
];

describe('hsmon mcp --replay: one call names the root cause', () => {
  for (const c of FAILING) {
    it(`${c.file}: summary holds ${c.code} on the failed handshake`, async () => {
      const s = await mcp(['--replay', c.file]);
      const summary = await s.call<{ schema: string; handshakes: { index: number; outcome: string; failedAt: string }[]; findings: { code: string; handshake?: number }[] }>('summary');
      expect(summary.schema).toBe('hsmon/v1');
      const failed = summary.handshakes.find((h) => h.outcome === 'failed')!;
      expect(failed.failedAt).toBe(`MBEDTLS_SSL_${c.step}`);
      expect(summary.findings.find((f) => f.code === c.code)?.handshake).toBe(failed.index);
      // The text part is the human summary: the verdict first.
      expect(s.results[0]).toContain('FAILED');
    }, 30_000);
  }

  it('the summary tool is the same object as `hsmon summarize --json`', async () => {
    const file = 'recordings/tls12_server_untrusted.log';
    const s = await mcp(['--replay', file]);
    const viaMcp = await s.call('summary');
    const cli = JSON.parse((await hsmon(['summarize', file, '--json'])).stdout);
    const { isError: _e, text: _t, ...structured } = viaMcp;
    expect(structured).toEqual(cli);
  }, 30_000);
});

describe('a scripted agent: the three calls of AGENTS.md give the code, the failing step and the fix', () => {
  for (const c of FAILING) {
    it(c.file, async () => {
      const s = await mcp(['--replay', c.file]);
      // 1. summary: which attempt failed, in which step, and the finding on it.
      const summary = await s.call<{ handshakes: { index: number; outcome: string; failedAt: string }[]; findings: { code: string; handshake?: number }[] }>('summary');
      const failed = summary.handshakes.find((h) => h.outcome === 'failed')!;
      expect(failed.failedAt.replace(/^MBEDTLS_SSL_/, '')).toBe(c.step);
      const code = summary.findings.find((f) => f.handshake === failed.index && f.code === c.code)?.code;
      expect(code).toBe(c.code);
      // 2. findings: the fix, and where the evidence is.
      const { findings } = await s.call<{ findings: FindingOut[] }>('findings');
      const f = findings.find((x) => x.code === code)!;
      expect(f.failedAt).toBe(c.step);
      expect(`${f.fix}\n${f.hint}`).toMatch(c.fixWords);
      expect(f.line).toBe(c.evidenceSeq);
      // 3. log: the lines around the first evidence line, as the device printed them.
      const { lines } = await s.call<{ lines: { seq: number; text: string }[] }>('log', { from: Math.max(0, f.line - 3), to: f.line + 3 });
      expect(lines.find((l) => l.seq === c.evidenceSeq)?.text).toMatch(c.evidenceText);
      expect(s.results).toHaveLength(3);
      // The fix is the catalog's, as `hsmon explain CODE` prints it.
      expect(JSON.parse((await hsmon(['explain', f.code, '--json'])).stdout).fix).toBe(f.fix);
    }, 30_000);
  }
});

describe('events: cursor paging', () => {
  it('three pages lose and repeat nothing, and match replay --json event for event', async () => {
    const file = 'recordings/tls13_mtls_ok.log';
    const s = await mcp(['--replay', file]);
    const { cursor: total } = await s.call<{ cursor: number }>('status');
    expect(total).toBeGreaterThan(30);
    const limit = Math.ceil(total / 3);
    const pages: { events: EventOut[]; next: number; more: boolean; dropped: number }[] = [];
    let cursor = 0;
    for (let i = 0; i < 3; i++) {
      const page = await s.call<{ events: EventOut[]; next: number; more: boolean; dropped: number }>('events', { cursor, limit });
      pages.push(page);
      cursor = page.next;
    }
    expect(pages.map((p) => p.more)).toEqual([true, true, false]);
    expect(pages.every((p) => p.dropped === 0)).toBe(true);
    const seqs = pages.flatMap((p) => p.events.map((e) => e.seq));
    expect(seqs).toEqual([...Array(total).keys()]);
    // A fourth call from the last cursor has nothing new.
    const after = await s.call<{ events: EventOut[]; next: number }>('events', { cursor });
    expect(after).toMatchObject({ events: [], next: total });
    // The same events as the NDJSON view of the same file (findings are printed when found).
    const nd = (await hsmon(['replay', file, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as EventOut).filter((e) => e.kind !== 'summary' && e.kind !== 'finding');
    const mine = pages.flatMap((p) => p.events).filter((e) => e.kind !== 'finding').map(({ seq: _s, ...e }) => e);
    expect(mine).toEqual(nd);
  }, 30_000);

  it('kinds filter by exact kind or by prefix', async () => {
    const s = await mcp(['--replay', 'recordings/tls12_no_shared_cipher.log']);
    const alerts = await s.call<{ events: EventOut[] }>('events', { kinds: ['tls.alert'] });
    // grep -c 'got an alert message' tls12_no_shared_cipher.log → 1
    expect(alerts.events.map((e) => [e.kind, e.line])).toEqual([['tls.alert', 132]]);
    const tls = await s.call<{ events: EventOut[] }>('events', { kinds: ['tls.'], limit: 500 });
    expect(tls.events.length).toBeGreaterThan(5);
    expect(tls.events.every((e) => e.kind.startsWith('tls.'))).toBe(true);
  }, 30_000);
});

describe('no secrets in any tool result', () => {
  it('tls12_gcm_debug4_ok.log prints its master secret; no tool or resource gives it back', async () => {
    // grep -n -A3 "dumping 'master secret'" recordings/tls12_gcm_debug4_ok.log → lines 567–569;
    // grep -n -A2 "dumping 'premaster secret'" → lines 563–564.
    const log = readFileSync('recordings/tls12_gcm_debug4_ok.log', 'utf8').split('\n');
    const rows = [...log.slice(566, 569), ...log.slice(562, 564)].map((l) => /\d{4}:\s+((?:[0-9a-f]{2} ){15}[0-9a-f]{2})/.exec(l)![1]!);
    expect(rows[0]).toBe('1a a9 aa 90 d5 60 00 26 43 eb b2 24 86 56 7d 8a');
    const secretBits = rows.flatMap((r) => [r, r.replace(/ /g, ''), r.slice(0, 23)]);

    const s = await mcp(['--replay', 'recordings/tls12_gcm_debug4_ok.log']);
    const status = await s.call<{ cursor: number }>('status');
    await s.call('summary');
    await s.call('findings');
    for (let c = 0; c < status.cursor; ) c = (await s.call<{ next: number }>('events', { cursor: c, limit: 500 })).next;
    const all = await s.call<{ lines: { text: string }[] }>('log', { limit: 1000 });
    await s.call('log', { from: 560, to: 575 });
    await s.call('wait_for', { until: 'line', value: 'master secret', after: 0, timeout_s: 1 });
    await s.call('wait_for', { until: 'finding', after: 0, timeout_s: 1 });
    const resources = await Promise.all(['hsmon://summary', 'hsmon://findings', 'hsmon://handshake/0'].map((uri) => s.client.readResource({ uri })));
    const everything = [...s.results, JSON.stringify(resources)].join('\n');
    // The redacted rows are there, as rows: the log tool returns the lines, not their bytes.
    expect(all.lines.some((l) => /dumping 'master secret'/.test(l.text))).toBe(true);
    expect(everything).toMatch(/session-secrets-in-log/);
    for (const bit of secretBits) expect(everything).not.toContain(bit);
  }, 30_000);
});

describe('hsmon mcp --sim: act on the device and wait for the result', () => {
  it('send_command retry, then wait_for the handshake: the new attempt\'s verdict', async () => {
    const s = await mcp(['--sim', '--scenario', 'no-shared-cipher']);
    const progress: number[] = [];
    // The first attempt at boot: about 60 KB of debug output at 115200 baud, several seconds.
    const first = await s.call<{ matched: boolean; event: { handshake: { index: number; outcome: string; failedAt: string } }; cursor: number }>(
      'wait_for', { until: 'handshake', after: 0, timeout_s: 50 }, { onprogress: (p) => progress.push(p.progress) },
    );
    expect(first.matched).toBe(true);
    expect(first.event.handshake).toMatchObject({ index: 0, outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_HELLO' });
    expect(progress.length).toBeGreaterThan(0);
    const sent = await s.call<{ sent: boolean; cursor: number }>('send_command', { command: 'retry-connect' });
    expect(sent.sent).toBe(true);
    expect(sent.cursor).toBeGreaterThanOrEqual(first.cursor);
    const next = await s.call<{ matched: boolean; event: { handshake: { index: number; outcome: string } } }>('wait_for', { until: 'handshake', after: sent.cursor, timeout_s: 50 });
    expect(next.matched).toBe(true);
    expect(next.event.handshake).toMatchObject({ index: 1, outcome: 'failed' });
    const { findings } = await s.call<{ findings: FindingOut[] }>('findings', { since: sent.cursor });
    expect(findings.map((f) => f.code)).toContain('no-shared-ciphersuite');
    // What hsmon sent is in the log as tx.
    const { lines } = await s.call<{ lines: { dir: string; text: string }[] }>('log', { regex: '^retry$' });
    expect(lines.map((l) => [l.dir, l.text])).toContainEqual(['tx', 'retry']);
  }, 120_000);

  it('a destructive command without confirm is refused and says so; with confirm it runs', async () => {
    const s = await mcp(['--sim']);
    const status = await s.call<{ commands: { name: string; destructive: boolean }[] }>('status');
    expect(status.commands).toContainEqual({ name: 'regenerate-key', description: expect.any(String), destructive: true });
    const refused = await s.call<{ sent: boolean; message: string }>('send_command', { command: 'regenerate-key' }, { allowError: true });
    expect(refused.isError).toBe(true);
    expect(refused.sent).toBe(false);
    expect(refused.message).toMatch(/destructive: not sent\. Call again with confirm: true/);
    const { lines: none } = await s.call<{ lines: unknown[] }>('log', { regex: '^regen$' });
    expect(none).toEqual([]);
    const ok = await s.call<{ sent: boolean; cursor: number }>('send_command', { command: 'regenerate-key', confirm: true });
    expect(ok.sent).toBe(true);
    // The simulated device answers `regen` with a new key and certificate (src/sim/device-text.ts).
    const cert = await s.call<{ matched: boolean }>('wait_for', { until: 'event', value: 'cert.pem', after: ok.cursor, timeout_s: 50 });
    expect(cert.matched).toBe(true);
  }, 120_000);

  for (const era of ['legacy', 'modern'] as const) it(`subscribed resources announce updates (${era} protocol); reading them again shows the change`, async () => {
    const s = await mcp(['--sim', '--scenario', 'no-shared-cipher'], { modern: era === 'modern' });
    expect(s.client.getProtocolEra()).toBe(era);
    const updated: string[] = [];
    s.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    // 2025: resources/subscribe; 2026-07-28: a subscriptions/listen stream naming the resource.
    if (era === 'legacy') await s.client.subscribeResource({ uri: 'hsmon://summary' });
    else expect((await s.client.listen({ resourceSubscriptions: ['hsmon://summary'] })).honoredFilter).toEqual({ resourceSubscriptions: ['hsmon://summary'] });
    await s.call('wait_for', { until: 'handshake', after: 0, timeout_s: 50 });
    await poll('an update of hsmon://summary', () => updated.includes('hsmon://summary'), { last: () => updated });
    const read = await s.client.readResource({ uri: 'hsmon://summary' });
    const summary = JSON.parse((read.contents[0] as { text: string }).text);
    expect(summary.handshakes[0].outcome).toBe('failed');
  }, 120_000);
});

describe('hsmon mcp --replay … --speed: a paced replay', () => {
  it('answers while it plays, and wait_for end returns once the input ended', async () => {
    // tls12_no_shared_cipher.log as a recording in two halves 1.5 s apart, played at its pace.
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const log = readFileSync('recordings/tls12_no_shared_cipher.log', 'utf8');
    const cut = log.indexOf('\n', log.length / 2) + 1;
    const path = join(mkdtempSync(join(tmpdir(), 'hsmon-mcp-')), 'paced.cast');
    const header = { version: 2, width: 120, height: 40, timestamp: 1795357988, hsmon: { version: 1, source: 'test', baud: 115200, redacted: true } };
    writeFileSync(path, [JSON.stringify(header), JSON.stringify([0.1, 'o', log.slice(0, cut)]), JSON.stringify([1.6, 'o', log.slice(cut)]), ''].join('\n'));
    const s = await mcp(['--replay', path, '--speed', '1']);
    const end = await s.call<{ matched: boolean; reason: string }>('wait_for', { until: 'end', after: 0, timeout_s: 30 });
    expect(end).toMatchObject({ matched: true, reason: 'matched' });
    const st = await s.call<{ ended: boolean; counts: { handshakes: number; failed: number } }>('status');
    expect(st).toMatchObject({ ended: true, counts: { handshakes: 1, failed: 1 } });
  }, 60_000);
});

describe('hsmon mcp on stdio', () => {
  it('ends with exit 0 when the client closes stdin', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const r = await hsmon(['mcp', '--replay', 'recordings/tls13_mtls_ok.log'], { input: JSON.stringify(init) + '\n' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n')[0]!)).toMatchObject({ id: 1, result: { serverInfo: { name: 'hsmon' } } });
  });

  it('logs to stderr only, each line marked', async () => {
    const s = await mcp(['--replay', 'recordings/tls13_mtls_ok.log']);
    await s.call('status');
    expect(s.stderr()).toMatch(/^hsmon mcp: serving file recordings\/tls13_mtls_ok\.log on stdio\n$/);
  });

  it('a replay is ingested whole before the first answer', async () => {
    const s = await mcp(['--replay', 'recordings/tls13_mtls_ok.log']);
    const st = await s.call<{ ended: boolean; counts: { lines: number; handshakes: number } }>('status');
    // wc -l recordings/tls13_mtls_ok.log → 1001
    expect(st).toMatchObject({ ended: true, counts: { lines: 1001, handshakes: 1 } });
  });

  it('a replayed file takes no device commands', async () => {
    const s = await mcp(['--replay', 'recordings/tls13_mtls_ok.log']);
    const r = await s.call<{ sent: boolean; message: string }>('send_command', { command: 'retry-connect' }, { allowError: true });
    expect(r).toMatchObject({ isError: true, sent: false, message: 'a replayed file takes no device commands (use --sim or a serial PORT)' });
  });

  it('every tool has an input and an output schema', async () => {
    const s = await mcp(['--replay', 'recordings/tls13_mtls_ok.log']);
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['events', 'findings', 'log', 'send_command', 'status', 'summary', 'wait_for']);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
    }
  });
});
