/**
 * The broker connection (`snapshot.mqtt.brokerStatus`, "state: detail") in a few words: the
 * detail is already a sentence ("connected to broker at host:1883", "broker at … refused the
 * connection — is it running?"), so it is shown alone.
 */
export function brokerText(status: string | null | undefined): { state: string; text: string } | null {
  if (!status) return null;
  const i = status.indexOf(': ');
  const state = i === -1 ? status : status.slice(0, i);
  const detail = i === -1 ? '' : status.slice(i + 2);
  return { state, text: detail !== '' ? detail : `broker ${state}` };
}
