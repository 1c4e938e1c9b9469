// The demo's MQTT world in-process (no terminal): the simulated device, the embedded aedes
// broker and hsmon's own client on `#`. One publish is seen on both sides and correlated.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../src/cli/demo-broker.ts';
import type { MqttEntry } from '../../src/mqtt/history.ts';
import { poll } from '../helpers/poll.ts';

let demo: Demo | null = null;
afterEach(async () => {
  await demo?.sim.close();
  await demo?.close();
  demo = null;
});

const find = (d: Demo, source: 'device' | 'broker', direction: 'in' | 'out' | null, payload: string): MqttEntry | undefined =>
  d.session.facts.mqttEntries().find((e) => e.source === source && e.direction === direction && e.topic === 'ledstatus' && e.payload === payload);

describe('demo: simulator + embedded broker', () => {
  it("the device's publish reaches the broker and comes back to it, each pair linked with a latency", async () => {
    demo = await startDemo({ speed: 'max' });
    expect(demo.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.session.getSnapshot().mqtt.brokerStatus).toEqual({ state: 'connected', detail: expect.stringMatching(/^connected to broker at 127\.0\.0\.1:\d+$/) });
    demo.start();
    const d = demo;
    // The device prints "Publishing 'TURN ON' on the topic 'ledstatus'" (device, out, no QoS
    // in the line); the broker hands hsmon the message (QoS 1, as published); the device,
    // subscribed to ledstatus, prints it as incoming (QoS 1).
    const out = await poll('the device publish line', () => find(d, 'device', 'out', 'TURN ON'));
    const back = await poll('the incoming line on the device', () => find(d, 'device', 'in', 'TURN ON'));
    const broker = await poll('the broker message', () => find(d, 'broker', null, 'TURN ON'));
    expect(out.qos).toBeNull();
    expect(broker.qos).toBe(1);
    expect(back.qos).toBe(1);

    const entries = d.session.facts.mqttEntries();
    const now = (e: MqttEntry) => entries.find((x) => x.id === e.id)!;
    const published = now(out).links.find((l) => l.relation === 'published');
    expect(published?.id).toBe(broker.id);
    // The publish leaves after the line was read, so the broker sees it later, within the window.
    expect(published!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(published!.latencyMs).toBeLessThan(10_000);
    const delivered = now(back).links.find((l) => l.relation === 'delivered');
    expect(delivered?.id).toBe(broker.id);
    expect(Math.abs(delivered!.latencyMs)).toBeLessThan(10_000);
  });

  it('a message published through hsmon\'s client (what the UI does) shows on the broker side and on the device', async () => {
    demo = await startDemo({ speed: 'max' });
    demo.start();
    const d = demo;
    await poll('the device to be connected and subscribed', () => find(d, 'device', 'in', 'TURN ON'));
    await d.broker!.publish('ledstatus', 'TURN OFF', { qos: 1, retain: false });
    const back = await poll('the incoming line on the device', () => find(d, 'device', 'in', 'TURN OFF'));
    const broker = await poll('the broker message', () => find(d, 'broker', null, 'TURN OFF'));
    const entries = d.session.facts.mqttEntries();
    expect(entries.find((e) => e.id === back.id)!.links.map((l) => [l.relation, l.id])).toEqual([['delivered', broker.id]]);
    // Both sides are in summary.mqtt, which the session's summary carries.
    const sources = new Set(d.session.summary().mqtt.messages.filter((m) => m.payload === 'TURN OFF').map((m) => m.source));
    expect([...sources].sort()).toEqual(['broker', 'device']);
  });

  it('closing the demo closes the broker: nothing listens on its port any more', async () => {
    demo = await startDemo({ speed: 'max' });
    const port = Number(new URL(demo.url!).port);
    await demo.sim.close();
    await demo.close();
    demo = null;
    const { createConnection } = await import('node:net');
    const refused = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
