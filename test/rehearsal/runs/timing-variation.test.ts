/**
 * The timings of a run of `rehearse --runs`: each varied duration within ± the profile's spread of the value the run's
 * lab would have, the same for the same seed, none when the scenario sets the spread to 0.
 */
import { describe, expect, it } from 'vitest';
import { ROVE_8_0_PROFILE } from '../../../src/devices/base-station/firmware-profile.ts';
import { ROVE_HANDSET_8_0_PROFILE } from '../../../src/devices/handset/handset-profile.ts';
import { drawTimings, timingSeed, VARIED_BASE_TIMINGS, VARIED_HANDSET_TIMINGS } from '../../../src/rehearsal/runs/timing-variation.ts';
import type { Scenario } from '../../../src/rehearsal/scenario-types.ts';

const scenario: Scenario = { name: 'x', lab: {}, steps: [], profileOverrides: { bootMs: 60_000 } };

describe('Timings drawn for a run', () => {
  it('lie within ±20 % of the values the run would have, overrides and variant included', () => {
    for (let run = 2; run <= 40; run++) {
      const d = drawTimings(scenario, { profile: 'no-reboot-on-sign-in', profileOverrides: { firmwareInstallMs: 200_000 } }, timingSeed(7, run));
      const base = { ...ROVE_8_0_PROFILE, bootMs: 60_000, firmwareInstallMs: 200_000 };
      for (const key of VARIED_BASE_TIMINGS) {
        expect(d.base[key]).toBeGreaterThanOrEqual(Math.floor(base[key] * 0.8));
        expect(d.base[key]).toBeLessThanOrEqual(Math.ceil(base[key] * 1.2));
      }
      for (const key of VARIED_HANDSET_TIMINGS) {
        expect(Math.abs(d.handset[key]! - ROVE_HANDSET_8_0_PROFILE[key])).toBeLessThanOrEqual(Math.ceil(ROVE_HANDSET_8_0_PROFILE[key] * 0.2));
      }
      expect(d.userPace).toBeGreaterThanOrEqual(0.8);
      expect(d.userPace).toBeLessThanOrEqual(1.2);
    }
  });

  it('are the same for the same seed and differ from run to run', () => {
    expect(drawTimings(scenario, undefined, timingSeed(7, 2))).toEqual(drawTimings(scenario, undefined, timingSeed(7, 2)));
    expect(drawTimings(scenario, undefined, timingSeed(7, 3)).base).not.toEqual(drawTimings(scenario, undefined, timingSeed(7, 2)).base);
    expect(timingSeed(8, 2)).not.toBe(timingSeed(7, 2));
  });

  it('do not vary when the scenario sets the spread to 0', () => {
    const d = drawTimings({ ...scenario, profileOverrides: { timingSpread: 0 }, handsetProfileOverrides: { timingSpread: 0 }, teamsProfile: { timingSpread: 0 } }, undefined, 12345);
    expect(d.base.bootMs).toBe(ROVE_8_0_PROFILE.bootMs);
    expect(d.handset.otaTransferMs).toBe(ROVE_HANDSET_8_0_PROFILE.otaTransferMs);
    expect(d.teams.bulkRowProcessingMs).toBe(2_000);
  });
});
