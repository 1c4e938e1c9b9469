/**
 * What the PSOC Edge Wi-Fi MQTT client application prints around the TLS handshake, in the
 * verbatim printf formats of device-log-formats.md §11 (column E, the PSOC Edge copy) and the
 * PSA key lines hsmon's PSA parser reads. Text uses "\n"; the simulator sends "\r\n" like
 * retarget-io with CY_RETARGET_IO_CONVERT_LF_TO_CRLF.
 */
export const SSID = 'bench-lab';
export const BROKER = 'broker.bench.local';
export const CLIENT_ID = 'psoc-edge-mqtt-client';
export const TOPIC = 'ledstatus';

const RULE = '='.repeat(63);

export function banner(): string {
  return `\x1b[2J\x1b[;H${RULE}\nPSOC Edge MCU: Wi-Fi MQTT Client\n${RULE}\n\n`;
}

export function wifi(): string {
  return [
    '\nWi-Fi Connection Manager initialized.\n',
    `\nWi-Fi Connecting to '${SSID}'\n`,
    `\nSuccessfully connected to Wi-Fi network '${SSID}'.\n`,
    'IPv4 Address Assigned: 192.168.50.23\n\n',
  ].join('');
}

/** PSA key generation and the self-signed device certificate it is used with. */
export function keyGeneration(certificatePem: string, regenerate = false): string {
  return [
    regenerate ? '\nRegenerating the device key pair...\n' : '\nGenerating the device key pair (PSA, secp256r1)...\n',
    ...(regenerate ? ['psa_destroy_key() = 0\n'] : []),
    'psa_generate_key() = 0\n',
    'hsmon: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=256 alg=ECDSA(SHA_256) lifetime=persistent status=0\n',
    'psa_export_public_key() = 0\n',
    'Device certificate (self-signed, not yet registered with the broker):\n',
    certificatePem.trim().replace(/\r\n/g, '\n') + '\n\n',
  ].join('');
}

export function mqttConnecting(): string {
  return `\nMQTT library initialization successful.\n\n'${CLIENT_ID}' connecting to MQTT broker '${BROKER}'...\n`;
}

export function mqttConnected(): string {
  return [
    'MQTT connection successful.\n',
    `\nMQTT client subscribed to the topic '${TOPIC}' successfully.\n`,
    `\nPress the USER BTN1 to publish "TURN ON"/"TURN OFF" on the topic '${TOPIC}'...\n`,
  ].join('');
}

/** publisher_task.c: printed just before cy_mqtt_publish(). */
export function publishing(payload: string, topic = TOPIC): string {
  return `\nPublisher: Publishing '${payload}' on the topic '${topic}'\n`;
}

/** subscriber_task.c: one message the broker delivered (sic "Subsciber"). */
export function incoming(topic: string, qos: number, payload: string): string {
  return `  \nSubsciber: Incoming MQTT message received:\n    Publish topic name: ${topic}\n    Publish QoS: ${qos}\n    Publish payload: ${payload}\n`;
}

/** The subscriber accepts only the two LED commands. */
export function invalidPayload(): string {
  return '  Subscriber: Received MQTT message not in valid format!\n';
}

/** MQTT_CONN_RETRY_INTERVAL_MS 2000; CY_RSLT_MODULE_MQTT_CONNECT_FAIL prints as 0x8060009. */
export function mqttFailed(retriesLeft: number): string {
  return `\nMQTT connection failed with error code 0x8060009. \nRetrying in 2000 ms. Retries left: ${retriesLeft}\n`;
}

export function unknownCommand(cmd: string): string {
  return `\nUnknown command '${cmd}' (commands: regen, retry)\n`;
}
