/**
 * The mbedTLS client step graphs: which step mbedtls_ssl_handshake_step() can run after which.
 * A step is what one `client state: X` line opens (mbedtls-3.6.6 ssl_tls.c:4589-4590,
 * mbedtls-2.28.10 ssl_cli.c:4261): the state printed is the one the step runs in. An edge
 * A -> B means the step in A leaves ssl->state at B (each edge cites the line that sets it).
 * Every step may also run again in its own state (a self-loop, not drawn): mbedTLS returns
 * WANT_READ / WANT_WRITE to the caller and the next call prints the same `client state:`, and
 * the TLS 1.2 client reads a NewSessionTicket inside SERVER_CHANGE_CIPHER_SPEC and runs that
 * step twice (ssl_tls12_client.c:3531-3534 sets NEW_SESSION_TICKET *after* the line was
 * printed, ssl_tls12_client.c:3472 sets SERVER_CHANGE_CIPHER_SPEC back).
 *
 * Names are given without the `MBEDTLS_SSL_` prefix. Sources read: Mbed-TLS/mbedtls at tags
 * v3.6.6 and v2.28.10.
 */

export type Region = 'hello' | 'tls12' | 'tls13';

export interface Edge {
  to: string;
  /** The region of `to` (the version is chosen when the ServerHello is parsed). */
  region: Region;
  /** Why mbedTLS takes this edge, for the chart; empty for the usual next step. */
  label: string;
  /** File:line (mbedtls-3.6.6 unless it says 2.28) where the step sets the next state. */
  source: string;
}

const e = (to: string, region: Region, source: string, label = ''): Edge => ({ to, region, label, source });

/**
 * Before the ServerHello is parsed both versions run the same steps
 * (ssl_tls.c:4592-4600 handles HELLO_REQUEST and CLIENT_HELLO for both).
 */
export const HELLO_GRAPH: Readonly<Record<string, readonly Edge[]>> = {
  HELLO_REQUEST: [e('CLIENT_HELLO', 'hello', 'ssl_tls.c:4594; 2.28 ssl_cli.c:4288')],
  CLIENT_HELLO: [
    e('SERVER_HELLO', 'hello', 'ssl_client.c:997; 2.28 ssl_cli.c:1402'),
    e('CLIENT_CCS_AFTER_CLIENT_HELLO', 'hello', 'ssl_tls13_client.c:1305', 'early data, compat mode'),
  ],
  CLIENT_CCS_AFTER_CLIENT_HELLO: [e('SERVER_HELLO', 'hello', 'ssl_tls13_client.c:3164')],
  SERVER_HELLO: [
    e('SERVER_CERTIFICATE', 'tls12', 'ssl_tls12_client.c:1375', 'TLS 1.2'),
    e('SERVER_CHANGE_CIPHER_SPEC', 'tls12', 'ssl_tls12_client.c:1384', 'TLS 1.2 resumption'),
    e('ENCRYPTED_EXTENSIONS', 'tls13', 'ssl_tls13_client.c:2045', 'TLS 1.3'),
    e('CLIENT_CCS_BEFORE_2ND_CLIENT_HELLO', 'hello', 'ssl_tls13_client.c:2038-2039', 'HelloRetryRequest, compat mode'),
    e('CLIENT_HELLO', 'hello', 'ssl_tls13_client.c:2041', 'HelloRetryRequest'),
  ],
  CLIENT_CCS_BEFORE_2ND_CLIENT_HELLO: [e('CLIENT_HELLO', 'hello', 'ssl_tls13_client.c:3149')],
};

/**
 * TLS 1.2: mbedtls_ssl_handshake_client_step, ssl_tls12_client.c:3524-3636 (2.28:
 * ssl_cli.c:4253-4386, the same graph; its numbers 0-15 are 3.6's, see parsers/tables/states.ts).
 * Optional messages do not make optional steps: a step with nothing to do prints `<= skip …`
 * and increments the state (ServerKeyExchange for RSA, CertificateRequest, CertificateVerify).
 */
export const TLS12_GRAPH: Readonly<Record<string, readonly Edge[]>> = {
  SERVER_CERTIFICATE: [e('SERVER_KEY_EXCHANGE', 'tls12', 'ssl_tls.c:7603, 8147')],
  SERVER_KEY_EXCHANGE: [e('CERTIFICATE_REQUEST', 'tls12', 'ssl_tls12_client.c:2134, 2155, 2493')],
  CERTIFICATE_REQUEST: [e('SERVER_HELLO_DONE', 'tls12', 'ssl_tls12_client.c:2511, 2538, 2556')],
  SERVER_HELLO_DONE: [e('CLIENT_CERTIFICATE', 'tls12', 'ssl_tls12_client.c:2727')],
  CLIENT_CERTIFICATE: [e('CLIENT_KEY_EXCHANGE', 'tls12', 'ssl_tls.c:7586, 7626, 7634, 7688')],
  CLIENT_KEY_EXCHANGE: [e('CERTIFICATE_VERIFY', 'tls12', 'ssl_tls12_client.c:3238')],
  CERTIFICATE_VERIFY: [e('CLIENT_CHANGE_CIPHER_SPEC', 'tls12', 'ssl_tls12_client.c:3267, 3309, 3316, 3398')],
  CLIENT_CHANGE_CIPHER_SPEC: [e('CLIENT_FINISHED', 'tls12', 'ssl_msg.c:5377')],
  CLIENT_FINISHED: [
    e('SERVER_CHANGE_CIPHER_SPEC', 'tls12', 'ssl_tls.c:8416'),
    e('HANDSHAKE_WRAPUP', 'tls12', 'ssl_tls.c:8407', 'resumption'),
  ],
  SERVER_CHANGE_CIPHER_SPEC: [e('SERVER_FINISHED', 'tls12', 'ssl_msg.c:5439')],
  SERVER_FINISHED: [
    e('FLUSH_BUFFERS', 'tls12', 'ssl_tls.c:8551'),
    e('CLIENT_CHANGE_CIPHER_SPEC', 'tls12', 'ssl_tls.c:8542', 'resumption'),
  ],
  FLUSH_BUFFERS: [e('HANDSHAKE_WRAPUP', 'tls12', 'ssl_tls12_client.c:3624; 2.28 ssl_cli.c:4372')],
  HANDSHAKE_WRAPUP: [],
};

