/**
 * mbedTLS hex dump rows (`debug_print_buf`: `0000:  6b 02 f6 …  k...?...`) are most of the
 * lines of a debug-4 log, and only the mbedTLS parser (extensions), the secret redactor and a
 * few open multi-line blocks care about them. Recognising one takes a handful of character
 * tests at fixed offsets, so every family parser can step over rows before doing real work.
 */

/** A message body that is a hex dump row: four hex digits, a colon, two spaces, more text. */
export function isHexRow(body: string): boolean {
  return (
    body.length > 8 &&
    body.charCodeAt(4) === 58 /* : */ &&
    body.charCodeAt(5) === 32 &&
    body.charCodeAt(6) === 32 &&
    isHexDigit(body.charCodeAt(0)) &&
    isHexDigit(body.charCodeAt(1)) &&
    isHexDigit(body.charCodeAt(2)) &&
    isHexDigit(body.charCodeAt(3))
  );
}

export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
