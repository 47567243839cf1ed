/**
 * The guide from "Provisioning the device in the Teams Admin Center" to the end, on the lab clock: the Teams admin
 * center and the device login page through their Fastify app, the handset through its keypad and its SIP line to the
 * emulated Teams SIP gateway. Add 00+IPEI, generate a code, *55*<code> → three busy tones → Sign in, Sign in soft key →
 * URL + pairing code, the user signs in on the device login page → the base reboots once (every handset Searching, the
 * lines register again) → the handset shows the number. And the same with a firmware that does not reboot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatHardwareId } from '../../src/cloud/teams/devices/hardware-id.ts';
import { screen } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';
import {
  dialEnrollment,
  addInAdminCenter,
  generateCodeInAdminCenter,
  pairingCodeOnHandset,
  settled,
  signInOnDeviceLoginPage,
  teamsReadyLab,
  type TeamsWorld,
} from './teams-steps.ts';

const ADELE = 'adele.vance@contoso.com';
const ADELE_NUMBER = '+14255550101';

describe('Teams on a Rove handset, end to end (admin center, *55*, device login page)', () => {
  let world: TeamsWorld | undefined;
  afterEach(async () => {
    await world?.tac.close();
    await world?.lab.close();
    world = undefined;
  });

  it('add 00+IPEI, code, *55*<code> → three busy tones → Sign in; device login page → the base reboots once → the number', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base, handset, other, hw } = world;
    expect(handset.view().line).toMatchObject({ extension: `onboarding-${hw.toLowerCase()}`, state: 'OK', identity: `onboarding-${hw.toLowerCase()}@emea.sip.sdg.teams.microsoft.com` });

    // Teams devices → Provision devices → Add "00" + IPEI → Generate verification code.
    expect((await addInAdminCenter(tac, formatHardwareId(hw))).statusCode).toBe(303);
    expect(lab.teams.device(hw)?.list).toBe('Waiting on activation');
    const code = await generateCodeInAdminCenter(tac, hw);

    // *55*<code> on the handset: three busy tones, "Sign in"; the device moves to Waiting for sign in.
    await dialEnrollment(lab, handset, code);
    expect(handset.view().tones.at(-1)?.tone).toBe('three-busy');
    expect(screen(handset)).toContain('Sign in');
    expect(lab.teams.device(hw)?.list).toBe('Waiting for sign in');
    const waiting = await tac.inject('/devices/provision?tab=signin');
    expect(waiting.body).toContain(formatHardwareId(hw));
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    expect(handset.view().display.at(-1)).toMatch(/Sign in$/);

    // Sign in soft key: URL and pairing code.
    const pairing = pairingCodeOnHandset(handset);

    // The user signs in on the device login page.
    const rebootsBefore = base.status().reboots;
    const done = await signInOnDeviceLoginPage(tac, pairing, ADELE);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You have signed in to the Teams SIP devices gateway application on your device.');

    // check-sync → the base fetches the changed file and reboots: every handset on it goes Searching.
    await lab.clock.advanceUntil(() => base.status().reboots > rebootsBefore, 10 * MINUTE);
    expect(base.status().rebootLog[0]?.reason).toBe('ITSP provisioning: new configuration');
    expect([handset.state, other.state]).toEqual(['searching', 'searching']);
    await lab.clock.advanceUntil(() => settled(base, handset, other)() && handset.record.line === ADELE_NUMBER, 10 * MINUTE);
    expect(base.status().reboots - rebootsBefore).toBe(1);
    expect(handset.view().line).toMatchObject({ extension: ADELE_NUMBER, state: 'OK' });
    expect(other.view().line).toMatchObject({ state: 'OK' });
    expect(screen(handset)).toContain(ADELE_NUMBER);
    expect(lab.teams.device(hw)).toMatchObject({ state: 'signedIn', list: 'SIP devices' });

    // Nothing more happens: one reboot, not a loop.
    await lab.clock.advance(2 * 60 * MINUTE);
    expect(base.status().reboots - rebootsBefore).toBe(1);

    // Sign-out from the handset: back to Sign in.
    handset.press('{soft2}{soft1}');
    expect(lab.teams.device(hw)?.state).toBe('signedOut');
    await lab.clock.advanceUntil(() => settled(base, handset)() && handset.view().display.at(-1)?.endsWith('Sign in') === true, 10 * MINUTE);
  });

  it('a firmware profile that applies the sign-in without a reboot: the handset shows the number, nobody loses service', async () => {
    world = await teamsReadyLab({ lab: { profile: 'no-reboot-on-sign-in' } });
    const { lab, tac, base, handset, other, hw } = world;
    await addInAdminCenter(tac, formatHardwareId(hw));
    await dialEnrollment(lab, handset, await generateCodeInAdminCenter(tac, hw));
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    const pairing = pairingCodeOnHandset(handset);

    const rebootsBefore = base.status().reboots;
    let lostService = false;
    expect((await signInOnDeviceLoginPage(tac, pairing, ADELE)).statusCode).toBe(200);
    await lab.clock.advanceUntil(() => {
      if (handset.state !== 'in-service' || other.state !== 'in-service') lostService = true;
      return handset.record.line === ADELE_NUMBER && handset.view().line?.state === 'OK';
    }, 10 * MINUTE);
    expect(screen(handset)).toContain(ADELE_NUMBER);
    expect(base.status().reboots).toBe(rebootsBefore);
    expect(lostService).toBe(false);
  });
});
