/**
 * The chosen ciphersuite: TLS 1.3 prints `( id ) - NAME` on one line, TLS 1.2 the id and then,
 * once validated, the name on the next; either also tells the TLS version.
 */
import type { DeviceEvent, Line } from '../events.ts';
import { ciphersuiteId, ciphersuiteName } from '../tables/ciphersuites.ts';
import type { MbedtlsState, Pending } from './mbedtls-state.ts';
import { tlsVersion } from './versions.ts';

const RE_CHOSEN_13 = /^\(\s*([0-9a-fA-F]{1,4})\s*\)\s*-\s*(\S+)/;
const RE_HEX_ID = /^[0-9a-fA-F]{1,4}$/;

/** What follows `server hello, chosen ciphersuite: ` → tls.ciphersuite.chosen (or the id kept pending). */
export function chosenCiphersuite(s: MbedtlsState, out: DeviceEvent[], arg: string, line: Line): void {
  const ctx = s.curCtx;
  if (arg.charCodeAt(0) === 40 /* '(' */) {
    const m = RE_CHOSEN_13.exec(arg);
    if (!m) return;
    s.chosenId = null;
    s.chosenSent = true;
    out.push({ kind: 'tls.ciphersuite.chosen', t: s.curT, line: s.curSeq, ctx: s.curCtx, id: parseInt(m[1]!, 16), name: m[2]! });
    tlsVersion(s, out, '1.3', line, ctx);
    return;
  }
  if (RE_HEX_ID.test(arg)) {
    // TLS 1.2 prints the id, then (after validating it) the name: merge the two lines.
    flushChosen(s, out);
    s.chosenId = { t: s.curT, line: s.curSeq, ctx: s.curCtx, id: parseInt(arg, 16) };
    tlsVersion(s, out, '1.2', line, ctx);
    return;
  }
  const pending = s.chosenId;
  s.chosenId = null;
  const at = pending ?? here(s);
  s.chosenSent = true;
  out.push({ kind: 'tls.ciphersuite.chosen', t: at.t, line: at.line, ctx: at.ctx ?? null, id: pending?.id ?? ciphersuiteId(arg), name: arg });
  tlsVersion(s, out, arg.startsWith('TLS1-3-') ? '1.3' : '1.2', line, ctx);
}

/** Reports a pending TLS 1.2 id whose name line never came. */
export function flushChosen(s: MbedtlsState, out: DeviceEvent[]): void {
  const c = s.chosenId;
  if (c === null) return;
  s.chosenId = null;
  s.chosenSent = true;
  out.push({ kind: 'tls.ciphersuite.chosen', t: c.t, line: c.line, ctx: c.ctx, id: c.id, name: ciphersuiteName(c.id) });
}

function here(s: MbedtlsState): Pending {
  return { t: s.curT, line: s.curSeq, ctx: s.curCtx };
}
