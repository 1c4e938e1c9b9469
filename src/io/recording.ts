/** Reads a whole recording into memory for the time machine: a plain log or an hsmon .cast. */
import { open, readFile, stat } from 'node:fs/promises';
import { DamageTally, readCast } from '../record/cast-reader.ts';
import { isCastHeader } from '../record/cast-format.ts';
import { CastEvents, castRecording, textRecording, type Recording } from '../session/recording.ts';
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
  let head: Uint8Array;
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    size = st.size;
    // Only the head tells a .cast, which is read as a stream: no copy of the whole file beside its events.
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(8192);
      head = buf.subarray(0, (await fh.read(buf, 0, buf.length, 0)).bytesRead);
    } finally {
      await fh.close();
    }
    if (!looksLikeCast(head)) return textRecording(await readFile(path));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${fileErrorReason(err)}`);
  }
  const events = new CastEvents();
  const damage = new DamageTally();
  try {
    for await (const ev of readCast(path, { onDamaged: damage.onDamaged })) {
      if (ev.type === 'o' || ev.type === 'i' || ev.type === 'm') events.push({ t: ev.t * 1000, type: ev.type, bytes: ev.bytes, text: ev.text });
    }
  } catch (err) {
    throw new Error(`cannot read ${path}: ${fileErrorReason(err)}`);
  }
  return castRecording(events, size, damage.detail());
}
