/**
 * Exercise (h), fixtures/exercises/troubleshoot-expired-code.yaml: one handset (drawn per trainee) was enrolled with
 * a code a day old (the expired-codes fault); the trainee finds it in the admin center, generates a new code and
 * dials it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { dialEnrollment, generateCodeInAdminCenter } from '../lab/teams-steps.ts';
import { screen } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';
import path from 'node:path';
import { loadExerciseFile } from '../../src/training/exercise-loader.ts';
import { drawVariables } from '../../src/training/exercise-variables.ts';
import { EXERCISES, type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { AdminCenter } from './technician.ts';

type Late = { id: string; place: string; hw: string };

/** The drawn handset, from the flat values (`late.place`). */
function lateOf(values: Record<string, string>): Late {
  return { id: values['late.id']!, place: values['late.place']!, hw: values['late.hw']! };
}

describe('Troubleshooting exercise: the expired verification code', () => {
  let world: ExerciseWorld | undefined;
  let tac: AdminCenter | undefined;
  afterEach(async () => {
    await tac?.close();
    await world?.close();
    world = tac = undefined;
  });

  /** The handset the admin center lists under Waiting on activation: what the trainee looks for. */
  async function waitingOnActivation(tac: AdminCenter): Promise<string[]> {
    const page = await tac.get('/devices/provision');
    return world!.lab.teams.devices().filter((d) => d.list === 'Waiting on activation').map((d) => d.hardwareId).filter((hw) => page.body.includes(hw));
  }

  it('the handset drawn differs between trainees, and is the one the admin center shows waiting on activation', async () => {
    const loaded = loadExerciseFile(path.join(EXERCISES, 'troubleshoot-expired-code.yaml'));
    const drawn = new Set([1, 2, 3, 4, 5, 6].map((seed) => lateOf(drawVariables(loaded.exercise, seed)).place));
    expect(drawn.size).toBeGreaterThan(1);
    world = await openExercise('troubleshoot-expired-code.yaml', 2);
    tac = await AdminCenter.open(world.lab);
    const late = lateOf(world.variables);
    expect(await waitingOnActivation(tac)).toEqual([late.hw.replaceAll('-', '')]);
  });

  it('nothing done: the questions are unanswered and the enrollment fails naming the handset', async () => {
    world = await openExercise('troubleshoot-expired-code.yaml', 1);
    const late = lateOf(world.variables);
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['which-handset', 'failed', 'Not done yet.'],
      ['why-refused', 'failed', 'Not done yet.'],
      ['enroll-again', 'failed', 'Not every handset is enrolled.'],
    ]);
    expect(failTexts(grade, 'enroll-again')).toEqual([
      `The ${late.place} handset (${late.hw}) is still under Waiting on activation.`,
      'Not all three handsets are under Waiting for sign in.',
    ]);
  });

  it("yesterday's code dialled again is refused again; a new code enrolls the handset and every task passes", async () => {
    world = await openExercise('troubleshoot-expired-code.yaml', 3);
    tac = await AdminCenter.open(world.lab);
    const late = lateOf(world.variables);
    const handset = [...world.lab.handsets.values()].find((h) => hardwareIdForIpei(h.ipei) === late.hw.replaceAll('-', ''))!;
    const [hw] = await waitingOnActivation(tac);
    expect(hw).toBe(hardwareIdForIpei(handset.ipei));

    // The wrong fix: the old code once more.
    const old = world.lab.teams.device(hw!)!.verificationCode!.code;
    await dialEnrollment(world.lab, handset, old);
    // The handset says why, until OK.
    expect(screen(handset).join(' ')).toContain('Enrollment failed The verification code has expired; it is valid for 24');
    handset.press('{ok}');
    await world.lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    let grade = await world.grade([], { 'which-handset': late.place, 'why-refused': 'The code was mistyped' });
    expect(outcome(grade).map(([id, status]) => [id, status])).toEqual([
      ['which-handset', 'passed'],
      ['why-refused', 'failed'],
      ['enroll-again', 'failed'],
    ]);
    expect(failTexts(grade, 'why-refused')).toEqual(['Compare when the code was generated with when it was dialled.']);

    const code = await generateCodeInAdminCenter(tac.app, hw!);
    await dialEnrollment(world.lab, handset, code);
    expect(world.lab.teams.device(hw!)?.state, screen(handset).join(' | ')).toBe('enrolled');
    grade = await world.grade([], { 'which-handset': late.place, 'why-refused': '2' });
    expect(outcome(grade)).toEqual([
      ['which-handset', 'passed', `Right: the ${late.place} handset is still waiting on activation.`],
      ['why-refused', 'passed', 'Right: a verification code is valid for 24 hours.'],
      ['enroll-again', 'passed', 'All three handsets are enrolled and wait for their users.'],
    ]);
    expect(grade.score).toBe(50);
  });
});
