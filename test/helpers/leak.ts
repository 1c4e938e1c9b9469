/**
 * The forms a secret takes in text, for leak tests: hex with and without spaces in both cases,
 * base64 at each of the three byte alignments, and its bytes as text. Fragments of FRAGMENT
 * bytes are searched, not only the whole secret: a secret cut over two rows still leaks.
 */
export const FRAGMENT = 8;

function fragments(bytes: Uint8Array, size: number): Uint8Array[] {
  if (bytes.length <= size) return [bytes];
  const out: Uint8Array[] = [];
  for (let i = 0; i + size <= bytes.length; i++) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Every needle that must not appear in an output for this secret. */
export function leakNeedles(secret: Uint8Array | string): { form: string; needle: string }[] {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  const out: { form: string; needle: string }[] = [];
  for (const f of fragments(bytes, FRAGMENT)) {
    const hex = Buffer.from(f).toString('hex');
    const spaced = hex.match(/../g)!.join(' ');
    out.push({ form: 'hex', needle: hex }, { form: 'HEX', needle: hex.toUpperCase() }, { form: 'hex spaced', needle: spaced }, { form: 'HEX spaced', needle: spaced.toUpperCase() });
  }
  // Base64 of the whole secret at every alignment: the characters fully set by its bytes.
  for (let off = 0; off < 3; off++) {
    const sub = bytes.subarray(off, bytes.length - ((bytes.length - off) % 3));
    const b64 = sub.toString('base64');
    for (let i = 0; i + 12 <= b64.length; i += 4) out.push({ form: `base64+${off}`, needle: b64.slice(i, i + 12) });
  }
  // As text: the secret itself when it is text, its bytes read as Latin-1 when they are binary.
  const asText = typeof secret === 'string' ? secret : bytes.toString('latin1');
  if (asText.length >= 6) out.push({ form: 'ascii', needle: asText });
  return out;
}

const ROW = /\b[0-9a-f]{4}:  ((?:[0-9a-f]{2} ){1,16}) *(.*)$/;

/**
 * The views of an output a secret can hide in besides its plain text: every hex digit of the
 * text run together (so `1a:a9`, `0x1a, 0xa9` and wrapped hex read as one string), and the hex
 * and ASCII columns of consecutive dump rows joined (so a secret cut over rows reads whole).
 */
function views(text: string): { name: string; text: string }[] {
  const hexCols: string[] = [];
  const asciiCols: string[] = [];
  for (const line of text.split(/\r?\n|\\r\\n|\\n/)) {
    const m = ROW.exec(line);
    if (!m) continue;
    hexCols.push(m[1]!.replace(/ /g, ''));
    asciiCols.push(m[2]!.slice(0, m[1]!.length / 3));
  }
  return [
    { name: 'text', text },
    { name: 'hex digits run together', text: text.replace(/0x|[^0-9a-fA-F]/g, '').toLowerCase() },
    { name: 'dump hex columns joined', text: hexCols.join('') },
    { name: 'dump ASCII columns joined', text: asciiCols.join('') },
  ];
}

/** The forms of `secret` found in `text` (empty: no leak). */
export function findLeaks(text: string, secret: Uint8Array | string): string[] {
  const needles = leakNeedles(secret);
  const out: string[] = [];
  for (const v of views(text)) {
    for (const n of needles) if (v.text.includes(n.needle)) out.push(`${n.form} ${JSON.stringify(n.needle)} in ${v.name}`);
  }
  return out;
}
