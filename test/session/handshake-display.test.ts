/**
 * The ladder the Handshake pane shows comes from the session with the port gaps already taken
 * out of each state's time (the pane computes no protocol facts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';

// In tls12_server_untrusted.log (grep -n 'client state:'): HELLO_REQUEST at line 12,
// CLIENT_HELLO 16, SERVER_HELLO 221, SERVER_CERTIFICATE 259. Fed at 10 ms a line, a state
// lasts (next state's line - its line) × 10 ms of the device's time.
const bytes = readFileSync(new URL('../../recordings/tls12_server_untrusted.log', import.meta.url));

/** The log at 10 ms a line; with `gapAt`, the port gone for 10 s before that 0-based line. */
function session(gapAt: number | null) {
  const s = createSession({ source: { type: 'serial', name: '/dev/ttyACM0' } });
  s.setStatus({ state: 'open' }, 0);
  let start = 0;
  let i = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, start)) {
    if (i === gapAt) {
      s.setStatus({ state: 'reconnecting', detail: '/dev/ttyACM0 vanished' }, i * 10 - 5);
      s.setStatus({ state: 'open' }, i * 10 + 9_995);
    }
    s.feed(bytes.subarray(start, at + 1), i * 10 + (gapAt !== null && i >= gapAt ? 10_000 : 0));
    start = at + 1;
    i++;
  }
  return s;
}

function fed(gapAt: number | null) {
  const snap = session(gapAt).getSnapshot();
  return Object.fromEntries(snap.handshakeDisplay!(0).ladder.filter((r) => r.visit !== null).map((r) => [r.state.replace('MBEDTLS_SSL_', ''), [r.durationMs, r.portGoneMs]]));
}

describe('the ladder of a handshake', () => {
  it('gives each state its time without the time the port was gone, and that time beside it', () => {
    // The gap before line 101 falls in CLIENT_HELLO (lines 16–221): (221 - 16) × 10 ms of its own.
    const rungs = fed(100);
    expect(rungs['CLIENT_HELLO']).toEqual([2050, 10_000]);
    expect(rungs['HELLO_REQUEST']).toEqual([40, 0]);
    expect(rungs['SERVER_HELLO']).toEqual([380, 0]);
  });

  it('without a gap, each state keeps its whole time', () => {
    const rungs = fed(null);
    expect(rungs['CLIENT_HELLO']).toEqual([2050, 0]);
    expect(rungs['SERVER_HELLO']).toEqual([380, 0]);
  });

  it('is worked out once for a done handshake, and again when the port gaps change', () => {
    const s = session(100);
    const first = s.getSnapshot().handshakeDisplay!(0);
    s.feed(new TextEncoder().encode('one more line\n'), 5000);
    expect(s.getSnapshot().handshakeDisplay!(0)).toBe(first);
    s.setStatus({ state: 'reconnecting', detail: 'gone again' }, 6000);
    expect(s.getSnapshot().handshakeDisplay!(0)).not.toBe(first);
  });
});
