/**
 * A scenario that names something its lab will not have is refused when it is loaded, before anything runs, with
 * the line and the nearest known name: a technician fixes the typo instead of waiting out a timeout.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../src/rehearsal/scenario-loader.ts';

function problems(text: string): string[] {
  try {
    parseScenario(text, 'rollout.yaml');
  } catch (err) {
    if (err instanceof ScenarioError) return err.message.split('\n');
    throw err;
  }
  throw new Error('the scenario was accepted');
}

const ROLLOUT = `name: Head office
lab:
  sites:
    - { id: hq, publicIp: 203.0.113.10 }
    - { id: warehouse, publicIp: 198.51.100.20 }
  bases:
    - id: hq-b01
      model: B4
      site: hq
      handsets:
        - { id: reception, model: Rove 30 }
        - { model: Rove 40 }
    - { id: wh-b01, model: B4, site: warehouse, handsets: { count: 1 } }
steps:
  - settings:
      bases: "*"
      values:
        firmwareServer: http://downloads.polycom.com
        firmwareMethod: Periodically
  - waitUntil: { base: hq-b01, state: running }
    timeout: 10m
  - register: { handsets: ["hq-b01/*", reception] }
  - fault: { type: site-network-loss, site: warehouse, duration: 5m }
  - expect: { handset: "wh-b01/1", state: in-service }
`;

describe('Names a scenario uses, checked at load', () => {
  it('accepts a scenario whose every name resolves', () => {
    expect(parseScenario(ROLLOUT, 'rollout.yaml').steps).toHaveLength(5);
  });

  it('refuses an unknown base in a step selector, with its line and the base meant', () => {
    expect(problems(ROLLOUT.replace('{ base: hq-b01, state', '{ base: hq-b1, state'))).toEqual([
      'rollout.yaml:20: steps[1].waitUntil.base (step 2): no base "hq-b1" in the lab (did you mean "hq-b01"?)',
    ]);
  });

  it('refuses unknown handsets and sites, item by item in a list', () => {
    expect(problems(ROLLOUT.replace('["hq-b01/*", reception]', '["hq-b10/*", recepton, "wh-b01/2", "site:warehose"]'))).toEqual([
      'rollout.yaml:22: steps[2].register.handsets[0] (step 3): no base "hq-b10" in the lab (did you mean "hq-b01"?)',
      'rollout.yaml:22: steps[2].register.handsets[1] (step 3): no handset "recepton" in the lab (did you mean "reception"?)',
      'rollout.yaml:22: steps[2].register.handsets[2] (step 3): no handset "wh-b01/2" in the lab (base "wh-b01" has 1 handset)',
      'rollout.yaml:22: steps[2].register.handsets[3] (step 3): no site "warehose" in the lab (did you mean "warehouse"?)',
    ]);
  });

  it('refuses a misspelt state in waitUntil instead of waiting out its timeout', () => {
    expect(problems(ROLLOUT.replace('state: running }', 'state: runing }'))).toEqual([
      'rollout.yaml:20: steps[1].waitUntil.state (step 2): "runing" is not a base state (did you mean "running"?) (off, booting, running, rebooting)',
    ]);
    expect(problems(ROLLOUT.replace('state: in-service', 'state: inservice'))).toEqual([
      'rollout.yaml:24: steps[4].expect.state (step 5): "inservice" is not a handset state (did you mean "in-service"?) (off, starting, stopping, installing-firmware, unregistered, searching, out-of-range, in-service)',
    ]);
  });

  it('refuses a misspelt setting key, naming the key and the parameter meant', () => {
    expect(problems(ROLLOUT.replace('firmwareServer:', 'firmwareServr:'))).toEqual([
      'rollout.yaml:18: steps[0].settings.values.firmwareServr (step 1): "firmwareServr" is not a setting of the base (did you mean "firmwareServer"?)',
    ]);
  });

  it('refuses an unknown fault target and a misspelt fault type', () => {
    expect(problems(ROLLOUT.replace('site: warehouse, duration', 'site: wharehouse, duration'))).toEqual([
      'rollout.yaml:23: steps[3].fault.site (step 4): no site "wharehouse" in the lab (did you mean "warehouse"?)',
    ]);
    expect(problems(ROLLOUT.replace('site-network-loss, site: warehouse', 'base-power-los, bases: [wh-b1]'))).toEqual([
      'rollout.yaml:23: steps[3].fault.bases[0] (step 4): no base "wh-b1" in the lab (did you mean "wh-b01"?)',
      'rollout.yaml:23: steps[3].fault.type (step 4): unknown fault "base-power-los" (did you mean "base-power-loss"?) (known: base-power-loss, handset-power-loss, site-network-loss, provisioning-server, firmware-missing, wrong-config-url, expired-codes, untrusted-public-ip, handset-out-of-range, sip-server)',
    ]);
  });

  // A key the condition's kind does not check was ignored, and the condition passed on what was left.
  describe('every condition key and value, by the kind of device it names', () => {
    it('handset: a base key (firmwareUpdate) is refused instead of passing on the state alone; screens are checked', () => {
      expect(problems(ROLLOUT.replace('state: in-service }', 'state: in-service, firmwareUpdate: downloding }'))).toEqual([
        'rollout.yaml:24: steps[4].expect.firmwareUpdate (step 5): "firmwareUpdate" is not a condition on a handset; it is a condition on a base (handset conditions: count, state, firmware, registered, lineState, lineReason, cell, screen, display)',
      ]);
      expect(problems(ROLLOUT.replace('state: in-service }', 'screen: idel, lineStat: OK }'))).toEqual([
        'rollout.yaml:24: steps[4].expect.lineStat (step 5): "lineStat" is not a condition on a handset (did you mean "lineState"?) (handset conditions: count, state, firmware, registered, lineState, lineReason, cell, screen, display)',
        'rollout.yaml:24: steps[4].expect.screen (step 5): "idel" is not a handset\'s screen (did you mean "idle"?) (idle, menu, scanning, choosing-base, entering-code, registering, confirm-deregister, deregistering, info, dialling, directory, call, notice)',
      ]);
    });

    it('base: a handset key (lineState) and an unknown error code are refused', () => {
      expect(problems(ROLLOUT.replace('{ base: hq-b01, state: running }', '{ base: hq-b01, lineState: OK, errorCode: PRV03 }'))).toEqual([
        'rollout.yaml:20: steps[1].waitUntil.errorCode (step 2): "PRV03" is not a base\'s error code (did you mean "PRV-03"?) (FWU-01, FWU-02, FWU-03, FWU-04, FWU-05, FWU-06, FWU-07, PRV-01, PRV-02, PRV-03, PRV-04, PRV-05, none)',
        'rollout.yaml:20: steps[1].waitUntil.lineState (step 2): "lineState" is not a condition on a base; it is a condition on a handset (base conditions: count, state, firmware, reboots, rebootsFor, firmwareUpdate, provisioning, errorCode, pendingProvisioningReboots, handsetsRegistered, dectSync, chainLevel)',
      ]);
    });

    it('Teams device: a handset key (state) and a misspelt line are refused', () => {
      expect(problems(ROLLOUT.replace('{ handset: "wh-b01/1", state: in-service }', '{ teams: "wh-b01/1", state: in-service, line: signed-inn }'))).toEqual([
        'rollout.yaml:24: steps[4].expect.line (step 5): "signed-inn" is not a Teams line state (did you mean "signed-in"?) (onboarding, waiting-for-sign-in, signed-in, none)',
        'rollout.yaml:24: steps[4].expect.state (step 5): "state" is not a condition on a Teams device; it is a condition on a base or a handset (teams conditions: count, list, userStatus, line)',
      ]);
    });

    it('bulk sign-in: a key beside bulkSignIn is refused', () => {
      expect(problems(ROLLOUT.replace('{ handset: "wh-b01/1", state: in-service }', '{ bulkSignIn: { failed: 0 }, count: 1 }'))).toEqual([
        'rollout.yaml:24: steps[4].expect.count (step 5): "count" is not a condition on bulk sign-in; it is a condition on a base, a handset or a Teams device (bulkSignIn takes no other key)',
      ]);
    });

    it('a condition naming no device, or two kinds at once, is refused', () => {
      expect(problems(ROLLOUT.replace('{ handset: "wh-b01/1", state: in-service }', '{ state: in-service }'))).toEqual([
        'rollout.yaml:24: steps[4].expect (step 5): a condition names what it checks: base, handset, teams or bulkSignIn (e.g. { base: "*", state: running })',
      ]);
      expect(problems(ROLLOUT.replace('{ handset: "wh-b01/1", state: in-service }', '{ base: wh-b01, handset: "wh-b01/1", state: in-service }'))).toEqual([
        'rollout.yaml:24: steps[4].expect.handset (step 5): one kind of device per condition (this one has base and handset): write one condition each',
      ]);
    });
  });

  it('knows the names of a generated lab (b001 …, site-01 …)', () => {
    const generated = `name: Generated
lab:
  generate: { bases: 12, handsetsPerBase: 2, sites: 3 }
steps:
  - expect: [{ base: "site:site-03", state: running }, { handset: "b012/2", state: in-service }]
  - expect: { base: b12, state: running }
`;
    expect(problems(generated)).toEqual(['rollout.yaml:6: steps[1].expect.base (step 2): no base "b12" in the lab (did you mean "b012"?)']);
  });

  it('still loads every shipped scenario', () => {
    for (const file of readdirSync('fixtures/scenarios')) expect(() => loadScenarioFile(`fixtures/scenarios/${file}`), file).not.toThrow();
  });
});
