/** The scenarios shipped in fixtures/scenarios pass (the full-scale one: full-scale-rollout.test.ts). */
import { describe, expect, it } from 'vitest';
import { rehearse } from '../../src/rehearsal/runner.ts';
import { loadScenarioFile } from '../../src/rehearsal/scenario-loader.ts';

describe('Shipped scenarios', () => {
  it("the guide's single-handset rollout passes: five reboots, the last one after sign-in", async () => {
    const { main } = await rehearse(loadScenarioFile('fixtures/scenarios/guide-single-handset.yaml'));
    expect(main.failures).toEqual([]);
    expect(main.report.totals.rebootsByCause).toEqual({
      'Firmware update': 1,
      'ITSP provisioning: applying new provisioning settings (ConfigURL changed)': 3,
      'ITSP provisioning: new configuration (sign-in, policy)': 1,
    });
    expect(main.report.totals.handsetsSignedIn).toBe(1);
  });

  it('the reboot-on-sign-in reproduction passes with and without the behaviour', { timeout: 180_000 }, async () => {
    const { main, comparison } = await rehearse(loadScenarioFile('fixtures/scenarios/reboot-on-sign-in-b4-30.yaml'));
    expect(main.failures).toEqual([]);
    expect(comparison?.failures).toEqual([]);
    expect(main.report.totals.rebootsByCause['ITSP provisioning: new configuration (sign-in, policy)']).toBe(30);
    expect(comparison?.report.totals.rebootsByCause['ITSP provisioning: new configuration (sign-in, policy)']).toBeUndefined();
    expect(main.report.totals.handsetMinutesWithoutService).toBeGreaterThan(comparison!.report.totals.handsetMinutesWithoutService);
  });

  it('the 3-site company pair passes: bulk sign-in grouped per base reboots each base twice, in file order three times', { timeout: 180_000 }, async () => {
    const { main, comparison } = await rehearse(loadScenarioFile('fixtures/scenarios/company-3-sites-file-order.yaml'));
    expect(main.failures).toEqual([]);
    expect(comparison?.failures).toEqual([]);
    expect(comparison?.report.scenario).toBe('Company of 3 sites, bulk sign-in grouped per base');
    const signInReboots = (r: typeof main) => r.report.totals.rebootsByCause['ITSP provisioning: new configuration (sign-in, policy)'];
    expect(signInReboots(main)).toBe(36);
    expect(signInReboots(comparison!)).toBe(24);
    expect(main.report.totals.handsetsSignedIn).toBe(80);
    expect(comparison!.report.totals.handsetsSignedIn).toBe(80);
  });
});
