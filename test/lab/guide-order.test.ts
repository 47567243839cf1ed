/**
 * Seed 000 in its own order: the Teams ConfigURL first (three reboots), then the handset is registered, and the
 * technician goes straight on to the admin center and `*55*`. The base fetches the new handset's file shortly after it
 * subscribes (firmware profile `fetchOnNewSubscription`) and applies that first file without a reboot
 * (`rebootOnFirstHandsetFile: false`), so the guide's reboot count holds: three after ConfigURL, one at sign-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatHardwareId, hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { BaseFirmwareProfile } from '../../src/devices/base-station/firmware-profile.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';
import {
  addInAdminCenter,
  dialEnrollment,
  generateCodeInAdminCenter,
  pairingCodeOnHandset,
  signInOnDeviceLoginPage,
  TEAMS_EMEA,
} from './teams-steps.ts';

const ADELE = 'adele.vance@contoso.com';
const SECOND = 1000;

/** The reasons in the base's reboot log after `since`, oldest first (the web admin's Home/Status list, newest first). */
function rebootsSince(base: BaseStation, since: number): string[] {
  return base.status().rebootLog.filter((e) => e.at >= since && e.kind === 'reboot').map((e) => e.reason).reverse();
}

async function labWithTeamsConfigUrl(
  profileOverrides: Partial<BaseFirmwareProfile> = {},
): Promise<{ lab: Lab; base: BaseStation; handset: Handset; other: Handset; since: number }> {
  const lab = await openTestLab({ profileOverrides });
  const base = lab.addBase({ model: 'B2', firmware: '8.0.3.0009' });
  const handset = lab.addHandset({ model: 'Rove 30', firmware: '8.0.3.0009' });
  const other = lab.addHandset({ model: 'Rove 30', firmware: '8.0.3.0009' });
  await waitForBootedLab(lab, base, handset, other);
  const since = lab.clock.now();
  // Auto Provisioning → ITSP Provisioning, the guide's values.
  base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_EMEA });
  // Until Home/Status says the configuration is applied (after the third reboot's fetch).
  const done = await lab.clock.advanceUntil(
    () => base.status().pendingProvisioningReboots === 0 && base.state === 'running' && base.status().provisioning.phase === 'applied',
    90 * MINUTE,
  );
  expect(done, 'the base did not finish its ConfigURL reboots').toBe(true);
  return { lab, base, handset, other, since };
}

describe('The guide in its own order: ConfigURL, then the handset is registered', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('three reboots after ConfigURL; the new handset gets its onboarding line within seconds, no reboot; *55* works; one reboot at sign-in', async () => {
    const world = await labWithTeamsConfigUrl();
    lab = world.lab;
    const { base, handset, other, since } = world;
    expect(rebootsSince(base, since)).toEqual([
      'ITSP provisioning: applying new provisioning settings (reboot 1 of 3)',
      'ITSP provisioning: applying new provisioning settings (reboot 2 of 3)',
      'ITSP provisioning: applying new provisioning settings (reboot 3 of 3)',
    ]);

    // Specific Handsets → Register, then Settings → Connectivity → Register on the handset.
    const registered = lab.clock.now();
    await registerHandset(lab, base, handset, 1);
    const hw = hardwareIdForIpei(handset.ipei);
    expect(base.status().provisioning.message).toMatch(/ITSP provisioning fetch for the new handset in \d+ s/);
    const onboarding = `onboarding-${hw.toLowerCase()}`;
    expect(await lab.clock.advanceUntil(() => handset.view().line?.extension === onboarding && handset.view().line?.state === 'OK', MINUTE)).toBe(true);
    expect(lab.clock.now() - registered).toBeLessThan(MINUTE);
    expect(rebootsSince(base, registered)).toEqual([]);

    // Teams admin center: Add 00+IPEI, Generate verification code; *55*<code> on the handset: three busy tones.
    const tac = await buildTeamsAdminCenter({ gateway: lab.teams });
    try {
      expect((await addInAdminCenter(tac, formatHardwareId(hw))).statusCode).toBe(303);
      const code = await generateCodeInAdminCenter(tac, hw);
      await dialEnrollment(lab, handset, code);
      expect(handset.view().tones.at(-1)?.tone).toBe('three-busy');
      expect(lab.teams.device(hw)?.list).toBe('Waiting for sign in');
      await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);

      // Sign in: the base reboots once, and the handset shows the user's number.
      const pairing = pairingCodeOnHandset(handset);
      const signIn = lab.clock.now();
      expect((await signInOnDeviceLoginPage(tac, pairing, ADELE)).statusCode).toBe(200);
      await lab.clock.advanceUntil(() => lab!.teams.device(hw)?.state === 'signedIn' && handset.view().line?.label === '+14255550101' && handset.state === 'in-service', 30 * MINUTE);
      await lab.clock.advance(2 * 60 * MINUTE);
      expect(rebootsSince(base, signIn)).toEqual(['ITSP provisioning: new configuration']);

      // A second handset registered after the first signed in: its own onboarding line, and the signed-in one stays up.
      const secondAt = lab.clock.now();
      await registerHandset(lab, base, other, 2);
      await lab.clock.advanceUntil(() => other.view().line?.state === 'OK' && other.view().line?.extension.startsWith('onboarding-') === true, MINUTE);
      expect(other.view().line?.extension).toBe(`onboarding-${hardwareIdForIpei(other.ipei).toLowerCase()}`);
      expect(rebootsSince(base, secondAt)).toEqual([]);
      expect(handset.state).toBe('in-service');
      expect(handset.view().line?.label).toBe('+14255550101');
    } finally {
      await tac.close();
    }
  });

  it('*55* dialled before the base has fetched the new handset\'s file says why it cannot enroll yet', async () => {
    const world = await labWithTeamsConfigUrl();
    lab = world.lab;
    const { base, handset } = world;
    const tac = await buildTeamsAdminCenter({ gateway: lab.teams });
    try {
      // Added in the admin center before the base has ever fetched the handset's file: the list says so.
      expect((await addInAdminCenter(tac, formatHardwareId(hardwareIdForIpei(handset.ipei)))).statusCode).toBe(303);
      expect((await tac.inject('/devices/provision?tab=activation')).body).toContain('Not yet seen: the device has not fetched its provisioning file');
      await registerHandset(lab, base, handset, 1);
      expect(handset.view().line).toBeNull();
      handset.press('*55*123456{green}');
      expect(screen(handset).join(' ')).toMatch(/No line.*No Teams line yet: the base has not applied/);
      handset.press('{red}');
      await lab.clock.advanceUntil(() => handset.view().line?.state === 'OK', MINUTE);
      expect((await tac.inject('/devices/provision?tab=activation')).body).not.toContain('Not yet seen');
    } finally {
      await tac.close();
    }
  });

  it('a profile whose firmware reboots for a new handset\'s first file reboots on registration (rebootOnFirstHandsetFile)', async () => {
    const world = await labWithTeamsConfigUrl({ rebootOnFirstHandsetFile: true });
    lab = world.lab;
    const { base, handset } = world;
    const registered = lab.clock.now();
    await registerHandset(lab, base, handset, 1);
    await lab.clock.advance(2 * MINUTE + 30 * SECOND);
    expect(rebootsSince(base, registered)).toEqual(['ITSP provisioning: new configuration']);
  });
});
