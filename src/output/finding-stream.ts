/**
 * Findings as NDJSON events while a session runs, not only in the final summary: an agent
 * tailing `--json` learns why a handshake failed when it fails. Each finding is printed once
 * (by code and evidence line); the diagnosis runs when a handshake ends and at the end.
 */
import type { Session, SessionEvent } from '../session/session.ts';

const MIN_INTERVAL_MS = 200;
const TRIGGERS = new Set(['tls.handshake.result', 'secret.redacted', 'cert.pem']);

export function streamFindings(session: Session, write: (e: SessionEvent) => void): { flush(t: number): void } {
  const seen = new Set<string>();
  let due = false;
  const flush = (t: number) => {
    due = false;
    for (const f of session.getSnapshot().findings) {
      const key = `${f.code}@${f.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      write({ kind: 'finding', t, line: f.line, finding: f });
    }
  };
  let last = -Infinity;
  session.onEvent((e) => {
    if (!TRIGGERS.has(e.kind) || due) return;
    due = true;
    // After every listener has seen the event (the diagnosis facts among them), and at most
    // every 200 ms: a replay at full speed ends hundreds of handshakes a second.
    const wait = Math.max(0, last + MIN_INTERVAL_MS - performance.now());
    setTimeout(() => {
      last = performance.now();
      flush(e.t);
    }, wait).unref();
  });
  return { flush };
}
