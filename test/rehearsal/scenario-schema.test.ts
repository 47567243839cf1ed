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
    expect(problems(bad)).toEqual(['scenario.yaml:15: steps[2].wait (step 3): "10x" is not a duration (e.g. 90s, 10m, 2h)']);
  });

  it('names the line of an unknown key, a missing field and a wrong model', () => {
    const bad = GOOD.replace('      site: hq\n', '      sight: hq\n').replace('model: B4', 'model: B5').replace('  - { id: hq, publicIp: 203.0.113.10 }', '  - { id: hq }');
    expect(problems(bad)).toEqual([
      'scenario.yaml:5: lab.sites[0]: missing "publicIp"',
      'scenario.yaml:8: lab.bases[0].model: "B5" must be one of "B2", "B4" (did you mean "B2"?)',
      'scenario.yaml:9: lab.bases[0].sight: unknown key "sight" (keys here: id, model, firmware, site, mac, powered, handsets)',
    ]);
  });

  it('names the value and the key meant: an enum value and an unknown key get "did you mean"', () => {
    const bad = GOOD.replace('  - wait: 1h30m\n', '  - fault: { type: base-power-loss, bases: b1, during: instal }\n  - waitUntill: { base: b1, state: running }\n').replace(
      '{ handset: "b1/*", state: in-service }',
      '{ handset: "b1/*", lineState: OKK, stat: in-service }',
    );
    expect(problems(bad)).toEqual([
      'scenario.yaml:15: steps[2].fault.during (step 3): "instal" must be one of "download", "install" (did you mean "install"?)',
      'scenario.yaml:16: steps[3].waitUntill (step 4): unknown key "waitUntill" (did you mean "waitUntil"?)',
      'scenario.yaml:18: steps[4].expect[0].lineState (step 5): "OKK" must be one of "OK", "Error", "Registering", "Idle", "Stopped", "none" (did you mean "OK"?)',
      'scenario.yaml:18: steps[4].expect[0].stat (step 5): "stat" is not a condition on a handset (did you mean "state"?) (handset conditions: count, state, firmware, registered, lineState, lineReason, cell, screen, display)',
    ]);
  });

  it('reports the names beside a missing key of the schema: the rest of the file is still read', () => {
    expect(problems(GOOD.replace('name: One base\n', '').replace('{ base: b1, state: running }', '{ base: b2, state: running }'))).toEqual([
      'scenario.yaml:1: missing "name"',
      'scenario.yaml:11: steps[0].waitUntil.base (step 1): no base "b2" in the lab (did you mean "b1"?)',
    ]);
  });

  it('reports the schema problems alone when the names cannot be checked on what the schema refused', () => {
    expect(problems(GOOD.replace('  - wait: 1h30m\n', '  - settings: { bases: b9 }\n'))).toEqual(['scenario.yaml:15: steps[2].settings (step 3): missing "values"']);
  });

  it('refuses a step with two actions, an unknown fault and a bad firmware version, each on its line, in one go', () => {
    const bad = `name: x
lab:
  bases:
    - { id: b1, model: B4, firmware: "8.0.3" }
steps:
  - wait: 10m
    expect: { base: b1, state: running }
  - fault: { type: meteor-strike }
`;
    // The schema's problem and the names' problems in the same list: one run of the loader shows them all.
    expect(problems(bad)).toEqual([
      'scenario.yaml:4: lab.bases[0].firmware: "8.0.3" is not a firmware version (e.g. 8.0.3.0009)',
      'scenario.yaml:7: steps[0].expect (step 1): one action per step (this step has wait and expect): split it in two',
      'scenario.yaml:8: steps[1].fault.type (step 2): unknown fault "meteor-strike" (known: base-power-loss, handset-power-loss, site-network-loss, provisioning-server, firmware-missing, wrong-config-url, expired-codes, untrusted-public-ip, handset-out-of-range, sip-server)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems('name: x\nlab: {\nsteps: []\n')[0]).toMatch(/^scenario\.yaml:\d+: /);
  });

  it('reports JSON files with the JSON line', () => {
    const json = '{\n  "name": "x",\n  "lab": {},\n  "steps": [\n    { "wait": "soon" }\n  ]\n}\n';
    expect(problems(json, 'rollout.json')).toEqual(['rollout.json:5: steps[0].wait (step 1): "soon" is not a duration (e.g. 90s, 10m, 2h)']);
  });

  it('reads durations as the docs give them', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('10x')).toBeUndefined();
  });
});
