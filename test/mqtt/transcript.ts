// Test helper: frame a transcript the simple way (CRLF/LF/CR, ANSI removed) and run the
// MQTT and app family parsers over it as plain-printf (`none`) segments.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DeviceEvent, Line } from '../../parsers/events.ts';
import { createMqttParser } from '../../parsers/mqtt.ts';
import { createAppParser } from '../../parsers/app.ts';

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/mqtt/${name}`, import.meta.url)), 'latin1');
}

export function frame(text: string, msPerLine = 10): Line[] {
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.at(-1) === '') parts.pop();
  return parts.map((p, seq) => ({ seq, t: seq * msPerLine, text: p.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '') }));
}

export function parseLines(lines: Line[]): DeviceEvent[] {
  const parsers = [createAppParser(), createMqttParser()];
  const out: DeviceEvent[] = [];
  for (const line of lines) for (const p of parsers) out.push(...p.feed({ profile: 'none', body: line.text }, line));
  for (const p of parsers) out.push(...(p.flush?.() ?? []));
  return out;
}

export function parseText(text: string): DeviceEvent[] {
  return parseLines(frame(text));
}
