/**
 * What a technician sees when the guide's Teams steps go wrong, each through the handset's line or the admin center /
 * device login page as in the field: an expired (24 h on the lab clock), wrong or already used verification code, the
 * base MAC instead of 00+IPEI, handset or base firmware below 8.0.3, a user the gateway refuses at sign-in, and a
 * device enrolled via EMEA that the NOAM gateway does not know.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatHardwareId } from '../../src/cloud/teams/devices/hardware-id.ts';
import { screen } from '../devices/handset/steps.ts';
import { HOUR, MINUTE } from '../support/lab.ts';
import {
  addInAdminCenter,
  dialEnrollment,
  enrollThroughAdminCenter,
  generateCodeInAdminCenter,
  pairingCodeOnHandset,
  settled,
  signInOnDeviceLoginPage,
  TEAMS_NOAM,
  teamsReadyLab,
  type TeamsWorld,
} from './teams-steps.ts';

/** The enrollment answer as the handset shows it, in one string (the notice wraps the reason over lines). */
const shown = (world: TeamsWorld) => screen(world.handset).join(' ');

describe('Teams refusals, as the technician sees them', () => {
  let world: TeamsWorld | undefined;
  afterEach(async () => {
    await world?.tac.close();
    await world?.lab.close();
    world = undefined;
  });

  it('*55* with a code older than 24 hours: error tone, "Enrollment failed", the code has expired; still Waiting on activation', async () => {
    world = await teamsReadyLab();
    const { lab, tac, handset, hw } = world;
    await addInAdminCenter(tac, formatHardwareId(hw));
    const code = await generateCodeInAdminCenter(tac, hw);
    await lab.clock.advance(24 * HOUR);
    expect((await tac.inject('/devices/provision?tab=activation')).body).toContain('Expired');
    await lab.clock.advanceUntil(settled(world.base, handset), 10 * MINUTE);
    await dialEnrollment(lab, handset, code);
    expect(handset.view().tones.at(-1)?.tone).toBe('error');
    expect(shown(world)).toContain('Enrollment failed');
    expect(shown(world)).toContain('code has expired');
    expect(lab.teams.device(hw)?.list).toBe('Waiting on activation');
    // The whole reason can be read: it scrolls with down (▼ says there is more) and stays until a key.
    const firstPage = screen(handset);
    expect(firstPage.at(-1)).toContain('▼');
    await lab.clock.advance(MINUTE);
    expect(screen(handset)).toEqual(firstPage);
    handset.press('{down}{down}{down}');
    const lastPage = screen(handset).join(' ');
    expect(lastPage).toContain('Generate a new');
    expect(screen(handset).at(-1)).toContain('▲');
    handset.press('{ok}');
    expect(screen(handset).join(' ')).not.toContain('Enrollment failed');
  });

  it('*55* with a wrong code, then the right one, then the same code again (already used)', async () => {
    world = await teamsReadyLab();
    const { lab, tac, handset, hw } = world;
    await addInAdminCenter(tac, formatHardwareId(hw));
    const code = await generateCodeInAdminCenter(tac, hw);
    const wrong = code === '000000' ? '111111' : '000000';
    await dialEnrollment(lab, handset, wrong);
    expect(handset.view().tones.at(-1)?.tone).toBe('error');
    expect(shown(world)).toContain('Enrollment failed');
    expect(shown(world)).toContain('The verification code is not valid');
    expect(lab.teams.device(hw)?.state).toBe('provisioned');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);

    await dialEnrollment(lab, handset, code);
    expect(handset.view().tones.at(-1)?.tone).toBe('three-busy');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);

    await dialEnrollment(lab, handset, code);
    expect(handset.view().tones.at(-1)?.tone).toBe('error');
    expect(shown(world)).toContain('already been used');
    expect(lab.teams.device(hw)?.state).toBe('enrolled');
  });

  it('the base MAC instead of 00+IPEI in the admin center: refused with the hint, nothing added', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base } = world;
    const res = await addInAdminCenter(tac, formatHardwareId(base.mac));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('is the MAC address of a Rove base station in this lab.');
    expect(res.body).toContain('IPEI');
    expect(lab.teams.devices()).toEqual([]);
  });

  it('a handset below 8.0.3 on an 8.0.3 base: its line is refused, saying why, and *55* cannot be dialled', async () => {
    world = await teamsReadyLab({ handsetFirmware: '8.0.0.0402' });
    const { lab, tac, handset, other, hw } = world;
    expect(handset.view().line).toMatchObject({ state: 'Error' });
    expect(handset.view().line?.reason).toContain('Handset firmware 8.0.0.0402 not supported: Teams needs 8.0.3 or later');
    expect(screen(handset).join(' ')).toContain('Line error');
    expect(other.view().line).toMatchObject({ state: 'OK' });
    await addInAdminCenter(tac, formatHardwareId(hw));
    const code = await generateCodeInAdminCenter(tac, hw);
    const since = lab.clock.now();
    handset.press(`*55*${code}{green}`);
    await lab.clock.advanceUntil(() => handset.view().tones.some((t) => t.tone === 'error' && t.at >= since), MINUTE);
    expect(shown(world)).toContain('Line not registered');
    expect(lab.teams.device(hw)?.list).toBe('Waiting on activation');
  });

  it('a base below 8.0.3: the gateway refuses its lines, saying why', async () => {
    world = await teamsReadyLab({ firmware: '8.0.0.0402' });
    expect(world.handset.view().line).toMatchObject({ state: 'Error' });
    expect(world.handset.view().line?.reason).toContain('Base firmware 8.0.0.0402 not supported: Teams needs 8.0.3 or later');
  });

  it('sign-in on the device login page of a user without a number, without the SIP devices policy, without a licence: the reason is shown, the handset stays at Sign in', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base, handset, hw } = world;
    await enrollThroughAdminCenter(world);
    // The base takes the enrollment's changed file (Waiting for sign in) at its next hourly fetch, with a reboot
    // (docs/fidelity.md, "File per state"); past that, only a sign-in would change the file again.
    const enrolledFile = () => Object.values(base.flash.provisioning.applied[handset.ipei] ?? {}).includes('waiting-for-sign-in');
    await lab.clock.advanceUntil(() => enrolledFile() && settled(base, handset)(), 2 * HOUR);
    const cases: Array<[string, string]> = [
      ['johanna.lorenz@contoso.com', 'User missing phone number assignment.'],
      ['joni.sherman@contoso.com', 'User missing AllowSIPDevicesCalling policy assignment'],
      ['lidia.holloway@contoso.com', 'User has no licence.'],
    ];
    const rebootsBefore = base.status().reboots;
    for (const [upn, message] of cases) {
      const pairing = pairingCodeOnHandset(handset);
      const res = await signInOnDeviceLoginPage(tac, pairing, upn);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(`${upn} cannot be signed in to a SIP device.`);
      expect(res.body).toContain(message);
      expect(res.body).toContain('The device was not signed in.');
      handset.press('{soft2}'); // Back from the pairing screen
      expect(handset.view().screen).toBe('idle');
    }
    await lab.clock.advance(10 * MINUTE);
    expect(base.status().reboots).toBe(rebootsBefore);
    expect(lab.teams.device(hw)?.state).toBe('enrolled');
    expect(handset.view().display.at(-1)).toMatch(/Sign in$/);
  });

  it('a device enrolled via EMEA, its base then pointed at the NOAM ConfigURL: NOAM does not know it', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base, handset, hw } = world;
    const code = await enrollThroughAdminCenter(world);
    expect(lab.teams.device(hw)?.region).toBe('EMEA');

    base.updateSettings({ configUrl: TEAMS_NOAM });
    await lab.clock.advanceUntil(settled(base, handset), 90 * MINUTE);
    expect(handset.view().line).toMatchObject({ state: 'OK', identity: `onboarding-${hw.toLowerCase()}@noam.sip.sdg.teams.microsoft.com` });
    // No Sign in on the idle screen: the NOAM gateway has the device as unknown (onboarding).
    expect(handset.view().teams).toBe('onboarding');
    expect(handset.view().display.at(-1)).not.toMatch(/Sign in$/);

    await dialEnrollment(lab, handset, code);
    expect(handset.view().tones.at(-1)?.tone).toBe('error');
    expect(shown(world)).toContain('Device not found in records.');
    const page = await tac.inject(`/devices/sip/${hw}`);
    expect(page.body).toContain('EMEA');
    expect(await tac.inject('/devices/provision?tab=signin').then((r) => r.body)).toContain(formatHardwareId(hw));
  });
});
