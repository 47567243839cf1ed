/**
 * The Teams admin center's device actions reaching the handset through the gateway and the base, as in the guide's
 * "Register a Teams user" (TAC flow): Sign in a user puts the handset on its pairing screen (URL + code), the user signs
 * in with it; Sign out returns the handset to Sign in; Restart restarts the device — the Rove base, which is the SIP
 * endpoint the gateway's `check-sync;reboot=true` reaches, so every handset on it goes Searching.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';
import { enrollThroughAdminCenter, post, settled, signInOnDeviceLoginPage, teamsReadyLab, type TeamsWorld } from './teams-steps.ts';

const ADELE = 'adele.vance@contoso.com';
const ADELE_NUMBER = '+14255550101';

describe('Teams admin center actions on a Rove handset', () => {
  let world: TeamsWorld | undefined;
  afterEach(async () => {
    await world?.tac.close();
    await world?.lab.close();
    world = undefined;
  });

  it('Sign in a user shows the pairing code on the handset too; Sign out returns it to Sign in; Restart restarts the base', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base, handset, other, hw } = world;
    await enrollThroughAdminCenter(world);

    // Waiting for sign in → select the device → Sign in a user.
    const res = await post(tac, '/devices/provision/sign-in', { device: hw });
    expect(res.statusCode).toBe(303);
    const pane = await tac.inject(res.headers.location as string);
    const code = /data-pairing-code>([A-Z0-9]{9})</.exec(pane.body)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{9}$/);
    expect(pane.body).toContain('https://microsoft.com/devicelogin');
    expect(screen(handset)).toEqual(expect.arrayContaining(['Sign in', 'microsoft.com/', 'devicelogin', `Code: ${code}`]));
    expect(screen(other)).not.toContain(`Code: ${code}`);

    const rebootsBefore = base.status().reboots;
    expect((await signInOnDeviceLoginPage(tac, code!, ADELE)).statusCode).toBe(200);
    await lab.clock.advanceUntil(() => settled(base, handset, other)() && handset.record.line === ADELE_NUMBER, 10 * MINUTE);
    expect(base.status().reboots - rebootsBefore).toBe(1);
    expect(screen(handset)).toContain(ADELE_NUMBER);

    // SIP devices → the device → Actions → Sign out.
    const page = await tac.inject(`/devices/sip/${hw}`);
    expect(page.body).toContain('value="sign-out"');
    expect(page.body).toContain('value="restart"');
    const out = await post(tac, `/devices/sip/${hw}/action`, { action: 'sign-out' });
    expect(out.headers.location).toContain('done=sign-out');
    expect(lab.teams.device(hw)?.userStatus).toBe('Signed out');
    await lab.clock.advanceUntil(() => settled(base, handset)() && handset.view().display.at(-1)?.endsWith('Sign in') === true, 10 * MINUTE);
    expect(screen(handset)).not.toContain(ADELE_NUMBER);
    expect(handset.view().teams).toBe('signed-out');

    // Actions → Restart: the gateway's check-sync;reboot=true restarts the base.
    const restartsBefore = base.status().reboots;
    await post(tac, `/devices/sip/${hw}/action`, { action: 'restart' });
    await lab.clock.advanceUntil(() => base.status().reboots > restartsBefore, 10 * MINUTE);
    expect(base.status().rebootLog[0]?.reason).toBe('Teams SIP Gateway: check-sync;reboot=true');
    expect([handset.state, other.state]).toEqual(['searching', 'searching']);
    await lab.clock.advanceUntil(settled(base, handset, other), 10 * MINUTE);
    expect(base.status().reboots - restartsBefore).toBe(1);
    expect(handset.view().display.at(-1)).toMatch(/Sign in$/);
  });

  it('a pairing screen pushed by the admin center closes when the code expires; a busy handset is left alone', async () => {
    world = await teamsReadyLab();
    const { lab, tac, handset, hw } = world;
    await enrollThroughAdminCenter(world);
    handset.press('{menu}');
    await post(tac, '/devices/provision/sign-in', { device: hw });
    expect(handset.view().screen).toBe('menu');
    handset.press('{red}');
    expect(handset.view().screen).toBe('idle');

    await post(tac, '/devices/provision/sign-in', { device: hw });
    expect(screen(handset).some((l) => l.startsWith('Code: '))).toBe(true);
    await lab.clock.advance(15 * MINUTE);
    expect(handset.view().screen).toBe('idle');
    expect(handset.view().display.at(-1)).toMatch(/Sign in$/);
  });
});
