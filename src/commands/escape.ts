/**
 * Turns the escapes of a config `send` string into bytes: \r \n \t \0 \e \\ \xNN. JSON already
 * decodes one level, so a config file writes "regen\\r\\n" or, equally, "regen\r\n".
 * Throws a message naming the bad escape; the caller adds the file and field.
 */
export function unescapeBytes(text: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      const cp = text.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      out.push(...enc.encode(s));
      i += s.length - 1;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) throw new Error('ends with a lone backslash');
    i += 1;
    switch (e) {
      case 'r': out.push(0x0d); break;
      case 'n': out.push(0x0a); break;
      case 't': out.push(0x09); break;
      case '0': out.push(0x00); break;
      case 'e': out.push(0x1b); break;
      case '\\': out.push(0x5c); break;
      case 'x': {
        const hex = text.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`\\x needs two hex digits, got "\\x${hex}"`);
        out.push(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        throw new Error(`unknown escape "\\${e}" (use \\r \\n \\t \\0 \\e \\\\ or \\xNN)`);
    }
  }
  return new Uint8Array(out);
}
