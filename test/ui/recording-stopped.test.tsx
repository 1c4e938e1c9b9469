// Issue 15: when the recording stops (disk full), the status bar says so instead of the path,
// and the log pane holds the note; the session goes on.
import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/session/create-session.ts';
import { renderApp, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

describe('status bar', () => {
  it('shows `recording stopped: disk full (ENOSPC)` once the recorder failed', async () => {
    const s = createSession({ source: { type: 'serial', name: '/dev/ttyACM0', baud: 115200, recordingPath: '/mnt/full/session.cast' } });
    const events: unknown[] = [];
    s.onEvent((e) => events.push(e));
    s.feed(new TextEncoder().encode('ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_CLIENT_HELLO\n'), 1);
    r = await renderApp(s, {}, { columns: 160, rows: 40 });
    expect(r.frame()).toContain('recording → /mnt/full/session.cast');
    s.recordingStopped('disk full (ENOSPC)', 2);
    s.feed(new TextEncoder().encode('ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_HELLO\n'), 3);
    await r.press('6');
    const frame = r.frame();
    expect(frame).toContain('recording stopped: disk full (ENOSPC)');
    expect(frame).not.toContain('recording → ');
    expect(frame).toContain('--- recording stopped: disk full (ENOSPC)');
    expect(events).toContainEqual({ kind: 'record.stopped', t: 2, line: null, path: '/mnt/full/session.cast', detail: 'disk full (ENOSPC)' });
    // Parsing went on after it.
    expect(s.handshakeViews()[0]!.states).toContain('MBEDTLS_SSL_SERVER_HELLO');
  });
});
