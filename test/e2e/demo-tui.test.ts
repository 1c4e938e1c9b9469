/**
 * The demo in a real terminal (tmux): `hsmon` boots the simulated board with its embedded
 * broker; the test publishes the "LED off" preset from the MQTT pane (5, p, ↓, Enter) and
 * reads both sides on the screen: the status bar's result and the device's incoming lines.
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTmux, tmuxTerminal, type TmuxTerminal } from '../helpers/tmux.ts';

const root = resolve(import.meta.dirname, '../..');
if (!hasTmux) console.log('skipping the tmux demo test: tmux is not installed (apt-get install tmux)');

describe.skipIf(!hasTmux)('demo in a real terminal (tmux)', () => {
  let term: TmuxTerminal | undefined;
  afterAll(() => term?.kill());

  it('publishes a preset through the embedded broker and the device prints it as incoming', async () => {
    // HOME points at an empty directory so a user's config cannot change the presets.
    const cmd = `cd ${JSON.stringify(root)} && env -u CI -u XDG_CONFIG_HOME HOME=/nonexistent-hsmon-home node bin/hsmon.js; echo "HSMON_EXIT=$?"; sleep 120`;
    term = tmuxTerminal('demo', cmd);
    const { tmux, waitFor } = term;
    // The status bar names the embedded broker once hsmon's client is connected to it.
    await waitFor(/connected to broker at 127\.0\.0\.1:\d+/);
    // The device's own publish and its way back: "Publish payload: TURN ON" in the log.
    await waitFor('Publish payload: TURN ON');

    tmux('send-keys', '-t', 'demo', '5');
    // `p` works only in the focused MQTT pane, which then shows its hint: under load the two
    // keys sent back to back could reach the UI before it focused the pane.
    await waitFor('p: publish a preset');
    tmux('send-keys', '-t', 'demo', 'p');
    const list = await waitFor('↑/↓ choose · Enter publish · Esc cancel');
    expect(list).toContain('LED off');
    tmux('send-keys', '-t', 'demo', 'Down');
    await waitFor('▶ LED off');
    tmux('send-keys', '-t', 'demo', 'Enter');
    await waitFor(/published 'TURN OFF' on ledstatus \(QoS 1\) to 127\.0\.0\.1:\d+/);
    // The broker delivered it to the subscribed device, which printed it on its UART.
    await waitFor('Publish payload: TURN OFF');

    tmux('send-keys', '-t', 'demo', 'q');
    const after = await waitFor('HSMON_EXIT=');
    expect(after).toContain('HSMON_EXIT=0');
  }, 60_000);
});
