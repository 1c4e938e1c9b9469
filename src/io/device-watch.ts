/**
 * Notices a device path coming back as soon as it does: fs.watch on the folders that hold it
 * (/dev, /dev/serial/by-id, or wherever a pty link lives) and, because inotify is not there
 * everywhere (some containers, network file systems) and a watch can miss a rename, a fast
 * poll beside it. `onMaybe` may be called for unrelated changes: the caller checks.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

export interface DeviceWatch {
  stop(): void;
}

export function watchDevicePaths(paths: readonly string[], pollMs: number, onMaybe: () => void): DeviceWatch {
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    try {
      const w = watch(dir, { persistent: false }, () => onMaybe());
      w.on('error', () => undefined); // the folder itself may vanish (by-id with the last USB device)
      watchers.push(w);
    } catch {
      // no such folder yet, or no inotify: the poll covers it
    }
  }
  const timer = setInterval(onMaybe, pollMs);
  return {
    stop() {
      clearInterval(timer);
      for (const w of watchers) w.close();
    },
  };
}
