import type { Base } from './events.ts';

/** Device-side MQTT and Wi-Fi lines (owned by the MQTT work). */
export type MqttEvent = Base & { kind: 'mqtt.message'; direction: 'in' | 'out' | null; topic: string; qos: number | null; payload: string };
