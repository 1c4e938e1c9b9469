/**
 * The text form of `hsmon summarize`: the verdict and what to do first, in plain words,
 * then the detail. It only formats the Summary; every fact comes from the store.
 */
import type { Finding, HandshakeSummary, Summary } from '../contracts/summary.ts';

const short = (state: string | null): string => (state ?? 'a state no line named').replace(/^MBEDTLS_SSL_/, '');

/** Where it failed: the step, what mbedTLS was doing in it when a line said, or after the handshake. */
export function failedWhere(h: Pick<HandshakeSummary, 'failedAt' | 'failedIn'>): string {
  if (h.failedAt === 'MBEDTLS_SSL_HANDSHAKE_OVER') return 'after the handshake (at the first read or write)';
  const within = h.failedIn === 'MBEDTLS_SSL_NEW_SESSION_TICKET' ? 'reading NewSessionTicket' : h.failedIn ? `mbedTLS state already ${short(h.failedIn)}` : null;
  return `in ${short(h.failedAt)}${within ? ` (${within})` : ''}`;
}

export function describeFailure(h: HandshakeSummary): string {
  const parts: string[] = [];
  if (h.alert) {
    const verb = h.alert.direction === 'received' ? 'received from the server' : 'sent by the device';
    parts.push(`${h.alert.level === 2 ? 'fatal ' : ''}alert ${h.alert.description} (${h.alert.name}) ${verb}`);
  }
  if (h.error) parts.push(`${h.error.hex}${h.error.name ? ` ${h.error.name}` : ''}`);
  return parts.join(', ') || 'no error was printed';
}

