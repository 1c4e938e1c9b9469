/**
 * Infineon cy_rslt_t codes the MQTT example and its libraries print (`0x%0X`, or `%lu` in
 * secure-sockets). Source: device-log-formats.md §9 (core-lib cy_result.h, mqtt 4.7.0
 * cy_mqtt_api.h, connectivity-utilities cy_result_mw.h, secure-sockets
 * cy_secure_sockets_error.h, wifi-connection-manager 4.1.0 cy_wcm_error.h).
 */

export interface CyRslt {
  code: number;
  /** As the apps print it: `0x8060009` (no zero padding). */
  hex: string;
  /** `MQTT`, `TLS`, `SECURE_SOCKETS`, `WCM`, or `module 0x…` for a module not in the table; null for 0. */
  module: string | null;
  /** `CY_RSLT_MODULE_MQTT_CONNECT_FAIL`; null when the code is not in the table. */
  name: string | null;
}

interface ModuleTable {
  module: string;
  prefix: string;
  codes: readonly (readonly [number, string])[];
}

/** Keyed by the 14-bit module number (bits 18..31). */
const MODULES: ReadonlyMap<number, ModuleTable> = new Map<number, ModuleTable>([
  [0x201, { module: 'MQTT', prefix: 'CY_RSLT_MODULE_MQTT_', codes: [
    [1, 'ERROR'], [2, 'BADARG'], [3, 'NOMEM'], [4, 'INIT_FAIL'], [5, 'DEINIT_FAIL'], [6, 'CREATE_FAIL'],
    [7, 'DELETE_FAIL'], [8, 'INVALID_HANDLE'], [9, 'CONNECT_FAIL'], [10, 'DISCONNECT_FAIL'],
    [11, 'PUBLISH_FAIL'], [12, 'SUBSCRIBE_FAIL'], [13, 'UNSUBSCRIBE_FAIL'], [14, 'NOT_CONNECTED'],
    [15, 'CLOSED'], [16, 'ALREADY_CONNECTED'], [17, 'PROTOCOL_NOT_SUPPORTED'], [18, 'INVALID_CREDENTIALS'],
    [19, 'HANDSHAKE_FAILED'], [20, 'HANDLE_NOT_FOUND'], [21, 'VCM_ERROR'], [22, 'NOT_INITIALIZED'],
  ] }],
  [0x209, { module: 'TLS', prefix: 'CY_RSLT_MODULE_TLS_', codes: [
    [1, 'ERROR'], [2, 'TIMEOUT'], [3, 'BADARG'], [4, 'OUT_OF_HEAP_SPACE'], [5, 'BAD_INPUT_DATA'],
    [6, 'PARSE_KEY'], [7, 'PARSE_CERTIFICATE'], [8, 'UNSUPPORTED'], [9, 'HANDSHAKE_FAILURE'],
    [10, 'CONNECTION_CLOSED'], [11, 'SOCKET_NOT_CONNECTED'], [12, 'PKCS_ERROR'],
  ] }],
  [0x20a, { module: 'SECURE_SOCKETS', prefix: 'CY_RSLT_MODULE_SECURE_SOCKETS_', codes: [
    [1, 'TCPIP_ERROR'], [2, 'BADARG'], [3, 'NOMEM'], [4, 'NOT_CONNECTED'], [5, 'CLOSED'],
    [6, 'ALREADY_CONNECTED'], [7, 'PROTOCOL_NOT_SUPPORTED'], [8, 'OPTION_NOT_SUPPORTED'],
    [9, 'INVALID_OPTION'], [10, 'NOT_LISTENING'], [11, 'TIMEOUT'], [12, 'IN_PROGRESS'],
    [13, 'HOST_NOT_FOUND'], [14, 'TLS_ERROR'], [15, 'INVALID_SOCKET'], [16, 'NOT_SUPPORTED'],
    [17, 'NOT_INITIALIZED'], [18, 'NETIF_DOES_NOT_EXIST'], [19, 'ARP_TIMEOUT'],
    [20, 'BAD_NW_STACK_CONFIGURATION'], [21, 'ADDRESS_IN_USE'], [22, 'MAX_MEMBERSHIP_ERROR'],
    [23, 'MULTICAST_ADDRESS_NOT_REGISTERED'], [24, 'ERROR_ROUTING'], [25, 'PKCS_ERROR'], [26, 'WOULDBLOCK'],
  ] }],
  // WCM names have no MODULE_ in them (CY_RSLT_WCM_*); only the subset §9 lists.
  [0x20b, { module: 'WCM', prefix: 'CY_RSLT_WCM_', codes: [
    [1, 'WAIT_TIMEOUT'], [2, 'BAD_NETWORK_PARAM'], [3, 'BAD_SSID_LEN'], [4, 'SECURITY_NOT_SUPPORTED'],
    [5, 'BAD_PASSPHRASE_LEN'], [6, 'BAD_ARG'], [9, 'STA_DISCONNECT_ERROR'], [10, 'STA_NETWORK_DOWN'],
    [11, 'BSP_INIT_ERROR'], [18, 'OUT_OF_MEMORY'], [20, 'NETIF_DOES_NOT_EXIST'], [21, 'ARP_REQUEST_FAILURE'],
    [42, 'IP_ADDR_ERROR'], [44, 'NW_INIT_ERROR'], [45, 'NOT_CONNECTED_TO_AP'], [51, 'DHCP_TIMEOUT'],
    [52, 'WPA3_SUPPLICANT_ERROR'], [55, 'POWERSAVE_MODE_NOT_SUPPORTED'],
  ] }],
]);

const NAMES = new Map<number, { module: string; name: string }>();
for (const [id, table] of MODULES) {
  for (const [n, suffix] of table.codes) {
    // CY_RSLT_CREATE(type=ERROR(2), module, code) = (module << 18) | (2 << 16) | code
    NAMES.set(((id << 18) | (2 << 16) | n) >>> 0, { module: table.module, name: table.prefix + suffix });
  }
}

/** Decode a cy_rslt_t (as an unsigned 32-bit number). Never throws. */
export function decodeCyRslt(n: number): CyRslt {
  const code = n >>> 0;
  const hex = '0x' + code.toString(16).toUpperCase();
  if (code === 0) return { code, hex, module: null, name: 'CY_RSLT_SUCCESS' };
  const known = NAMES.get(code);
  if (known) return { code, hex, ...known };
  const moduleId = code >>> 18;
  const table = MODULES.get(moduleId);
  return { code, hex, module: table ? table.module : `module 0x${moduleId.toString(16)}`, name: null };
}

/** Parse the number the device printed (`0x8060009`, `0x%X`, or a decimal `%lu`). */
export function parseCyRslt(text: string): CyRslt | null {
  const s = text.trim();
  // A cy_rslt_t is 32 bits: a longer number is no result code.
  if (/^0x[0-9a-f]{1,8}$/i.test(s)) return decodeCyRslt(Number.parseInt(s.slice(2), 16));
  if (/^-?\d{1,10}$/.test(s)) return decodeCyRslt(Number(s));
  return null;
}
