/**
 * Exercise (d), fixtures/exercises/teams-enroll-sign-in.yaml: the guide scenario played up to the handset's
 * over-the-air update; the trainee adds 00 + IPEI in the Teams admin center, dials *55*<code>, and signs in the user
 * drawn from the seed on the device login page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import { formatHardwareId, hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { MINUTE } from '../support/lab.ts';
import { addInAdminCenter, dialEnrollment, generateCodeInAdminCenter, pairingCodeOnHandset, signInOnDeviceLoginPage } from '../lab/teams-steps.ts';
import { type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';

describe('Exercise: Teams enrollment with *55* and sign-in', () => {
  let world: ExerciseWorld | undefined;
  let tac: FastifyInstance | undefined;
  afterEach(async () => {
    await tac?.close();
    await world?.close();
    world = tac = undefined;
  });

  async function open(seed = 1) {
    world = await openExercise('teams-enroll-sign-in.yaml', seed);
    tac = await buildTeamsAdminCenter({ gateway: world.lab.teams });
    const [handset] = [...world.lab.handsets.values()];
    return { world, tac, handset: handset!, hw: hardwareIdForIpei(handset!.ipei) };
  }

  it('nothing done: the first task fails and the rest wait for it', async () => {
    const { world } = await open();
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['provision', 'failed', 'The admin center lists no device for the handset.'],
      ['enroll', 'not-checked', 'Not checked: "Add the handset in the Teams admin center" must pass first.'],
      ['sign-in', 'not-checked', 'Not checked: "Add the handset in the Teams admin center" must pass first.'],
      ['reboot-after-sign-in', 'not-checked', 'Not checked: "Add the handset in the Teams admin center" must pass first.'],
    ]);
  });

  it("added but the code never dialled: enrollment fails with its text", async () => {
    const { world, tac, hw } = await open();
    expect((await addInAdminCenter(tac, formatHardwareId(hw))).statusCode).toBe(303);
    await generateCodeInAdminCenter(tac, hw);
    const grade = await world.grade();
    expect(outcome(grade).map(([id, status]) => [id, status])).toEqual([
      ['provision', 'passed'],
      ['enroll', 'failed'],
      ['sign-in', 'not-checked'],
      ['reboot-after-sign-in', 'not-checked'],
    ]);
    expect(failTexts(grade, 'enroll')).toEqual([
      'No device moved to "Waiting for sign in" — was the code dialled as *55*<code> with the green key?',
    ]);
    expect(grade.tasks[1]!.checks[0]!.actual).toBe('0 of 1 match; list "Waiting on activation"');
  });

  it('another user signed in than the one asked for fails the sign-in task', async () => {
    const { world, tac, handset, hw } = await open(1);
    const asked = world.variables['user']!;
    const other = asked === 'adele.vance@contoso.com' ? 'alex.wilber@contoso.com' : 'adele.vance@contoso.com';
    await addInAdminCenter(tac, formatHardwareId(hw));
    await dialEnrollment(world.lab, handset, await generateCodeInAdminCenter(tac, hw));
    await world.lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    expect((await signInOnDeviceLoginPage(tac, pairingCodeOnHandset(handset), other)).statusCode).toBe(200);
    const grade = await world.grade();
    expect(grade.tasks[2]).toMatchObject({ status: 'failed', text: `${asked} is not signed in on the handset.` });
    expect(failTexts(grade, 'sign-in')[0]).toBe(`The admin center does not list the handset under SIP devices, signed in as ${asked}.`);
  });

  it("the guide's steps for the drawn user pass every task, with the one reboot on sign-in", async () => {
    const { world, tac, handset, hw } = await open(2);
    const user = world.variables['user']!;
    expect((await addInAdminCenter(tac, formatHardwareId(hw))).statusCode).toBe(303);
    await dialEnrollment(world.lab, handset, await generateCodeInAdminCenter(tac, hw));
    await world.lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    const enrolled = await world.grade();
    expect(outcome(enrolled).map(([id, status]) => [id, status]).slice(0, 2)).toEqual([
      ['provision', 'passed'],
      ['enroll', 'passed'],
    ]);
    expect((await signInOnDeviceLoginPage(tac, pairingCodeOnHandset(handset), user)).statusCode).toBe(200);
    const grade = await world.grade(['provision']);
    expect(outcome(grade)).toEqual([
      ['provision', 'passed', 'The handset is in the admin center.'],
      ['enroll', 'passed', 'The device is waiting for sign in.'],
      ['sign-in', 'passed', `${user} is signed in; the handset shows the user's number.`],
      ['reboot-after-sign-in', 'passed', 'The base rebooted once after the sign-in (ITSP provisioning: new configuration).'],
    ]);
    expect(grade.score).toBe(55);
  });
});
