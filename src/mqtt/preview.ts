/** How a payload is shown: JSON pretty-printed, text as is, binary as hex; long ones cut with a mark. */

export interface PayloadPreview {
  text: string;
  format: 'json' | 'text' | 'binary' | 'empty';
  truncated: boolean;
  /** Payload size in bytes (UTF-8 for text). */
  bytes: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
// Control characters other than tab / LF / CR mark a payload as binary.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function toHex(bytes: Uint8Array, sep = ' '): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(sep);
}

/** The payload as text when it is printable UTF-8, else null. */
export function decodeText(bytes: Uint8Array): string | null {
  try {
    const s = decoder.decode(bytes);
    return CONTROL.test(s) ? null : s;
  } catch {
    return null;
  }
}

/** The string kept in history, NDJSON and the summary: the text, or `hex:` + hex for binary payloads. */
export function payloadString(payload: Uint8Array): { text: string; binary: boolean } {
  const s = decodeText(payload);
  return s === null ? { text: 'hex:' + toHex(payload, ''), binary: true } : { text: s, binary: false };
}

function cut(text: string, max: number, totalNote: string): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  return { text: `${text.slice(0, Math.max(0, max))}… [truncated, ${totalNote}]`, truncated: true };
}

export function payloadPreview(payload: string | Uint8Array, opts: { maxChars?: number } = {}): PayloadPreview {
  const max = opts.maxChars ?? 200;
  let text: string | null;
  let bytes: number;
  if (typeof payload === 'string') {
    if (payload.startsWith('hex:') && /^hex:[0-9a-f]*$/.test(payload)) {
      const hex = payload.slice(4);
      bytes = hex.length / 2;
      const pairs = hex.match(/../g) ?? [];
      const shown = pairs.slice(0, Math.floor(max / 3) || 1).join(' ');
      return { text: pairs.length * 3 - 1 > max ? `${shown}… [truncated, ${bytes} bytes]` : pairs.join(' '), format: 'binary', truncated: pairs.length * 3 - 1 > max, bytes };
    }
    text = payload;
    bytes = encoder.encode(payload).length;
  } else {
    bytes = payload.length;
    text = decodeText(payload);
    if (text === null) {
      const shownBytes = Math.max(1, Math.floor((max + 1) / 3));
      const truncated = payload.length > shownBytes;
      const hex = toHex(truncated ? payload.subarray(0, shownBytes) : payload);
      return { text: truncated ? `${hex}… [truncated, ${bytes} bytes]` : hex, format: 'binary', truncated, bytes };
    }
  }
  if (text.length === 0) return { text: '', format: 'empty', truncated: false, bytes: 0 };
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const pretty = JSON.stringify(JSON.parse(trimmed), null, 2);
      return { ...cut(pretty, max, `${bytes} bytes`), format: 'json', bytes };
    } catch {
      // not JSON after all: shown as text
    }
  }
  return { ...cut(text, max, `${bytes} bytes`), format: 'text', bytes };
}
