/**
 * The shipped full-scale rollout (254 Rove B4, 1,000 handsets, firmware, registration, over the air, ITSP
 * provisioning, admin center, 10 bulk batches with planted mistakes) passes, with and without the reboot-on-sign-in
 * behaviour, and the comparison shows what the behaviour costs. About two minutes of CPU: its own file so that
 * vitest runs it beside the others.
 */
import { describe, expect, it } from 'vitest';
import { rehearse } from '../../src/rehearsal/runner.ts';
import { loadScenarioFile } from '../../src/rehearsal/scenario-loader.ts';

const SIGN_IN_REBOOT = 'ITSP provisioning: new configuration (sign-in, policy)';

describe('The full-scale rollout scenario', () => {
  it('passes with and without reboot-on-sign-in, and the comparison shows the reboots and the time without service they cost', { timeout: 900_000 }, async () => {
    const { main, comparison } = await rehearse(loadScenarioFile('fixtures/scenarios/full-scale-rollout.yaml'));
    expect(main.failures).toEqual([]);
    expect(comparison?.failures).toEqual([]);
    expect(main.report.totals.bases).toBe(254);
    expect(main.report.totals.handsets).toBe(1000);
    expect(main.report.totals.rebootsByCause[SIGN_IN_REBOOT]).toBeGreaterThanOrEqual(240);
    expect(comparison?.report.totals.rebootsByCause[SIGN_IN_REBOOT]).toBeUndefined();
    expect(main.report.totals.handsetMinutesWithoutService).toBeGreaterThan(comparison!.report.totals.handsetMinutesWithoutService);
  });
});
