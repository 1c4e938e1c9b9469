/** Line mode: the text the user typed plus the configured line ending, as bytes. */
export function encodeLine(text: string, lineEnding: string | Uint8Array = '\r\n'): Uint8Array {
  const enc = new TextEncoder();
  const body = enc.encode(text);
  const end = typeof lineEnding === 'string' ? enc.encode(lineEnding) : lineEnding;
  const out = new Uint8Array(body.length + end.length);
  out.set(body, 0);
  out.set(end, body.length);
  return out;
}

/** The key flags the UI gets from its input hook (ink's `Key` has these fields). */
export interface RawKey {
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
}

const CSI = '\x1b[';

/**
 * The bytes a terminal would send for one key press, for the Ctrl+T raw prefix: Ctrl+C goes
 * to the device as 0x03 instead of quitting hsmon. Returns an empty array for keys with no
 * byte form.
 */
export function rawKeyBytes(input: string, key: RawKey = {}): Uint8Array {
  const enc = new TextEncoder();
  let s: string;
  if (key.return) s = '\r';
  else if (key.escape) s = '\x1b';
  else if (key.tab) s = key.shift ? `${CSI}Z` : '\t';
  else if (key.backspace) s = '\x7f';
  else if (key.delete) s = `${CSI}3~`;
  else if (key.upArrow) s = `${CSI}A`;
  else if (key.downArrow) s = `${CSI}B`;
  else if (key.rightArrow) s = `${CSI}C`;
  else if (key.leftArrow) s = `${CSI}D`;
  else if (key.home) s = `${CSI}H`;
  else if (key.end) s = `${CSI}F`;
  else if (key.pageUp) s = `${CSI}5~`;
  else if (key.pageDown) s = `${CSI}6~`;
  else if (key.ctrl && input.length === 1) {
    const c = input.toLowerCase().charCodeAt(0);
    // Ctrl+@..Ctrl+_ map onto 0x00..0x1f; letters arrive lower-case from most terminals.
    if (c >= 0x61 && c <= 0x7a) s = String.fromCharCode(c - 0x60);
    else if (c >= 0x40 && c <= 0x5f) s = String.fromCharCode(c - 0x40);
    else if (input === ' ') s = '\x00';
    else s = input;
  } else s = input;
  if (key.meta && s.length > 0 && !s.startsWith('\x1b')) s = `\x1b${s}`;
  return enc.encode(s);
}
