/**
 * Teams feature codes over a signed-in handset's line [MS]: `*30*` Do not disturb on (confirmation tone, "DND" on the
 * idle screen, calls to the user answered busy by the gateway), `*31*` off; `*32*`–`*35*` and `*99*` are not modelled
 * and say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';
import { enrollThroughAdminCenter, pairingCodeOnHandset, settled, signInOnDeviceLoginPage, teamsReadyLab, type TeamsWorld } from './teams-steps.ts';

const NUMBER = '+14255550101';

async function dial(world: TeamsWorld, digits: string): Promise<void> {
  const { lab, handset } = world;
  const since = lab.clock.now();
  handset.press(`${digits}{green}`);
  await lab.clock.advanceUntil(() => handset.view().tones.some((t) => (t.tone === 'confirmation' || t.tone === 'error') && t.at >= since), MINUTE);
}

describe('Teams feature codes on a signed-in Rove handset', () => {
  let world: TeamsWorld | undefined;
  afterEach(async () => {
    await world?.tac.close();
    await world?.lab.close();
    world = undefined;
  });

  it('*30* / *31* Do not disturb; the other codes are not supported in the simulator', async () => {
    world = await teamsReadyLab();
    const { lab, tac, base, handset, other } = world;
    await enrollThroughAdminCenter(world);
    await signInOnDeviceLoginPage(tac, pairingCodeOnHandset(handset), 'adele.vance@contoso.com');
    await lab.clock.advanceUntil(() => settled(base, handset, other)() && handset.record.line === NUMBER, 20 * MINUTE);

    await dial(world, '*30*');
    expect(handset.view().tones.at(-1)?.tone).toBe('confirmation');
    expect(screen(handset)).toContain('Do not disturb on');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    expect(screen(handset)).toContain(`DND ${NUMBER}`);

    // A call to Adele through the gateway is answered busy while DND is on.
    const call = other.phone.line!.call(NUMBER);
    await lab.clock.advanceUntil(() => call.state === 'ended', MINUTE);
    expect(call.end).toMatchObject({ statusCode: 486, reason: 'Busy Here (Do not disturb)' });

    await dial(world, '*31*');
    expect(screen(handset)).toContain('Do not disturb off');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    expect(screen(handset)).toContain(NUMBER);

    for (const code of ['*32*', '*33*5551234', '*34*', '*35*', '*99*']) {
      await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
      await dial(world, code);
      expect(handset.view().tones.at(-1)?.tone).toBe('error');
      expect(screen(handset).join(' ')).toContain('not supported in the');
      handset.press('{ok}'); // a refusal longer than the screen stays until the technician has read it
    }
  });
});
