// Publishing presets from the MQTT pane through a broker handle, and the broker's state in the
// status bar. test/fixtures/mqtt/device-mqtt.log is the device side (see its README).
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerControls } from '../../src/ui/controls.ts';
import type { PublishPreset } from '../../src/mqtt/presets.ts';
import { corpusSession, KEYS, renderApp, staticStore, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

const PRESETS: PublishPreset[] = [
  { name: 'LED on', topic: 'ledstatus', payload: 'TURN ON', qos: 1, retain: false },
  { name: 'config', topic: 'devices/psoc/config', payload: '{"interval":5}', qos: 2, retain: true },
  { name: 'ping', topic: 'bench/ping', payload: 'hello', qos: 0, retain: false },
];

interface Sent { topic: string; payload: string; qos: number; retain: boolean }

function fakeBroker(opts: { fail?: string } = {}): BrokerControls & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    address: '127.0.0.1:1883',
    presets: PRESETS,
    sent,
    async publish(topic, payload, o) {
      sent.push({ topic, payload, qos: o.qos, retain: o.retain });
      if (opts.fail) throw new Error(opts.fail);
    },
  };
}

async function mqttPane(broker: BrokerControls | null, columns = 100): Promise<Rendered> {
  const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log');
  r = await renderApp(s, { broker }, { columns, rows: 30 });
  await r.press('5');
  return r;
}

describe('MQTT pane: publish presets', () => {
  it('offers the presets, p opens the list, ↓↓ Enter publishes the third one with its QoS and retain flag', async () => {
    const broker = fakeBroker();
    const ui = await mqttPane(broker);
    expect(ui.frame()).toContain('p: publish a preset (LED on, config, ping)');
    await ui.press('p');
    const list = ui.frame();
    expect(list).toContain('publish a preset to 127.0.0.1:1883');
    expect(list).toContain('▶ LED on  ledstatus  q1  TURN ON');
    expect(list).toContain('config  devices/psoc/config  q2 retain  {"interval":5}');
    expect(list).toContain('↑/↓ choose · Enter publish · Esc cancel');
    await ui.press(KEYS.down, KEYS.down, KEYS.enter);
    expect(broker.sent).toEqual([{ topic: 'bench/ping', payload: 'hello', qos: 0, retain: false }]);
    const after = await ui.waitFor("published 'hello' on bench/ping (QoS 0) to 127.0.0.1:1883");
    // The list is closed: the messages are back.
    expect(after).toContain('subscribed: ledstatus');
  });

  it('publishes a retained QoS 2 preset as it is configured; ↑ stops at the first', async () => {
    const broker = fakeBroker();
    const ui = await mqttPane(broker);
    await ui.press('p', KEYS.up, KEYS.down, KEYS.enter);
    expect(broker.sent).toEqual([{ topic: 'devices/psoc/config', payload: '{"interval":5}', qos: 2, retain: true }]);
    await ui.waitFor(`published '{"interval":5}' on devices/psoc/config (QoS 2, retained)`);
  });

  it('Esc closes the list without publishing', async () => {
    const broker = fakeBroker();
    const ui = await mqttPane(broker);
    await ui.press('p', KEYS.escape);
    expect(ui.frame()).not.toContain('publish a preset to');
    expect(broker.sent).toEqual([]);
  });

  it('shows the one-line error when the broker is not connected', async () => {
    const broker = fakeBroker({ fail: 'not connected to the broker at 127.0.0.1:1883: broker at 127.0.0.1:1883 refused the connection — is it running?' });
    const ui = await mqttPane(broker, 160);
    await ui.press('p', KEYS.enter);
    expect(broker.sent).toHaveLength(1);
    await ui.waitFor('publish failed: not connected to the broker at 127.0.0.1:1883: broker at 127.0.0.1:1883 refused the connection');
  });

  it('without a broker connection p says how to get one', async () => {
    const ui = await mqttPane(null);
    expect(ui.frame()).not.toContain('p: publish a preset');
    await ui.press('p');
    expect(ui.frame()).toContain('no broker connection to publish through: hsmon monitor PORT --broker');
  });
});

describe('MQTT pane: correlation', () => {
  it('shows the latency between the device line and the broker message of the same publish', async () => {
    // Line 46 of the fixture (index 45) is "Publishing 'TURN OFF'": at 10 ms a line it is read
    // at t = 450 ms; the broker's copy arrives at 457 ms, so the pair is 7 ms apart.
    const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log', { msPerLine: 10 });
    s.setBrokerStatus({ state: 'connected', detail: 'connected to broker at 127.0.0.1:1883' });
    s.brokerMessage({ topic: 'ledstatus', payload: new TextEncoder().encode('TURN OFF'), qos: 1, retain: false, t: 457 });
    r = await renderApp(s, { broker: fakeBroker() }, { columns: 100, rows: 30 });
    await r.press('5');
    const f = r.frame();
    expect(f).toContain('connected · broker connected');
    expect(f).toContain('▶ device ledstatus: TURN OFF  ⇄ 7 ms');
    expect(f).toContain('· broker ledstatus q1: TURN OFF  ⇄ 7 ms');
    // The earlier TURN ON had no broker copy: no link, no latency.
    expect(f).toMatch(/▶ device ledstatus: TURN ON\s*│/);
  });
});

describe('status bar: broker connection', () => {
  it('shows the broker state from the snapshot, and the error line when it is down', async () => {
    const s = await corpusSession('test/fixtures/mqtt/device-mqtt.log');
    const base = s.getSnapshot();
    const up = { ...base, mqtt: { ...base.mqtt, brokerStatus: { state: 'connected' as const, detail: 'connected to broker at 127.0.0.1:1883' } } };
    r = await renderApp(staticStore(up), {}, { columns: 160, rows: 30 });
    const top = r.frame().split('\n').at(-2)!;
    expect(top).toContain('end of file · connected to broker at 127.0.0.1:1883 ·');
    r.unmount();

    const down = { ...base, mqtt: { ...base.mqtt, brokerStatus: { state: 'offline' as const, detail: 'broker at 127.0.0.1:1883 refused the connection — is it running?' } } };
    r = await renderApp(staticStore(down), {}, { columns: 160, rows: 30 });
    expect(r.frame().split('\n').at(-2)).toContain('· broker at 127.0.0.1:1883 refused the connection — is it running?');
  });
});

describe('presets from the config file', () => {
  it('uses "presets" when the file has them, naming rejected entries; the built-in ones otherwise', async () => {
    const { presetsFromConfig, DEFAULT_PRESETS } = await import('../../src/mqtt/presets.ts');
    const cfg = { commands: [], presets: [{ name: 'cfg', topic: 'devices/x', payload: { a: 1 }, qos: 2, retain: true }, { topic: 'bad/#', payload: 'x' }] };
    expect(presetsFromConfig(cfg)).toEqual({
      presets: [{ name: 'cfg', topic: 'devices/x', payload: '{"a":1}', qos: 2, retain: true }],
      errors: ['preset 2: topic must not contain + or #'],
    });
    expect(presetsFromConfig({ commands: [] })).toEqual({ presets: DEFAULT_PRESETS, errors: [] });
    expect(presetsFromConfig(undefined)).toEqual({ presets: DEFAULT_PRESETS, errors: [] });
    expect(presetsFromConfig({ presets: [{ payload: 'no topic' }] }).presets).toBe(DEFAULT_PRESETS);
  });
});
