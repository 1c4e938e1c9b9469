/**
 * `y` in the detail view: the item as JSON in a file only the user can read (0600: a finding can
 * quote device output), and on the terminal's clipboard by OSC 52 where it supports it (many do,
 * also over SSH; the others ignore the sequence). Terminals over SSH often have no clipboard,
 * so the file is always written and its path shown.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;

export interface SaveItemOptions {
  dir?: string;
  /** Where the OSC 52 sequence goes; null for none. */
  terminal?: NodeJS.WritableStream | null;
}

export async function saveItem(item: unknown, opts: SaveItemOptions = {}): Promise<string> {
  const text = JSON.stringify(item, null, 2) + '\n';
  counter += 1;
  const path = join(opts.dir ?? tmpdir(), `hsmon-item-${process.pid}-${counter}.json`);
  await writeFile(path, text, { mode: 0o600, flag: 'wx' });
  // Terminals cap OSC 52 payloads (xterm: about 100 KB); a larger item is only in the file.
  if (opts.terminal && text.length < 74_000) opts.terminal.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
  return path;
}
