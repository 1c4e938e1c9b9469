// The simulated device's MQTT client against a broker link: it publishes what it prints and
// prints only what the broker delivers (device-log-formats.md §11 formats).
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/sim/simulator.ts';

interface Published { topic: string; payload: string; qos: number; printedBefore: boolean }

function withLink(scenario = 'handshake-ok'): { sim: Simulator; published: Published[]; text: () => string } {
  let out = '';
  const published: Published[] = [];
  const sim = createSimulator({
    scenario,
    speed: 'max',
    mqtt: {
      publish(topic, payload, qos) {
        // The publish goes out after its line was sent on the UART.
        published.push({ topic, payload, qos, printedBefore: out.includes(`Publisher: Publishing '${payload}' on the topic '${topic}'\r\n`) });
      },
    },
  });
  void sim.start({ data: (c) => { out += new TextDecoder().decode(c); }, status: () => undefined });
  return { sim, published, text: () => out };
}

const INCOMING = (payload: string, qos = 1) =>
  `  \r\nSubsciber: Incoming MQTT message received:\r\n    Publish topic name: ledstatus\r\n    Publish QoS: ${qos}\r\n    Publish payload: ${payload}\r\n`;

describe('simulator with a broker link', () => {
  it('publishes TURN ON on ledstatus with QoS 1 after printing the line, and does not echo it itself', async () => {
    const { sim, published, text } = withLink();
    await sim.whenIdle();
    expect(published).toEqual([{ topic: 'ledstatus', payload: 'TURN ON', qos: 1, printedBefore: true }]);
    expect(text()).not.toContain('Incoming MQTT message received');
    await sim.close();
  });

  it('prints a delivered message in the subscriber format, capped at its QoS 1 subscription', async () => {
    const { sim, text } = withLink();
    await sim.whenIdle();
    expect(sim.deliver('ledstatus', new TextEncoder().encode('TURN OFF'), 2)).toBe(true);
    await sim.whenIdle();
    expect(text()).toContain(INCOMING('TURN OFF', 1));
    expect(text()).not.toContain('not in valid format');
    await sim.close();
  });

  it('says the payload is not valid for anything but TURN ON / TURN OFF', async () => {
    const { sim, text } = withLink();
    await sim.whenIdle();
    expect(sim.deliver('ledstatus', 'blink', 0)).toBe(true);
    await sim.whenIdle();
    expect(text()).toContain(INCOMING('blink', 0) + '  Subscriber: Received MQTT message not in valid format!\r\n');
    await sim.close();
  });

  it('ignores topics it did not subscribe to, and everything while MQTT is not connected', async () => {
    const ok = withLink();
    await ok.sim.whenIdle();
    expect(ok.sim.deliver('other/topic', 'TURN ON', 1)).toBe(false);
    await ok.sim.close();

    const failed = withLink('client-cert-rejected');
    await failed.sim.whenIdle();
    expect(failed.sim.deliver('ledstatus', 'TURN ON', 1)).toBe(false);
    expect(failed.published).toEqual([]);
    expect(failed.text()).not.toContain('Incoming MQTT message received');
    await failed.sim.close();
  });

  it('without a link the device still sees its own publish come back (no broker of its own)', async () => {
    let out = '';
    const sim = createSimulator({ speed: 'max' });
    await sim.start({ data: (c) => { out += new TextDecoder().decode(c); }, status: () => undefined });
    await sim.whenIdle();
    expect(out).toContain(`\r\nPublisher: Publishing 'TURN ON' on the topic 'ledstatus'\r\n${INCOMING('TURN ON')}`);
    await sim.close();
  });
});
