/**
 * `--broker` is checked at start: the session connects hsmon's broker client as it is created,
 * and the command waits for the client's first verdict before it opens the port. An error
 * retrying cannot fix (malformed URL, unreadable --ca/--cert/--key, TLS or credentials refused)
 * is a usage error: one line, exit 2. A broker that is merely down is retried as the session runs.
 */
import type { Session } from '../session/session.ts';
import { UsageError } from './errors.ts';

/** How long the first verdict may take before the command starts anyway (the client keeps trying). */
const VERDICT_MS = 6000;

export async function requireBroker(session: Session): Promise<void> {
  if (!session.broker) return;
  const status = await new Promise<{ state: string; detail?: string | undefined } | null>((resolve) => {
    const decided = (s: { state: string; detail?: string | undefined } | null | undefined): boolean => {
      if (!s || s.state === 'connecting') return false;
      off();
      clearTimeout(timer);
      resolve(s);
      return true;
    };
    const off = session.onEvent((e) => {
      if (e.kind === 'broker.status') decided({ state: e.state, detail: e.detail ?? undefined });
    });
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, VERDICT_MS);
    decided(session.getSnapshot().mqtt.brokerStatus);
  });
  if (status?.state === 'error') {
    await session.close();
    throw new UsageError(status.detail ?? 'the broker cannot be used');
  }
}
