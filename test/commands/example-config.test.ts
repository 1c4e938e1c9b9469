/** The documented example config (hsmon.example.json) stays valid in every section. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandConfig } from '../../src/commands/config.ts';
import { presetsFromConfig } from '../../src/mqtt/presets.ts';
import { parseProfileConfig } from '../../parsers/profiles/index.ts';

const path = new URL('../../hsmon.example.json', import.meta.url);
const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('hsmon.example.json', () => {
  it('has valid commands', () => {
    const c = parseCommandConfig(json, 'hsmon.example.json');
    expect(c.commands.map((x) => x.key)).toEqual(['k', 'r', 'R', 'w']);
  });

  it('has valid publish presets', () => {
    const { presets, errors } = presetsFromConfig(json);
    expect(errors).toEqual([]);
    expect(presets.map((p) => [p.topic, p.payload, p.qos, p.retain])).toEqual([
      ['ledstatus', 'TURN ON', 1, false],
      ['ledstatus', 'TURN OFF', 1, false],
      ['device/config', '{"interval":5}', 1, true],
    ]);
  });

  it('has a profile whose samples pass', () => {
    const { profiles, errors } = parseProfileConfig({ profiles: json['profiles'] });
    expect(errors).toEqual([]);
    expect(profiles.map((p) => p.name)).toEqual(['vendor-sdk']);
  });
});
