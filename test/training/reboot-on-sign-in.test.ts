/**
 * Exercise (e), fixtures/exercises/reboot-on-sign-in.yaml: one B4 with three enrolled handsets; the trainee signs the
 * drawn user in on the drawn handset, times how long another handset is without service, finds the reboot in the
 * reboot log and says why it happened — answers given as the task panel and `rove-sim check --answer` give them.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import { MINUTE } from '../support/lab.ts';
import { pairingCodeOnHandset, signInOnDeviceLoginPage } from '../lab/teams-steps.ts';
import { loadExerciseFile } from '../../src/training/exercise-loader.ts';
import { drawVariables } from '../../src/training/exercise-variables.ts';
import { EXERCISES, type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';

const WHY = 'The Teams gateway told the base to fetch its configuration again; the user\'s line made it a new configuration, which the base applies by rebooting.';
const AT_SCALE = 'Every sign-in reboots the base, so every handset on it loses service for about a minute and a half, thirty times.';

describe('Exercise: the reboot on sign-in', () => {
  let world: ExerciseWorld | undefined;
  let tac: FastifyInstance | undefined;
  afterEach(async () => {
    await tac?.close();
    await world?.close();
    world = tac = undefined;
  });

  async function open(seed: number) {
    world = await openExercise('reboot-on-sign-in.yaml', seed);
    tac = await buildTeamsAdminCenter({ gateway: world.lab.teams });
    // The handset at the drawn place, as the trainee finds it: its name on the screen.
    const handsets = [...world.lab.handsets.values()];
    const target = handsets.find((h) => h.view().display.some((l) => l.trim() === world!.variables['user.place']))!;
    expect(target, `a handset named ${world.variables['user.place']}`).toBeDefined();
    return { world, tac, target, other: handsets.find((h) => h !== target)! };
  }

  /** Signs the user in on `target` and times, with a stopwatch of 1 s, how long `other` is without service. */
  async function signInAndTime(w: ExerciseWorld, admin: FastifyInstance, target: Handset, other: Handset): Promise<number> {
    expect((await signInOnDeviceLoginPage(admin, pairingCodeOnHandset(target), w.variables['user.upn']!)).statusCode).toBe(200);
    const start = w.lab.clock.now();
    let back: number | undefined;
    let lost = false;
    for (let s = 0; s < 30 * 60 && back === undefined; s++) {
      await w.lab.clock.advance(1000);
      if (other.view().state !== 'in-service') lost = true;
      else if (lost) back = w.lab.clock.now();
    }
    expect(lost, 'the other handset lost service').toBe(true);
    await w.lab.clock.advanceUntil(() => w.lab.teams.devices().some((d) => d.userStatus === 'Signed in'), 10 * MINUTE);
    return Math.round((back! - start) / 1000);
  }

  it('nothing done: the sign-in fails and, behind its barrier, nothing else is checked', async () => {
    const { world } = await open(1);
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['sign-in', 'failed', `${world.variables['user.upn']} is not signed in on the ${world.variables['user.place']} handset.`],
      ['reboot-log', 'not-checked', `Not checked: "Sign in ${world.variables['user.upn']} on the ${world.variables['user.place']} handset" must pass first.`],
      ['downtime', 'not-checked', expect.any(String)],
      ['why', 'not-checked', expect.any(String)],
      ['at-scale', 'not-checked', expect.any(String)],
    ]);
    expect(failTexts(grade, 'sign-in')).toEqual([`The admin center does not list a device signed in as ${world.variables['user.upn']}.`]);
  });

  it('signed in but answered wrong (and not at all): the questions fail with their texts and do not give the answer away', async () => {
    const { world, tac, target, other } = await open(1);
    await signInAndTime(world, tac, target, other);
    const grade = await world.grade([], { downtime: '10', why: '1' });
    expect(outcome(grade)).toEqual([
      ['sign-in', 'passed', `${world.variables['user.upn']} is signed in on the ${world.variables['user.place']} handset.`],
      ['reboot-log', 'passed', 'The reboot log shows the reboot the sign-in caused: ITSP provisioning, new configuration.'],
      ['downtime', 'failed', 'That is not how long the other handsets were without service — measure again on the next sign-in, or work it out from the reboot log and the uptime.'],
      ['why', 'failed', 'That is not what made the base reboot — read the reason in the reboot log again.'],
      ['at-scale', 'failed', 'Think of what you just measured, once per sign-in, for every handset on the base.'],
    ]);
    expect(grade.tasks[2]!.checks).toEqual([{ ok: false, expectation: 'a number in the accepted range (seconds)', actual: 'answered 10 seconds' }]);
    expect(grade.tasks[3]!.checks[0]!.actual).toBe('answered "The handset\'s firmware was updated over the air after the sign-in."');
    expect(grade.tasks[4]!.checks[0]!.actual).toBe('not answered yet');
    expect(grade.score).toBe(20);
  });

  it.each([1, 8])('seed %i: the drawn user signed in, the downtime timed on another handset and the reboot explained pass every task', async (seed) => {
    const { world, tac, target, other } = await open(seed);
    const seconds = await signInAndTime(world, tac, target, other);
    // The base's shutdown and boot (5 s + 90 s) and the handset finding it again.
    expect(seconds).toBeGreaterThanOrEqual(90);
    expect(seconds).toBeLessThanOrEqual(110);
    const grade = await world.grade(['downtime'], { downtime: String(seconds), why: WHY.toUpperCase(), 'at-scale': '3' });
    expect(grade.tasks.map((t) => [t.id, t.status])).toEqual([
      ['sign-in', 'passed'],
      ['reboot-log', 'passed'],
      ['downtime', 'passed'],
      ['why', 'passed'],
      ['at-scale', 'passed'],
    ]);
    expect(grade.tasks[4]!.checks[0]!.actual).toBe(`answered "${AT_SCALE}"`);
    expect(grade.score).toBe(60);
  });

  it('seeds 1 and 8 draw different users on different handsets', () => {
    const loaded = loadExerciseFile(path.join(EXERCISES, 'reboot-on-sign-in.yaml'));
    const [a, b] = [drawVariables(loaded.exercise, 1), drawVariables(loaded.exercise, 8)];
    expect(a).toEqual({ 'user.upn': 'adele.vance@contoso.com', 'user.place': 'Reception' });
    expect(b).toEqual({ 'user.upn': 'alex.wilber@contoso.com', 'user.place': 'Front desk' });
  });
});
