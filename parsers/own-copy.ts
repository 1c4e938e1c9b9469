/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 makes a slice of 13
 * characters or more a view into its parent, which then stays alive as long as the slice does:
 * a line cut from a 64 KiB chunk would keep all 64 KiB. Concatenating makes V8 copy the
 * characters, and shorter slices are copies already.
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
