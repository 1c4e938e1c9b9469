import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isCastHeader, type CastEvent, type CastHeader } from './cast-format.ts';

export interface ReadCastOptions {
  /** Called with the header before the first event. */
  onHeader?: (header: CastHeader) => void;
  /** Bytes of the file consumed so far (for progress bars). */
  onProgress?: (bytesRead: number) => void;
}

const enc = new TextEncoder();

function parseEvent(line: string, n: number, path: string): [number, string, string] {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`${path}:${n}: not a JSON event line`);
  }
  if (!Array.isArray(v) || v.length < 3 || typeof v[0] !== 'number' || typeof v[1] !== 'string' || typeof v[2] !== 'string') {
    throw new Error(`${path}:${n}: expected [time, "type", "data"]`);
  }
  return [v[0], v[1], v[2]];
}

/**
 * Reads an asciicast v2 file as events with their exact bytes: an "x" event replaces the
 * bytes of the "o"/"i" event just before it (hsmon's lossless extension).
 */
export async function* readCast(path: string, options: ReadCastOptions = {}): AsyncGenerator<CastEvent> {
  const stream = createReadStream(path);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  let pending: CastEvent | null = null;
  // Bytes of the lines handed out so far: the position a paced replay has reached (the stream
  // itself reads far ahead of it).
  let consumed = 0;
  try {
    for await (const line of lines) {
      n += 1;
      consumed += Buffer.byteLength(line) + 1;
      options.onProgress?.(consumed);
      if (n === 1) {
        let header: unknown;
        try {
          header = JSON.parse(line);
        } catch {
          header = null;
        }
        if (!isCastHeader(header)) throw new Error(`${path}: not an asciicast v2 recording (first line is not a v2 header)`);
        options.onHeader?.(header);
        continue;
      }
      if (line.trim() === '') continue;
      const [t, type, data] = parseEvent(line, n, path);
      if (type === 'x') {
        if (pending && (pending.type === 'o' || pending.type === 'i')) {
          pending.bytes = new Uint8Array(Buffer.from(data, 'base64'));
        }
        continue;
      }
      if (pending) yield pending;
      pending = { t, type, text: data, bytes: enc.encode(data) };
    }
    if (pending) yield pending;
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** The header alone (first line). */
export async function readCastHeader(path: string): Promise<CastHeader> {
  let found: CastHeader | null = null;
  const it = readCast(path, { onHeader: (h) => (found = h) });
  try {
    await it.next();
  } finally {
    await it.return(undefined);
  }
  if (!found) throw new Error(`${path}: not an asciicast v2 recording`);
  return found;
}
