/**
 * The guide from "Provisioning the device in the Teams Admin Center" to the end, on the lab clock, through the handset
 * keypad and its SIP line to the emulated Teams SIP gateway: add 00+IPEI, generate a code, *55*<code> → three busy
 * tones → Sign in, sign in a user with the pairing code → the base reboots once → the handset shows the number.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { hardwareIdForIpei } from '../../src/teams-gateway/hardware-id.ts';
import { registerHandset, screen, waitForBootedLab } from '../handset/steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';

const TEAMS_EMEA = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';

async function teamsReadyLab(firmware = '8.0.3.0009') {
  const lab = await openTestLab();
  const base = lab.addBase({ model: 'B2', firmware });
  const handset = lab.addHandset({ model: 'Rove 30', firmware });
  await waitForBootedLab(lab, base, handset);
  await registerHandset(lab, base, handset, 1);
  base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_EMEA });
  await lab.clock.advanceUntil(
    () => base.status().pendingProvisioningReboots === 0 && base.state === 'running' && handset.view().line !== null && handset.view().line?.state !== 'Registering' && handset.view().screen === 'idle' && handset.state === 'in-service',
    90 * MINUTE,
  );
  return { lab, base, handset, hw: hardwareIdForIpei(handset.ipei) };
}

describe('Teams on a Rove handset, end to end', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('*55*<code> → three busy tones → Sign in; pairing code → signed in → one reboot → the phone number', async () => {
    const world = await teamsReadyLab();
    lab = world.lab;
    const { base, handset, hw } = world;
    expect(handset.view().line).toMatchObject({ extension: `onboarding-${hw.toLowerCase()}`, state: 'OK', identity: `onboarding-${hw.toLowerCase()}@emea.sip.sdg.teams.microsoft.com` });
    expect(lab.teams.addDevices([{ macAddress: hw, location: 'Head office' }], 'api').ok).toBe(true);
    const code = lab.teams.generateVerificationCode(hw).code;

    handset.press(`*55*${code}{green}`);
    await lab.clock.advanceUntil(() => handset.view().tones.some((t) => t.tone === 'three-busy'), MINUTE);
    expect(screen(handset)).toContain('Sign in');
    expect(lab.teams.device(hw)?.state).toBe('enrolled');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    expect(handset.view().display.at(-1)).toMatch(/Sign in$/);

    handset.press('{soft2}');
    const pairing = screen(handset).find((l) => l.startsWith('Code: '))?.slice(6);
    expect(screen(handset)).toEqual(expect.arrayContaining(['Sign in', 'microsoft.com/', 'devicelogin']));
    expect(pairing).toMatch(/^[A-Z0-9]{9}$/);

    const rebootsBefore = base.status().reboots;
    expect(lab.teams.signIn(pairing!.toLowerCase(), 'adele.vance@contoso.com').ok).toBe(true);
    await lab.clock.advanceUntil(() => base.status().reboots > rebootsBefore, 10 * MINUTE);
    expect(handset.state).toBe('searching');
    await lab.clock.advanceUntil(() => handset.record.line === '+14255550101' && handset.view().line?.state === 'OK' && handset.state === 'in-service', 10 * MINUTE);
    expect(base.status().reboots - rebootsBefore).toBe(1);
    expect(screen(handset)).toContain('+14255550101');
    expect(lab.teams.device(hw)?.state).toBe('signedIn');

    // Sign-out from the handset: back to Sign in.
    handset.press('{soft2}{soft1}');
    expect(lab.teams.device(hw)?.state).toBe('signedOut');
  });

  it('refusals: a wrong code, and a handset below 8.0.3', async () => {
    const world = await teamsReadyLab();
    lab = world.lab;
    const { handset, hw } = world;
    lab.teams.addDevices([{ macAddress: hw, location: 'Head office' }], 'api');
    lab.teams.generateVerificationCode(hw);
    handset.press('*55*000000{green}');
    await lab.clock.advanceUntil(() => handset.view().call?.state === 'ended', MINUTE);
    expect(screen(handset)).toContain('Enrollment failed');
    expect(handset.view().tones.at(-1)?.tone).toBe('error');
    expect(lab.teams.device(hw)?.state).toBe('provisioned');
  });

  it('a base below 8.0.3: the gateway refuses its line, saying why', async () => {
    const world = await teamsReadyLab('8.0.0.0402');
    lab = world.lab;
    expect(world.handset.view().line).toMatchObject({ state: 'Error' });
    expect(world.handset.view().line?.reason).toContain('not supported: Teams needs 8.0.3 or later');
  });
});
