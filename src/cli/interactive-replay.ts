/**
 * `hsmon replay FILE` in a terminal: the whole recording in memory, a time machine over it (so
 * g/G, [ ], { }, # and ← → go anywhere and every pane follows) and a player that paces it.
 */
import { loadRecording } from '../io/recording.ts';
import { Session } from '../session/session.ts';
import { attachDiagnosis } from '../session/diagnosis-hook.ts';
import { TimeMachine } from '../session/time-machine.ts';
import type { Speed } from '../ui/controls.ts';
import type { mountMonitor } from '../ui/mount.tsx';
import { replayPlayer } from './replay-player.ts';

export interface ReplayRunOptions {
  path: string;
  speed: Speed;
  mbedtls?: '2.28' | '3.6' | undefined;
  redact: boolean;
}

export async function runReplayMonitor(
  opts: ReplayRunOptions,
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
  mount: typeof mountMonitor,
): Promise<number> {
  let recording;
  try {
    recording = await loadRecording(opts.path);
  } catch (err) {
    io.stderr.write(`hsmon: ${(err as Error).message}\n`);
    return 2;
  }
  const makeSession = (): Session => {
    const s = new Session({ source: { type: 'file', name: opts.path }, mbedtls: opts.mbedtls, redact: opts.redact });
    attachDiagnosis(s);
    return s;
  };
  const tm = new TimeMachine(recording, makeSession);
  const player = replayPlayer(tm, { speed: opts.speed });
  const ui = mount({ store: tm, replay: player, stdin: io.stdin, stdout: io.stdout });
  await ui.done;
  player.close();
  return 0;
}
