/**
 * No silent plaintext: checked before hsmon opens a connection to a broker. TLS options with a
 * plaintext URL are a mistake to stop at (the user believes the link is protected: it would
 * not be); credentials go over plaintext only when the user says so.
 */

export interface BrokerSecurityInput {
  url: string;
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  /** HSMON_MQTT_USERNAME / HSMON_MQTT_PASSWORD are set. */
  hasCredentials: boolean;
  /** --allow-plaintext-credentials */
  allowPlaintextCredentials?: boolean | undefined;
}

/** One line saying why hsmon will not connect, or null. */
export function checkBrokerSecurity(input: BrokerSecurityInput): string | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input.url.trim());
  if (!m) return null; // a malformed URL is the URL check's to report
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'mqtt' && scheme !== 'ws') return null;
  const secure = scheme === 'mqtt' ? 'mqtts' : 'wss';
  const tlsOptions = [input.ca !== undefined ? '--ca' : null, input.cert !== undefined ? '--cert' : null, input.key !== undefined ? '--key' : null].filter((o): o is string => o !== null);
  if (tlsOptions.length > 0) {
    return `${tlsOptions.join(', ')} need${tlsOptions.length === 1 ? 's' : ''} a TLS broker URL (${secure}://), but ${scheme}:// is plaintext: hsmon will not connect without the TLS you asked for`;
  }
  if (input.hasCredentials && !input.allowPlaintextCredentials) {
    return `HSMON_MQTT_USERNAME/HSMON_MQTT_PASSWORD would cross the network in cleartext over ${scheme}://: use ${secure}://, or pass --allow-plaintext-credentials if that is what you want`;
  }
  return null;
}
