// Issue 15: the interactive replay of a damaged .cast says what it skipped, as `replay --json`
// and `summarize` do on stderr: in the status bar and as a note in the log pane, and again after
// a seek (which builds a new session from the start).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadRecording } from '../../src/io/recording.ts';
import { createSession } from '../../src/session/create-session.ts';
import { TimeMachine } from '../../src/session/time-machine.ts';
import { replayPlayer, type ReplayPlayer } from '../../src/cli/replay-player.ts';
import { renderApp, type Rendered } from './helpers/render.tsx';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-damaged-ui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opened: { r: Rendered; player: ReplayPlayer }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.r.unmount();
    o.player.close();
  }
});

describe('interactive replay of a damaged recording', () => {
  it('shows `skipped N damaged lines (lines …)` in the status bar and the log pane, also after a seek', async () => {
    const path = join(dir, 'damaged.cast');
    // File lines: 1 header, 2 and 4 events, 3 not JSON, 5 cut mid-line (as kill -9 leaves it).
    writeFileSync(path, [
      '{"version": 2, "width": 80, "height": 24, "timestamp": 0}',
      '[0.001, "o", "ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_CLIENT_HELLO\\n"]',
      '[0.002, "o", "half an ev',
      '[0.003, "o", "ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_HELLO\\n"]',
      '[0.004, "o", "cut',
    ].join('\n'));
    const recording = await loadRecording(path);
    const tm = new TimeMachine(recording, () => createSession({ source: { type: 'file', name: path } }));
    const player = replayPlayer(tm, { speed: 1, paused: true });
    const r = await renderApp(tm, { replay: player }, { columns: 200, rows: 40 });
    opened.push({ r, player });
    const warning = 'skipped 2 damaged lines (lines 3, 5)';
    const statusBar = (): string => r.frame().split('\n').slice(-2).join('\n');
    expect(statusBar()).toContain(warning);
    await r.press('6');
    expect(r.frame()).toContain(`--- damaged recording: ${warning}`);
    // To the end and back to the start: each seek is a new session, and it says so too.
    await r.press('G');
    await r.waitFor('SERVER_HELLO');
    await r.press('g');
    expect(statusBar()).toContain(warning);
    expect(r.frame()).toContain(`--- damaged recording: ${warning}`);
  });
});
