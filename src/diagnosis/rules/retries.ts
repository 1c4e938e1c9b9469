/**
 * Retries: the device reconnects again and again and fails the same way every time, which
 * retrying cannot fix.
 */
import { sessionRule, shortState } from '../rule.ts';
import type { HandshakeView } from '../../contracts/snapshot.ts';

/** Attempts in a row that make a loop (one failure can be bad luck, two a coincidence). */
export const RETRY_LOOP_MIN = 3;

/** What makes two failures "the same": where, which error, which alert. */
function signature(h: HandshakeView): string {
  return `${h.failedAt ?? '?'}|${h.error?.code ?? ''}|${h.alert ? `${h.alert.direction}${h.alert.description}` : ''}`;
}

function describe(h: HandshakeView): string {
  const parts = [`in ${shortState(h.failedAt)}`];
  if (h.alert) parts.push(`alert ${h.alert.description} (${h.alert.name}) ${h.alert.direction}`);
  if (h.error) parts.push(h.error.hex + (h.error.name ? ` ${h.error.name.replace(/^MBEDTLS_ERR_/, '')}` : ''));
  return parts.join(', ');
}

interface Loop {
  attempts: HandshakeView[];
}

export const connectRetryLoop = sessionRule<Loop>({
  code: 'connect-retry-loop',
  severity: 'warning',
  family: 'retries',
  test({ snapshot }) {
    const hs = snapshot.handshakes;
    // An attempt still running does not break the loop; look at the finished ones.
    const done = hs.filter((h) => h.endLine !== null || h.outcome !== 'incomplete');
    const last = done[done.length - 1];
    if (!last || last.outcome !== 'failed') return null;
    const sig = signature(last);
    const run: HandshakeView[] = [];
    for (let i = done.length - 1; i >= 0; i--) {
      const h = done[i]!;
      if (h.outcome !== 'failed' || signature(h) !== sig) break;
      run.unshift(h);
    }
    if (run.length < RETRY_LOOP_MIN) return null;
    const lines = run.slice(-20).map((h) => h.endLine ?? h.startLine);
    return { lines: [lines[lines.length - 1]!, ...lines.slice(0, -1)], data: { attempts: run }, handshake: last.index };
  },
  message(_ctx, d) {
    const first = d.attempts[0]!;
    const last = d.attempts[d.attempts.length - 1]!;
    const all = first.index === 0 ? 'every attempt' : `the last ${d.attempts.length} attempts`;
    return `The device connected ${d.attempts.length} times (handshakes ${first.index + 1}–${last.index + 1}) and ${all} failed the same way (${describe(last)}): retrying will not fix it.`;
  },
  hint() {
    return 'Fix the cause named in the other findings for these attempts; until then back off between attempts (exponential, capped) so the device does not hammer the broker and drain its battery.';
  },
});