/**
 * TLS 1.3: mbedtls_ssl_tls13_handshake_client_step, ssl_tls13_client.c:3073-3188.
 * CERTIFICATE_REQUEST always runs after EncryptedExtensions in certificate mode and only
 * looks whether the server sent one (ssl_tls13_client.c:2277, 2552); a PSK handshake goes from
 * ENCRYPTED_EXTENSIONS to SERVER_FINISHED (2272). The compatibility-mode CCS steps exist with
 * MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE. TLS1_3_NEW_SESSION_TICKET runs after the handshake,
 * when mbedtls_ssl_read() meets a ticket (ssl_msg.c:5796, back to HANDSHAKE_OVER at
 * ssl_tls13_client.c:3064).
 */
export const TLS13_GRAPH: Readonly<Record<string, readonly Edge[]>> = {
  ENCRYPTED_EXTENSIONS: [
    e('CERTIFICATE_REQUEST', 'tls13', 'ssl_tls13_client.c:2277'),
    e('SERVER_FINISHED', 'tls13', 'ssl_tls13_client.c:2272', 'PSK'),
  ],
  CERTIFICATE_REQUEST: [e('SERVER_CERTIFICATE', 'tls13', 'ssl_tls13_client.c:2552')],
  SERVER_CERTIFICATE: [e('CERTIFICATE_VERIFY', 'tls13', 'ssl_tls13_client.c:2573')],
  CERTIFICATE_VERIFY: [e('SERVER_FINISHED', 'tls13', 'ssl_tls13_client.c:2590')],
  SERVER_FINISHED: [
    e('CLIENT_CCS_AFTER_SERVER_FINISHED', 'tls13', 'ssl_tls13_client.c:2624-2625', 'compat mode'),
    e('CLIENT_CERTIFICATE', 'tls13', 'ssl_tls13_client.c:2627'),
    e('END_OF_EARLY_DATA', 'tls13', 'ssl_tls13_client.c:2619', 'early data accepted'),
  ],
  END_OF_EARLY_DATA: [e('CLIENT_CERTIFICATE', 'tls13', 'ssl_tls13_client.c:2322')],
  CLIENT_CCS_AFTER_SERVER_FINISHED: [e('CLIENT_CERTIFICATE', 'tls13', 'ssl_tls13_client.c:3157')],
  CLIENT_CERTIFICATE: [
    e('CLIENT_CERTIFICATE_VERIFY', 'tls13', 'ssl_tls13_client.c:2662'),
    e('CLIENT_FINISHED', 'tls13', 'ssl_tls13_client.c:2666', 'no client certificate'),
  ],
  CLIENT_CERTIFICATE_VERIFY: [e('CLIENT_FINISHED', 'tls13', 'ssl_tls13_client.c:2682')],
  CLIENT_FINISHED: [e('FLUSH_BUFFERS', 'tls13', 'ssl_tls13_client.c:2709')],
  FLUSH_BUFFERS: [e('HANDSHAKE_WRAPUP', 'tls13', 'ssl_tls13_client.c:2720')],
  HANDSHAKE_WRAPUP: [],
  TLS1_3_NEW_SESSION_TICKET: [],
};

export const GRAPHS: Readonly<Record<Region, Readonly<Record<string, readonly Edge[]>>>> = {
  hello: HELLO_GRAPH,
  tls12: TLS12_GRAPH,
  tls13: TLS13_GRAPH,
};

export const REGIONS: readonly Region[] = ['hello', 'tls12', 'tls13'];

/** The first step of each region, where the chart enters it. */
export const FIRST_STEP: Readonly<Record<Region, string>> = { hello: 'HELLO_REQUEST', tls12: 'SERVER_CERTIFICATE', tls13: 'ENCRYPTED_EXTENSIONS' };

/** The regions that have a step of that name (short name). */
export function regionsOf(step: string): Region[] {
  return REGIONS.filter((r) => step in GRAPHS[r]);
}

/** Steps `<= handshake` may follow with no error and mean the handshake is over. */
export const FINAL_STEPS: ReadonlySet<string> = new Set(['FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER', 'TLS1_3_NEW_SESSION_TICKET']);

const key = (r: Region, s: string) => `${r}.${s}`;

/**
 * The steps strictly between `from` and `to` on a shortest path of the graphs (BFS over all
 * regions), or null when `to` cannot be reached from `from` at all (the log went backwards).
 */
export function skippedBetween(from: { region: Region; step: string }, to: { region: Region; step: string }): string[] | null {
  const start = key(from.region, from.step);
  const goal = key(to.region, to.step);
  const prev = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    if (cur === goal) break;
    const [r, s] = cur.split('.') as [Region, string];
    for (const edge of GRAPHS[r][s] ?? []) {
      const k = key(edge.region, edge.to);
      if (!prev.has(k)) {
        prev.set(k, cur);
        queue.push(k);
      }
    }
  }
  if (!prev.has(goal)) return null;
  const path: string[] = [];
  for (let k = prev.get(goal) ?? null; k !== null && k !== start; k = prev.get(k) ?? null) path.unshift(k.split('.')[1]!);
  return path;
}
