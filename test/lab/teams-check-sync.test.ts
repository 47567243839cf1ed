/**
 * check-sync on the wire: the gateway reaches the device only through SIP. After a sign-in (and an admin center
 * Restart) the EMEA Teams SIP server sends a NOTIFY to the contact the handset's line registered, the line answers 200,
 * and only then does the base fetch its file; the handset's idle label follows the file its base applied, never the
 * gateway's records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../support/lab.ts';
import { enrollThroughAdminCenter, pairingCodeOnHandset, post, settled, signInOnDeviceLoginPage, teamsReadyLab, type TeamsWorld } from './teams-steps.ts';

const ADELE = 'adele.vance@contoso.com';
const ADELE_NUMBER = '+14255550101';

describe('Teams check-sync as a SIP NOTIFY', () => {
  let world: TeamsWorld | undefined;
  afterEach(async () => {
    await world?.tac.close();
    await world?.lab.close();
    world = undefined;
  });

  it('a sign-in reaches the base as NOTIFY check-sync; the label changes only once the new file is applied', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base, handset, other, hw } = world;
    await enrollThroughAdminCenter(world);
    const emea = lab.telephony.teamsSip.get('EMEA')!;
    const user = `onboarding-${hw.toLowerCase()}`;
    expect(handset.view().line?.identity).toBe(`${user}@emea.sip.sdg.teams.microsoft.com`);
    const appliedState = () => base.flash.provisioning.applied[handset.ipei]?.['TEAMS_STATE'];
    expect(appliedState()).toBe('onboarding');
    const since = lab.clock.now();

    expect((await signInOnDeviceLoginPage(tac, pairingCodeOnHandset(handset), ADELE)).statusCode).toBe(200);
    await lab.settle();
    // The gateway knows Adele is signed in; the handset does not until its base has fetched and applied the file.
    expect(lab.teams.device(hw)?.userStatus).toBe('Signed in');
    const notifies = emea.timeline.entries({ method: 'NOTIFY', since });
    expect(notifies).toEqual([
      expect.objectContaining({ direction: 'out', target: user, detail: 'Event: check-sync', status: 200, remote: expect.stringContaining(`memory:${user}@`) }),
    ]);
    expect(handset.record.line).not.toBe(ADELE_NUMBER);

    let labelBeforeFile = false;
    await lab.clock.advanceUntil(() => {
      if (handset.record.line === ADELE_NUMBER && appliedState() !== 'signed-in') labelBeforeFile = true;
      return settled(base, handset, other)() && handset.record.line === ADELE_NUMBER;
    }, 10 * MINUTE);
    expect(labelBeforeFile).toBe(false);
    expect(appliedState()).toBe('signed-in');
    expect(handset.view().teams).toBe('signed-in');

    // Restart: NOTIFY check-sync;reboot=true to Adele's line, then the base restarts.
    const restartAt = lab.clock.now();
    const rebootsBefore = base.status().reboots;
    await post(tac, `/devices/sip/${hw}/action`, { action: 'restart' });
    await lab.clock.advanceUntil(() => base.status().reboots > rebootsBefore, 10 * MINUTE);
    const adeleLine = emea.timeline.entries({ method: 'NOTIFY', since: restartAt });
    expect(adeleLine).toEqual([expect.objectContaining({ direction: 'out', detail: 'Event: check-sync;reboot=true', status: 200 })]);
    expect(adeleLine[0]!.target).not.toBe(user);
    expect(base.status().rebootLog[0]?.reason).toBe('Teams SIP Gateway: check-sync;reboot=true');
  });
});
