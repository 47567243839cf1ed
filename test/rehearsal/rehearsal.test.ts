/**
 * A rehearsal is a story with known answers: one B4 and two handsets switched to the Teams ConfigURL reboot three
 * times, each reboot takes both handsets off the air for the same known time, and the same seed gives the same
 * report, event for event.
 */
import { describe, expect, it } from 'vitest';
import { rehearse, runScenario } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const SMALL = `name: Known answers
seed: 3
lab:
  bases:
    - id: b1
      model: B4
      handsets: { count: 2, model: Rove 30 }
steps:
  - waitUntil: { base: b1, state: running }
    timeout: 10m
  - register: { handsets: "b1/*" }
  - settings:
      bases: b1
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg
  - waitUntil: { base: b1, state: running, pendingProvisioningReboots: 0 }
    timeout: 1h
  - wait: 10m
  - expect:
      - { base: b1, rebootsFor: { reason: applying new provisioning settings, count: 3 } }
      - { handset: "b1/*", state: in-service }
      - { teams: "b1/*", line: onboarding }
`;

describe('Rehearsing a small scenario', () => {
  it('passes and reports the totals the profile implies', async () => {
    const { report, failures } = await runScenario(parseScenario(SMALL));
    expect(failures).toEqual([]);
    expect(report.verdict).toBe('passed');
    expect(report.totals.rebootsByCause).toEqual({ 'ITSP provisioning: applying new provisioning settings (ConfigURL changed)': 3 });
    // Each reboot: 5 s shutdown + 90 s boot without a base, then 3 s location registration = 98 s per handset.
    expect(report.totals.handsetMinutesWithoutService).toBe(9.8);
    expect(report.devices.filter((d) => d.kind === 'handset').map((d) => d.minutesWithoutService)).toEqual([4.9, 4.9]);
    const b1 = report.timeline['b1']!;
    expect(b1.filter((s) => s.state === 'rebooting').map((s) => s.reason)).toEqual([
      'ITSP provisioning: applying new provisioning settings (reboot 1 of 3)',
      'ITSP provisioning: applying new provisioning settings (reboot 2 of 3)',
      'ITSP provisioning: applying new provisioning settings (reboot 3 of 3)',
    ]);
  });

  it('gives the same report and events for the same seed, other IPEIs for another seed', async () => {
    const scenario = parseScenario(SMALL);
    const a = await runScenario(scenario);
    const b = await runScenario(scenario);
    expect(b.report).toEqual(a.report);
    expect(b.events).toEqual(a.events);
    const c = await runScenario(scenario, { seed: 4 });
    expect(c.report.devices.map((d) => d.id)).not.toEqual(a.report.devices.map((d) => d.id));
  });

  it('runs the comparison beside the main run (worker thread) with the same results as one after the other', async () => {
    const scenario = parseScenario(`${SMALL}compare: { label: no reboot, profile: no-reboot-on-sign-in }\n`);
    const beside = await rehearse(scenario, { parallel: true });
    const after = await rehearse(scenario, { parallel: false });
    expect(beside.comparison?.report.variant).toBe('no reboot');
    expect(beside.main.report).toEqual(after.main.report);
    expect(beside.comparison!.report).toEqual(after.comparison!.report);
    expect(beside.comparison!.events).toEqual(after.comparison!.events);
  });

  it('says so when the comparison run cannot run, instead of a report without it', async () => {
    const scenario = parseScenario(SMALL);
    // A profile that does not exist is refused when the comparison's lab is built, in the worker.
    await expect(rehearse(scenario, { parallel: true, compare: { label: 'broken', profile: 'no-such-profile' } })).rejects.toThrow(/comparison run failed: .*no-such-profile/s);
  });

    it('lists what failed, with the step, the expectation and what was found', async () => {
    const failing = parseScenario(SMALL.replace('count: 3 }', 'count: 2 }'));
    const { report, failures } = await runScenario(failing);
    expect(report.verdict).toBe('failed');
    expect(failures).toEqual([
      {
        step: 6,
        name: '6. expect',
        expectation: 'base b1: reboots for "applying new provisioning settings" 2',
        actual: '0 of 1 match; b1: reboots for "applying new provisioning settings" 3',
      },
    ]);
  });
});
