/**
 * Example-application lines that are neither TLS nor MQTT: the boot banner and the Wi-Fi
 * connection (device-log-formats.md §11; both the PSoC 6 example and the PSOC Edge copy,
 * whose wording differs slightly). Plain printf, so segments come with profile `none`.
 */
import { boundedInt } from './device-number.ts';
import type { Base, DeviceEvent, Line, Prefixed } from './events.ts';
import { NO_EVENTS, type RowAwareParser } from './family.ts';
import { isHexRow } from './mbedtls/hex-row.ts';
import { starBannerTitle } from './linear-text.ts';
import { parseCyRslt, type CyRslt } from './tables/cy-rslt.ts';

type E<K extends string, F = unknown> = Base & { kind: K } & F;

export type AppEvent =
  /** The title line of a boot banner (between `====` rules, or `***** … *****`): the device (re)started. */
  | E<'app.boot', { banner: string }>
  | E<'wifi.init', { ok: boolean }>
  | E<'wifi.connecting', { ssid: string }>
  | E<'wifi.connected', { ssid: string }>
  | E<'wifi.ip', { version: 4 | 6; address: string }>
  /** One Wi-Fi attempt failed; the same line says when the next one comes and how many are left. */
  | E<'wifi.failed', { error: CyRslt | null; retryInMs: number | null; retriesLeft: number | null }>
  /** `Exceeded maximum Wi-Fi connection attempts!`: the app gave up. */
  | E<'wifi.exhausted'>
  /** Lost the access point (`Unexpectedly disconnected from Wi-Fi network!`) or left it at teardown. */
  | E<'wifi.disconnected', { expected: boolean }>
  | E<'wifi.reconnecting'>;

type AppFields = { [K in AppEvent['kind']]: { kind: K } & Omit<Extract<AppEvent, { kind: K }>, 't' | 'line' | 'ctx' | 'kind'> }[AppEvent['kind']];

// Beyond 2^53 a delay or a count is no number: null, as for one the line did not hold.
const int = (s: string | undefined): number | null => (s === undefined ? null : s.startsWith('-') ? neg(boundedInt(s.slice(1))) : boundedInt(s));
const neg = (n: number | null): number | null => (n === null ? null : -n);

const RULES: { re: RegExp; make: (m: RegExpMatchArray) => AppFields[] }[] = [
  { re: /Wi-Fi Connection Manager initialized\./, make: () => [{ kind: 'wifi.init', ok: true }] },
  { re: /Wi-Fi Connection Manager initialization failed!/, make: () => [{ kind: 'wifi.init', ok: false }] },
  { re: /(?:Wi-Fi Connecting to|Connecting to Wi-Fi AP) '(.*)'/, make: (m) => [{ kind: 'wifi.connecting', ssid: m[1]! }] },
  { re: /Successfully connected to Wi-Fi network '(.*)'\./, make: (m) => [{ kind: 'wifi.connected', ssid: m[1]! }] },
  { re: /IPv([46]) Address Assigned: (\S+)/, make: (m) => [{ kind: 'wifi.ip', version: m[1] === '6' ? 6 : 4, address: m[2]! }] },
  {
    re: /(?:Wi-Fi Connection failed\. Error code:|Connection to Wi-Fi network failed with error code )\s*(0x[0-9A-Fa-f]+|-?\d+)\.?(?:\s*Retrying in (\d+) ms\. Retries left: (-?\d+))?/,
    make: (m) => [{ kind: 'wifi.failed', error: parseCyRslt(m[1]!), retryInMs: int(m[2]), retriesLeft: int(m[3]) }],
  },
  { re: /Exceeded maximum Wi-Fi connection attempts/, make: () => [{ kind: 'wifi.exhausted' }] },
  {
    // The older app prints both halves on one line.
    re: /Unexpectedly disconnected from Wi-Fi network!(.*Initiating Wi-Fi reconnection)?/i,
    make: (m) => (m[1] ? [{ kind: 'wifi.disconnected', expected: false }, { kind: 'wifi.reconnecting' }] : [{ kind: 'wifi.disconnected', expected: false }]),
  },
  { re: /Initiating Wi-Fi reconnection/i, make: () => [{ kind: 'wifi.reconnecting' }] },
  { re: /Disconnected from the Wi-Fi AP!/, make: () => [{ kind: 'wifi.disconnected', expected: true }] },
];

const RULE_LINE = /^\s*={20,}\s*$/;

/**
 * A necessary condition for one of RULES to match: each holds `Wi-Fi` (two of them in any
 * case) or `IPv`. This parser sees every line of the log and almost none is a Wi-Fi line.
 */
function mayBeWifiLine(body: string): boolean {
  for (let i = body.indexOf('-'); i > 0; i = body.indexOf('-', i + 1)) {
    if ((body.charCodeAt(i - 1) | 0x20) === 0x69 /* i */ && (body.charCodeAt(i + 1) | 0x20) === 0x66 /* f */) return true;
  }
  return body.includes('IPv');
}

/** The first character that is not a blank (\s as far as ASCII goes), or -1. */
function firstNonBlank(body: string): number {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) return c;
  }
  return -1;
}

/** A FamilyParser for boot banners and Wi-Fi lines. */
export function createAppParser(): RowAwareParser {
  // A banner is rule, title, rule: after the opening rule the next text is the title, and
  // the rule after the title closes it (it must not open another banner).
  let banner: 'idle' | 'opened' | 'titled' = 'idle';

  return {
    feed(segment: Prefixed, line: Line): DeviceEvent[] {
      const body = segment.body;
      // Cheap tests first: a rule line starts with `=` (after blanks), a star banner with `*`.
      const c0 = firstNonBlank(body);
      if ((c0 === 61 /* = */ || c0 > 127) && RULE_LINE.test(body)) {
        banner = banner === 'titled' ? 'idle' : 'opened';
        return NO_EVENTS;
      }
      const at = { t: line.t, line: line.seq };
      if (banner === 'opened') {
        if (body.trim() === '') return NO_EVENTS;
        banner = 'titled';
        return [{ kind: 'app.boot', banner: body.trim(), ...at }];
      }
      if (banner !== 'idle' && body.trim() !== '') banner = 'idle';
      if (c0 === 42 /* * */ || c0 > 127) {
        const title = starBannerTitle(body);
        if (title !== null) return [{ kind: 'app.boot', banner: title, ...at }];
      }
      // A hex dump row is half a debug-4 log; its 16-character text column cannot hold a rule.
      if (isHexRow(body) || !mayBeWifiLine(body)) return NO_EVENTS;
      for (const rule of RULES) {
        const m = body.match(rule.re);
        if (m) return rule.make(m).map((f) => ({ ...f, ...at }) as DeviceEvent);
      }
      return NO_EVENTS;
    },
    // A row can only be a banner's title or end one.
    wantsHexRow: () => banner !== 'idle',
  };
}