function verdict(s: Summary): string {
  const n = s.handshakes.length;
  if (n === 0) return `NO HANDSHAKE: no TLS handshake found in ${s.lines} lines.`;
  const failed = s.handshakes.filter((h) => h.outcome === 'failed');
  const incomplete = s.handshakes.filter((h) => h.outcome === 'incomplete');
  const last = s.handshakes[n - 1] as HandshakeSummary;
  if (failed.length > 0) {
    const f = failed[failed.length - 1] as HandshakeSummary;
    const which = n === 1 ? 'The TLS handshake' : `Handshake ${f.index + 1} of ${n}${failed.length > 1 ? ` (${failed.length} failed)` : ''}`;
    return `FAILED: ${which} failed ${failedWhere(f)}: ${describeFailure(f)}.`;
  }
  if (incomplete.length > 0) {
    return `INCOMPLETE: handshake ${incomplete[0]!.index + 1} of ${n} stopped in ${short(incomplete[0]!.states.at(-1) ?? null)} without a result (the log ends or a new attempt began).`;
  }
  return `OK: ${n === 1 ? 'the TLS handshake' : `all ${n} TLS handshakes`} completed (TLS ${last.tlsVersion ?? '?'}, ${last.ciphersuite ?? 'ciphersuite not printed'}).`;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * The finding that explains the verdict: an error on the failed handshake the verdict names,
 * else the most severe one (earliest first among equals).
 */
function topFinding(s: Summary): Finding | null {
  const failed = s.handshakes.filter((h) => h.outcome === 'failed').at(-1);
  const bySeverity = [...s.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.line - b.line);
  const onFailed = failed ? bySeverity.find((f) => f.handshake === failed.index && f.severity === 'error') : undefined;
  return onFailed ?? bySeverity[0] ?? null;
}

function findingLines(s: Summary): string[] {
  const out: string[] = [];
  const top = topFinding(s);
  const failing = s.handshakes.some((h) => h.outcome !== 'ok');
  if (top) {
    out.push(`${failing || top.severity === 'error' ? 'Why' : 'Note'}: ${top.message} (line ${top.line + 1})`);
    out.push(`Fix: ${top.hint}`);
  } else if (s.handshakes.some((h) => h.outcome === 'failed')) {
    out.push('Why: no rule recognised this failure; the states and errors below show where it stopped.');
  }
  const rest = [...s.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.line - b.line);
  if (rest.length > 1) {
    out.push('', 'Findings');
    for (const f of rest) out.push(`  [${f.severity}] ${f.code} (line ${f.line + 1}): ${f.message}`, `      → ${f.hint}`);
  }
  return out;
}

function handshakeLines(h: HandshakeSummary): string[] {
  const recs = h.records
    ? `records in ${h.records.in.count} (max ${h.records.in.maxLength} B), out ${h.records.out.count} (max ${h.records.out.maxLength} B)`
    : 'records unknown (no record lines: debug level 3 shows them)';
  const mfl = h.maxFragmentLength ? `, max_fragment_length ${h.maxFragmentLength}` : h.unknown.some((u) => u.field === 'maxFragmentLength') ? ', max_fragment_length unknown (debug level 3 shows it)' : '';
  const out = [
    `  #${h.index + 1} ${h.outcome.toUpperCase()}  TLS ${h.tlsVersion ?? '?'}  ${h.ciphersuite ?? '-'}${h.connection ? `  ctx ${h.connection}` : ''}  lines ${h.startLine + 1}–${h.endLine === null ? '?' : h.endLine + 1}`,
    `     states: ${h.states.map(short).join(' → ') || '(none printed)'}`,
    `     ${recs}${mfl}`,
  ];
  if (h.outcome === 'failed') out.push(`     failed ${failedWhere(h)}: ${describeFailure(h)}`);
  if (h.inferred) out.push(`     ok inferred: ${h.inferred}`);
  for (const a of h.anomalies) out.push(`     anomaly (line ${a.line + 1}): ${a.message}`);
  for (const m of h.fragmentedMessages) out.push(`     handshake message type ${m.type}: ${m.length} B in ${m.fragments} fragments`);
  for (const c of h.peerCertificates) out.push(`     peer certificate: ${c.subject ?? '?'} (issuer ${c.issuer ?? '?'})`);
  return out;
}

export function formatSummaryText(s: Summary): string {
  const lines = [verdict(s), ...findingLines(s), '', `Source: ${s.source} (${s.lines} lines)`];
  if (s.handshakes.length > 0) {
    lines.push('', 'Handshakes');
    for (const h of s.handshakes.slice(-20)) lines.push(...handshakeLines(h));
    if (s.handshakes.length > 20) lines.push(`  … ${s.handshakes.length - 20} earlier handshakes not shown (use --json)`);
  }
  if (s.certificates.length > 0) {
    lines.push('', 'Certificates');
    for (const c of s.certificates) {
      if (c.kind === 'csr') {
        lines.push(`  CSR ${c.subject} ${c.keyAlgorithm}${c.signatureValid === false ? ', signature INVALID' : ''} (line ${c.line + 1})`);
        continue;
      }
      const validity = c.expired ? ' EXPIRED' : c.notYetValid ? ' NOT YET VALID' : c.daysLeft !== undefined ? ` (${c.daysLeft} days left on the ${c.clock ?? 'host'} clock)` : '';
      lines.push(`  ${c.subject} (issuer ${c.issuer}${c.selfSigned ? ', self-signed' : ''}) ${c.keyAlgorithm}, valid ${c.notBefore} → ${c.notAfter}${validity}, sha256 ${c.sha256} (line ${c.line + 1})`);
      for (const m of c.keyMatch ?? []) {
        const other = m.with === 'csr' ? `the CSR at line ${m.line + 1}` : `the key the device exported at line ${m.line + 1}`;
        lines.push(m.result === 'match' ? `    key matches ${other}` : `    key does NOT match ${other}: ${m.reason}`);
      }
    }
  }
  if (s.keys.length > 0) {
    lines.push('', 'Keys');
    for (const k of s.keys) lines.push(`  id ${k.id} ${k.type ?? '?'} ${k.bits ?? '?'} bits ${k.alg ?? ''} ${k.lifetime ?? ''} last status ${k.lastStatus ?? '?'}`);
  }
  if (s.mqtt.messages.length > 0 || s.mqtt.connected) {
    lines.push('', `MQTT: ${s.mqtt.connected ? 'connected' : 'not connected'}; subscriptions: ${s.mqtt.subscriptions.map((x) => x.topic).join(', ') || 'none'}; ${s.mqtt.messages.length} messages`);
  }
  return lines.join('\n') + '\n';
}

/** Exit code of `hsmon summarize`: 0 every handshake ok, 1 one failed or is incomplete. */
/**
 * The exit code scripts read (README, AGENTS.md): 0 every handshake ok; 1 a handshake failed
 * or is incomplete; 3 no handshake found (an empty log, the wrong file, the wrong baud rate),
 * so a CI check cannot pass on a log that proves nothing. 2 (usage, unreadable input) is
 * decided before there is a summary.
 */
export function summaryExitCode(s: Summary): 0 | 1 | 3 {
  if (s.handshakes.length === 0) return 3;
  return s.handshakes.every((h) => h.outcome === 'ok') ? 0 : 1;
}
