/**
 * Publish presets: the test messages the UI offers to send to the broker. Loaded from config
 * data (already parsed JSON): an array, `{ presets: [...] }` or `{ mqtt: { presets: [...] } }`.
 */
import { isValidTopicFilter } from './topic-filter.ts';

export interface PublishPreset {
  name: string;
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/** The example application's own messages (topic `ledstatus`, QoS 1). */
export const DEFAULT_PRESETS: readonly PublishPreset[] = [
  { name: 'LED on', topic: 'ledstatus', payload: 'TURN ON', qos: 1, retain: false },
  { name: 'LED off', topic: 'ledstatus', payload: 'TURN OFF', qos: 1, retain: false },
];

function listOf(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    if (Array.isArray(o['presets'])) return o['presets'];
    if (o['mqtt'] && typeof o['mqtt'] === 'object') return listOf(o['mqtt']);
  }
  return null;
}

/** Valid presets, and one message per rejected entry (`preset 2: topic must not contain + or #`). */
export function parsePresets(data: unknown): { presets: PublishPreset[]; errors: string[] } {
  const list = listOf(data);
  if (!list) return { presets: [], errors: ['presets: expected a list of {topic, payload, qos, retain}'] };
  const presets: PublishPreset[] = [];
  const errors: string[] = [];
  list.forEach((raw, i) => {
    const where = `preset ${i + 1}`;
    if (!raw || typeof raw !== 'object') return errors.push(`${where}: not an object`);
    const o = raw as Record<string, unknown>;
    const topic = o['topic'];
    if (typeof topic !== 'string' || topic === '') return errors.push(`${where}: topic is missing`);
    if (topic.includes('+') || topic.includes('#') || !isValidTopicFilter(topic)) return errors.push(`${where}: topic must not contain + or #`);
    const p = o['payload'] ?? '';
    const payload = typeof p === 'string' ? p : JSON.stringify(p);
    const qos = o['qos'] ?? 0;
    if (qos !== 0 && qos !== 1 && qos !== 2) return errors.push(`${where}: qos must be 0, 1 or 2`);
    const retain = o['retain'] ?? false;
    if (typeof retain !== 'boolean') return errors.push(`${where}: retain must be true or false`);
    const name = typeof o['name'] === 'string' && o['name'] !== '' ? o['name'] : `${topic}: ${payload}`;
    presets.push({ name, topic, payload, qos, retain });
    return undefined;
  });
  return { presets, errors };
}

/**
 * The presets a config file asks for (`"presets"` or `"mqtt": {"presets"}`), or DEFAULT_PRESETS
 * when it has none, or none of its entries is valid; `errors` names each entry left out.
 */
export function presetsFromConfig(data: unknown): { presets: readonly PublishPreset[]; errors: string[] } {
  const o = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  const mqtt = o?.['mqtt'];
  const has = o !== null && ('presets' in o || (mqtt !== null && typeof mqtt === 'object' && 'presets' in mqtt));
  if (!has) return { presets: DEFAULT_PRESETS, errors: [] };
  const { presets, errors } = parsePresets(data);
  return presets.length > 0 ? { presets, errors } : { presets: DEFAULT_PRESETS, errors: [...errors, 'no valid preset: using the built-in ones'] };
}
