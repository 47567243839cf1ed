/**
 * Scenario files are checked before anything runs, and every problem names the file's line: a technician fixes the
 * file without guessing.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/rehearsal/scenario-loader.ts';
import { parseDuration } from '../../src/rehearsal/duration.ts';

function problems(text: string, file = 'scenario.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (err) {
    if (err instanceof ScenarioError) return err.message.split('\n');
    throw err;
  }
  throw new Error('the scenario was accepted');
}

const GOOD = `name: One base
seed: 7
lab:
  sites:
    - { id: hq, publicIp: 203.0.113.10 }
  bases:
    - id: b1
      model: B4
      site: hq
      handsets: { count: 2, model: Rove 40 }
steps:
  - waitUntil: { base: b1, state: running }
    timeout: 10m
  - register: { handsets: "b1/*" }
  - wait: 1h30m
  - expect:
      - { handset: "b1/*", state: in-service }
      - { base: b1, reboots: 0 }
`;

describe('Scenario files', () => {
  it('accepts a well-formed YAML scenario', () => {
    const s = parseScenario(GOOD);
    expect(s.lab.bases?.[0]).toMatchObject({ id: 'b1', model: 'B4' });
    expect(s.steps).toHaveLength(4);
  });

  it('accepts the same scenario as JSON', () => {
    const s = parseScenario(JSON.stringify(parseScenario(GOOD), null, 2), 'scenario.json');
    expect(s.name).toBe('One base');
  });

  it('names the line of a duration that is not one', () => {
    const bad = GOOD.replace('wait: 1h30m', 'wait: "10x"');
    expect(problems(bad)).toEqual(['scenario.yaml:15: steps[2].wait: "10x" is not a duration (e.g. 90s, 10m, 2h)']);
  });

  it('names the line of an unknown key, a missing field and a wrong model', () => {
    const bad = GOOD.replace('      site: hq\n', '      sight: hq\n').replace('model: B4', 'model: B5').replace('  - { id: hq, publicIp: 203.0.113.10 }', '  - { id: hq }');
    expect(problems(bad)).toEqual([
      'scenario.yaml:5: lab.sites[0]: missing "publicIp"',
      'scenario.yaml:8: lab.bases[0].model: "B5" must be one of "B2", "B4"',
      'scenario.yaml:9: lab.bases[0].sight: unknown key "sight"',
    ]);
  });

  it('refuses a step with two actions, an unknown fault and a bad firmware version, each on its line', () => {
    const bad = `name: x
lab:
  bases:
    - { id: b1, model: B4, firmware: "8.0.3" }
steps:
  - wait: 10m
    expect: { base: b1, state: running }
  - fault: { type: meteor-strike }
`;
    expect(problems(bad)).toEqual(['scenario.yaml:4: lab.bases[0].firmware: "8.0.3" is not a firmware version (e.g. 8.0.3.0009)']);
    const fixed = bad.replace('"8.0.3"', '"8.0.3.0009"');
    expect(problems(fixed)).toEqual([
      'scenario.yaml:7: steps[0].expect: one action per step (this step has wait and expect): split it in two',
      'scenario.yaml:8: steps[1].fault.type: unknown fault "meteor-strike" (known: base-power-loss, handset-power-loss, site-network-loss, provisioning-server, firmware-missing, wrong-config-url, expired-codes, untrusted-public-ip, handset-out-of-range, sip-server)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems('name: x\nlab: {\nsteps: []\n')[0]).toMatch(/^scenario\.yaml:\d+: /);
  });

  it('reports JSON files with the JSON line', () => {
    const json = '{\n  "name": "x",\n  "lab": {},\n  "steps": [\n    { "wait": "soon" }\n  ]\n}\n';
    expect(problems(json, 'rollout.json')).toEqual(['rollout.json:5: steps[0].wait: "soon" is not a duration (e.g. 90s, 10m, 2h)']);
  });

  it('reads durations as the docs give them', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('10x')).toBeUndefined();
  });
});
