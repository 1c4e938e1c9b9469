import type { Base } from './events.ts';

/** Application lines that are neither TLS nor MQTT (boot banner, Wi-Fi). */
export type AppEvent = Base & { kind: 'app.boot'; banner: string };
