import { readPackageText } from '../io/package-path.ts';
import { cutHandshake, render, type Form } from './transcript.ts';

/** The corpus logs ship in recordings/; the simulator replays their handshakes. */
function corpus(name: string): string {
  return readPackageText('recordings', name);
}

export interface Scenario {
  name: string;
  description: string;
  /** How the mbedTLS debug lines are printed. */
  form: Form;
  /** The handshake as the device prints it (LF endings), including the platform's failure line. */
  handshake(): string;
  ok: boolean;
}

/**
 * Client-certificate rejection, built from psa_tls12_opaque_ok.log: everything up to the
 * client's Finished flight (`<= write finished`, flushed) is real; then the server answers
 * with a fatal alert instead of its ChangeCipherSpec. The added lines use the mbedTLS 3.6.6
 * formats and line numbers of device-log-formats.md §3 (`got an alert message`, `is a fatal
 * alert message`, the `returned` lines as in tls12_no_shared_cipher.log); the line of
 * `mbedtls_ssl_read_record() returned` in ssl_tls12_client.c is estimated (3421 + 4, the same
 * distance as in parse server hello: 1195 → 1199).
 */
const ALERT_AFTER_FINISHED = (alert: number): string[] => [
  'ssl_msg.c:2356: |2| => flush output',
  'ssl_msg.c:2365: |2| <= flush output',
  'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC',
  'ssl_misc.h:1353: |3| handshake state: 12 (MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC) -> 16 (MBEDTLS_SSL_NEW_SESSION_TICKET)',
  'ssl_tls12_client.c:3421: |2| => parse new session ticket',
  'ssl_msg.c:4332: |2| => read record',
  'ssl_msg.c:2158: |2| => fetch input',
  'ssl_msg.c:2298: |2| in_left: 0, nb_want: 5',
  'ssl_msg.c:2318: |2| in_left: 0, nb_want: 5',
  'ssl_msg.c:2321: |2| ssl->f_recv(_timeout)() returned 5 (-0xfffffffb)',
  'ssl_msg.c:2343: |2| <= fetch input',
  'ssl_msg.c:3999: |3| input record: msgtype = 21, version = [0x303], msglen = 2',
  'ssl_msg.c:2158: |2| => fetch input',
  'ssl_msg.c:2298: |2| in_left: 5, nb_want: 7',
  'ssl_msg.c:2318: |2| in_left: 5, nb_want: 7',
  'ssl_msg.c:2321: |2| ssl->f_recv(_timeout)() returned 2 (-0xfffffffe)',
  'ssl_msg.c:2343: |2| <= fetch input',
  `ssl_msg.c:5274: |2| got an alert message, type: [2:${alert}]`,
  `ssl_msg.c:5281: |1| is a fatal alert message (msg ${alert})`,
  'ssl_msg.c:4387: |1| mbedtls_ssl_handle_message_type() returned -30592 (-0x7780)',
  'ssl_tls12_client.c:3425: |1| mbedtls_ssl_read_record() returned -30592 (-0x7780)',
  'ssl_tls.c:4681: |2| <= handshake',
];

/** secure-sockets cy_tls.c:1730 prints `mbedtls_ssl_handshake failed 0x%x` with -ret. */
const platformFailure = (code: number): string => `mbedtls_ssl_handshake failed 0x${code.toString(16)}\n`;

export const SCENARIOS: Record<string, Scenario> = {
  'handshake-ok': {
    name: 'handshake-ok',
    description: 'TLS 1.2 mTLS with a PSA opaque key, debug level 3 (psa_tls12_opaque_ok.log); MQTT connects',
    form: 'infineon',
    ok: true,
    handshake: () => render(cutHandshake(corpus('psa_tls12_opaque_ok.log')), 'infineon'),
  },
  'psa-ecdh-export-failure': {
    name: 'psa-ecdh-export-failure',
    description: 'psa_export_public_key fails with -141 at CLIENT_KEY_EXCHANGE; handshake failed 0x7f80',
    form: 'infineon',
    ok: false,
    handshake: () => {
      // psa_tls12_opaque_ok.log cut right after `Perform PSA-based ECDH computation.`: mbedTLS
      // prints nothing of its own for the failure (DESIGN.md, failure knowledge). The -141
      // line is what a TF-M NS trace of the call prints; `<= handshake` is printed by
      // mbedtls_ssl_handshake on every exit (as in tls12_no_shared_cipher.log).
      const lines = cutHandshake(corpus('psa_tls12_opaque_ok.log'), { to: /Perform PSA-based ECDH computation\.$/ });
      return render(lines, 'infineon')
        + 'psa_export_public_key returned -141\n'
        + render(['ssl_tls.c:4681: |2| <= handshake'], 'infineon')
        + platformFailure(0x7f80);
    },
  },
  'client-cert-rejected': {
    name: 'client-cert-rejected',
    description: 'the broker rejects the self-signed device certificate: fatal alert 48 (unknown_ca) after the client Finished',
    form: 'infineon',
    ok: false,
    handshake: () => {
      const lines = cutHandshake(corpus('psa_tls12_opaque_ok.log'), { to: /\|2\| <= write finished$/ });
      return render([...lines, ...ALERT_AFTER_FINISHED(48)], 'infineon') + platformFailure(0x7780);
    },
  },
  'no-shared-cipher': {
    name: 'no-shared-cipher',
    description: 'the server shares no ciphersuite with the client: fatal alert 40 at SERVER_HELLO (tls12_no_shared_cipher.log, ssl_client2 form)',
    form: 'ssl_client2',
    ok: false,
    handshake: () => render(cutHandshake(corpus('tls12_no_shared_cipher.log')), 'ssl_client2'),
  },
};

export const DEFAULT_SCENARIO = 'handshake-ok';

export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS);
}

export function getScenario(name: string): Scenario {
  const s = SCENARIOS[name];
  if (!s) throw new Error(`unknown scenario "${name}" (known: ${scenarioNames().join(', ')})`);
  return s;
}
