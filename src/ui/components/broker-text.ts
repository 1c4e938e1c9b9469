import type { BrokerStatus } from '../../session/types.ts';

/**
 * The broker connection (`snapshot.mqtt.brokerStatus`) in a few words: the detail is already a
 * sentence ("connected to broker at host:1883", "broker at … refused the connection — is it
 * running?"), so it is shown alone.
 */
export function brokerText(status: BrokerStatus | null | undefined): { state: BrokerStatus['state']; text: string } | null {
  if (!status) return null;
  return { state: status.state, text: status.detail ? status.detail : `broker ${status.state}` };
}
