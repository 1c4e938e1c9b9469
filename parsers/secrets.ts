/**
 * Redacts key material and session secrets from device lines before hsmon shows, writes or
 * records them. Applied to every line, in order (it keeps state across lines):
 *
 * - inside `-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----` every body line is
 *   replaced; the BEGIN/END lines stay visible so the user sees what happened;
 * - after an mbedTLS dump of a session secret (`dumping 'master secret' (48 bytes)`,
 *   `premaster secret`, the key block, TLS 1.3 traffic secrets, `value of 'ECDH: z'`), the hex
 *   rows that follow have their bytes replaced (the file:line prefix and the offset stay);
 * - OpenSSL's `Master-Key: <hex>` line (s_server -www output echoed on the UART). The same
 *   printout inside a hex dump of decrypted application data is not touched.
 *
 * Leaving a region errs on the side of redaction: a private key block ends at its END line, at
 * another BEGIN, or at a line that is clearly other output (several words, no base64 run).
 */

export type SecretKind = 'private-key' | 'session-secret';

export interface Redacted {
  text: string;
  /** What this line was part of; null for ordinary lines. */
  secret: SecretKind | null;
  /** True on the first line of each secret region (where a finding should point). */
  begins?: boolean;
}

export const PRIVATE_KEY_MARK = '[redacted by hsmon: private key]';
export const SESSION_SECRET_MARK = '[redacted by hsmon: session secret]';

const PRIV_BEGIN = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----/;
const ANY_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const PRIV_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
const B64_RUN = /[A-Za-z0-9+/=]{16,}/;
const PEM_HEADER = /\b(?:Proc-Type|DEK-Info):/;

const DUMP = /dumping '([^']+)' \((\d+) bytes\)/;
const MPI = /value of '([^']+)' \((\d+) bits\) is:/;
/** Dump names that are session secrets or keys derived from them. */
const SECRET_NAME = /secret|key block|write[_ ]?key|traffic|exporter|resumption|\bpsk\b|ECDH: z|DHM: K|shared/i;
/** …but not these: transcript hashes and public key shares. */
const NOT_SECRET_NAME = /hash|key_share|public/i;
/** `0000:  c0 03 e9 …  ascii` (mbedTLS debug_print_buf row). */
const HEX_ROW = /\b([0-9a-f]{4}:\s+)((?:[0-9a-f]{2} ){1,16}.*)$/;
/** ` 03 99 77 …` (mbedTLS debug_print_mpi row). */
const MPI_ROW = /^(.*?\s)((?:[0-9a-f]{2} ?){1,32})\s*$/;
/** At the start of a line only: the ASCII column of a decrypted-payload dump is not the printout. */
const MASTER_KEY = /^(\s*Master-Key:\s*)[0-9A-Fa-f]+/;

/** The literals of PRIV_BEGIN, DUMP, MPI and MASTER_KEY (one regex scans faster than four includes). */
const MAY_START_SECRET = /-----BEGIN |dumping '|value of '|Master-Key/;

export function isSecretDumpName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

export class SecretRedactor {
  private inKey = false;
  /** Hex rows still expected after a secret dump line, and their shape. */
  private rows = 0;
  private rowKind: 'buf' | 'mpi' = 'buf';

  redact(text: string): Redacted {
    if (this.inKey) return this.inPrivateKey(text);
    // Every line passes here: outside a region only a line holding one of the literals of
    // PRIV_BEGIN, DUMP, MPI or MASTER_KEY can start one.
    if (this.rows === 0 && !MAY_START_SECRET.test(text)) return { text, secret: null };

    const begin = PRIV_BEGIN.exec(text);
    if (begin) {
      this.inKey = true;
      this.rows = 0;
      const after = text.slice(begin.index + begin[0].length);
      const end = PRIV_END.exec(after);
      if (end) this.inKey = false;
      const middle = end ? after.slice(0, end.index) : after;
      const tail = end ? after.slice(end.index) : '';
      const shown = text.slice(0, begin.index + begin[0].length) + (middle.trim() ? PRIVATE_KEY_MARK : middle) + tail;
      return { text: shown, secret: 'private-key', begins: true };
    }

    if (this.rows > 0) {
      const r = this.row(text);
      if (r !== null) return { text: r, secret: 'session-secret' };
      if (text.trim()) this.rows = 0;
      else return { text, secret: null };
    }

    const dump = DUMP.exec(text);
    if (dump?.[1] && isSecretDumpName(dump[1])) {
      this.rows = Math.ceil(Number(dump[2]) / 16);
      this.rowKind = 'buf';
      return { text, secret: 'session-secret', begins: true };
    }
    const mpi = MPI.exec(text);
    if (mpi?.[1] && isSecretDumpName(mpi[1])) {
      this.rows = Math.ceil(Math.ceil(Number(mpi[2]) / 8) / 16) || 1;
      this.rowKind = 'mpi';
      return { text, secret: 'session-secret', begins: true };
    }

    if (MASTER_KEY.test(text)) {
      return { text: text.replace(MASTER_KEY, `$1${SESSION_SECRET_MARK}`), secret: 'session-secret', begins: true };
    }
    return { text, secret: null };
  }

  /** Forget all state (a new session, a device reset). */
  reset(): void {
    this.inKey = false;
    this.rows = 0;
  }

  private inPrivateKey(text: string): Redacted {
    const end = PRIV_END.exec(text);
    if (end) {
      this.inKey = false;
      const before = text.slice(0, end.index);
      const shown = (B64_RUN.test(before) ? PRIVATE_KEY_MARK : before) + text.slice(end.index);
      return { text: shown, secret: 'private-key' };
    }
    if (ANY_BEGIN.test(text)) {
      this.inKey = false;
      return this.redact(text);
    }
    const s = text.trim();
    if (!s) return { text, secret: 'private-key' };
    const keyish = B64_RUN.test(s) || !/\s/.test(s) || PEM_HEADER.test(s);
    if (!keyish) {
      this.inKey = false;
      return this.redact(text);
    }
    return { text: PRIVATE_KEY_MARK, secret: 'private-key' };
  }

  private row(text: string): string | null {
    const m = this.rowKind === 'buf' ? HEX_ROW.exec(text) : MPI_ROW.exec(text);
    if (!m || m[1] === undefined) return null;
    this.rows -= 1;
    return text.slice(0, (m.index ?? 0) + m[1].length) + SESSION_SECRET_MARK;
  }
}
