/** Reads a whole recording into memory for the time machine: a plain log or an hsmon .cast. */
import { readFile, stat } from 'node:fs/promises';
import { DamageTally, readCast } from '../record/cast-reader.ts';
import { isCastHeader } from '../record/cast-format.ts';
import { castRecording, textRecording, type Recording, type RecordingEvent } from '../session/recording.ts';
import { fileErrorReason } from './file-error-reason.ts';


function looksLikeCast(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('utf8');
  const nl = head.indexOf('\n');
  const first = (nl === -1 ? head : head.slice(0, nl)).trimStart();
  if (!first.startsWith('{')) return false;
  try {
    return isCastHeader(JSON.parse(first));
  } catch {
    return false;
  }
}

/** Rejects with one line (`cannot read x.log: no such file`) when the file cannot be read. */
export async function loadRecording(path: string): Promise<Recording> {
  let bytes: Buffer;
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: ${fileErrorReason(err)}`);
  }
  if (!looksLikeCast(bytes)) return textRecording(bytes);
  const events: RecordingEvent[] = [];
  const damage = new DamageTally();
  try {
    for await (const ev of readCast(path, { onDamaged: damage.onDamaged })) {
      if (ev.type === 'o' || ev.type === 'i' || ev.type === 'm') events.push({ t: ev.t * 1000, type: ev.type, bytes: ev.bytes, text: ev.text });
    }
  } catch (err) {
    throw new Error(`cannot read ${path}: ${fileErrorReason(err)}`);
  }
  return castRecording(events, bytes.length, damage.detail());
}
