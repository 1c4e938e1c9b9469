/**
 * Handshake progress: `client state:` lines and handshake messages with their fragments.
 *
 * Handshake fragments. In mbedTLS the `handshake message:` line is printed by
 * mbedtls_ssl_prepare_handshake_record for every record (or every further message in a record)
 * that carries handshake data: `msglen` is the payload of the current record left to read,
 * `hslen` is the length of the whole handshake message including its 4-byte header (that is
 * why a lone 426-byte Certificate prints `msglen = 426 … hslen = 426`). So a message is
 * `sole` when hslen <= msglen and `initial` when hslen > msglen. 3.6.3+ reassembles the rest:
 * for each continuation record it prints the line again with the same hslen (not recomputed)
 * and a `type` that is merely the first byte of the continuation payload, then
 * `subsequent handshake fragment: M, a..b of H` (mbedtls-3.6.6 ssl_msg.c:3242, 3379). The
 * parser therefore tracks the bytes still missing and reports continuations as `subsequent`
 * with the type of the initial fragment. 2.28 and 3.6.0-3.6.2 (and ifx 3.6.400) do not
 * reassemble: they print `TLS handshake fragmentation not supported` and fail.
 */
import type { DeviceEvent, Line } from '../events.ts';
import { U24, U8, wireFields } from '../device-number.ts';
import { isStateName, stateName, stateNumber } from '../tables/states.ts';
import type { MbedtlsState } from './mbedtls-state.ts';
import { setVersion, tlsVersion } from './versions.ts';

const RE_HSMSG = /^handshake message: msglen = (\d+), type = (\d+), hslen = (\d+)/;
const RE_HS_FRAGMENT = /^(sole|initial|subsequent) handshake fragment: (\d+), (\d+)\.\.(\d+) of (\d+)/;

/** `client state: N` (2.x, which also tells the version) or `client state: NAME` (3.x) → tls.state. */
export function clientState(s: MbedtlsState, out: DeviceEvent[], arg: string, line: Line): void {
  const c = arg.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // Only 2.x prints the number; 3.x prints mbedtls_ssl_states_str().
    const n = Number(arg);
    if (!s.fixedVersion && s.version === null) setVersion(s, out, '2.28', 'client state: N', line, s.curCtx ?? undefined);
    const name = Number.isInteger(n) ? stateName(s.version ?? '2.28', n) : null;
    if (name === null) out.push({ kind: 'tls.anomaly', t: s.curT, line: s.curSeq, ctx: s.curCtx, message: `unknown client state ${arg}` });
    else out.push({ kind: 'tls.state', t: s.curT, line: s.curSeq, ctx: s.curCtx, state: name, number: n });
    return;
  }
  if (!isStateName(arg)) {
    out.push({ kind: 'tls.anomaly', t: s.curT, line: s.curSeq, ctx: s.curCtx, message: `unknown client state ${arg}` });
    return;
  }
  out.push({ kind: 'tls.state', t: s.curT, line: s.curSeq, ctx: s.curCtx, state: arg, number: stateNumber(s.version === '2.28' ? '2.28' : '3.6', arg) });
  if (arg === 'MBEDTLS_SSL_ENCRYPTED_EXTENSIONS') tlsVersion(s, out, '1.3', line, s.curCtx);
}

/** `handshake message: msglen = M, type = T, hslen = H` → tls.hsmsg, classified as sole, initial or subsequent. */
export function hsMessage(s: MbedtlsState, out: DeviceEvent[], body: string): void {
  const m = RE_HSMSG.exec(body);
  if (!m) return;
  const n = wireFields(out, { t: s.curT, line: s.curSeq, ctx: s.curCtx }, 'handshake message', [['msglen', m[1], U24], ['type', m[2], U8], ['hslen', m[3], U24]]);
  if (!n) return;
  const msglen = n[0]!;
  let type = n[1]!;
  const hslen = n[2]!;
  let fragment: 'sole' | 'initial' | 'subsequent';
  const r = s.reassembly;
  if (r !== null && r.hslen === hslen && r.have < hslen) {
    fragment = 'subsequent';
    type = r.type;
    r.have += msglen;
    if (r.have >= hslen) s.reassembly = null;
  } else if (hslen <= msglen) {
    fragment = 'sole';
    s.reassembly = null;
  } else {
    fragment = 'initial';
    s.reassembly = { type, hslen, have: msglen };
  }
  out.push({ kind: 'tls.hsmsg', t: s.curT, line: s.curSeq, ctx: s.curCtx, msglen, type, hslen, fragment });
}

/** 3.6.3+ says itself how it classified the record; keep the reassembly state in step with it. */
export function hsFragment(s: MbedtlsState, body: string): void {
  const m = RE_HS_FRAGMENT.exec(body);
  if (!m) return;
  const end = Number(m[4]);
  const total = Number(m[5]);
  if (m[1] === 'sole' || end >= total) s.reassembly = null;
  else if (s.reassembly !== null) s.reassembly.have = end;
}
