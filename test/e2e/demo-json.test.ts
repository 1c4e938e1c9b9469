// `hsmon --json`: the demo as NDJSON, with its embedded broker. The broker side arrives as
// mqtt.message lines with source "broker"; Ctrl+C ends it with the summary last, exit 0.
import { describe, expect, it } from 'vitest';
import { startHsmon } from '../helpers/cli.ts';
import { poll } from '../helpers/poll.ts';

interface Line { kind: string; source?: string; direction?: string | null; topic?: string; qos?: number | null; payload?: string; state?: string; mqtt?: { messages: { source: string; direction: string | null; topic: string; qos: number | null; payload: string }[] } }

describe('hsmon --json (demo with the embedded broker)', () => {
  it('emits the broker side of the device publish, and the summary holds both sides', async () => {
    const { child, stdout, stderr, exited } = startHsmon(['--json']);
    const lines = (): Line[] => stdout().split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);
    try {
      // The simulated board boots at 115200 baud: its first publish comes a few seconds in.
      await poll('a broker mqtt.message', () => lines().some((l) => l.kind === 'mqtt.message' && l.source === 'broker'), {
        timeoutMs: 25_000, intervalMs: 100, last: () => `stderr:\n${stderr()}\nstdout tail:\n${stdout().slice(-2000)}`,
      });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const all = lines();
    // hsmon's client connected to the embedded broker before the device booted.
    expect(all.find((l) => l.kind === 'broker.status' && l.state === 'connected')).toBeDefined();
    // The device prints "Publishing 'TURN ON' on the topic 'ledstatus'" and publishes it at
    // QoS 1 (the example application's setting); hsmon's client on # receives it.
    const broker = all.find((l) => l.kind === 'mqtt.message' && l.source === 'broker')!;
    expect(broker).toMatchObject({ topic: 'ledstatus', qos: 1, payload: 'TURN ON', direction: null });
    expect(all.find((l) => l.kind === 'mqtt.message' && l.source === 'device' && l.direction === 'out')).toMatchObject({ topic: 'ledstatus', payload: 'TURN ON' });

    const summary = all.at(-1)!;
    expect(summary.kind).toBe('summary');
    const sides = summary.mqtt!.messages.filter((m) => m.topic === 'ledstatus' && m.payload === 'TURN ON');
    expect(sides).toEqual(expect.arrayContaining([
      expect.objectContaining({ source: 'device', direction: 'out', qos: null }),
      expect.objectContaining({ source: 'broker', direction: null, qos: 1 }),
    ]));
  }, 40_000);
});
