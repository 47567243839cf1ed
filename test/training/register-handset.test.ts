/**
 * Exercise (c), fixtures/exercises/register-handset.yaml: Specific Handsets → Register on the base, then Settings →
 * Connectivity → Register and the access code on the handset, on the factory lab.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { entryLabelOf, registerOnHandset, screen } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';
import { type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { WebAdmin } from './technician.ts';

describe('Exercise: registering handsets', () => {
  let world: ExerciseWorld | undefined;
  let admin: WebAdmin | undefined;
  afterEach(async () => {
    await admin?.close();
    await world?.close();
    world = admin = undefined;
  });

  it('a wrong access code leaves the handset unregistered, and the exercise says so', async () => {
    world = await openExercise('register-handset.yaml');
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    const [handset] = [...world.lab.handsets.values()];
    await admin.registerHandset(world.lab, handset!, 1, '1234');
    expect(screen(handset!).join(' ')).not.toContain('Registered');
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['first-handset', 'failed', 'No handset is registered to the base yet.'],
      ['second-handset', 'not-checked', 'Not checked: "Register a handset" must pass first.'],
    ]);
    expect(failTexts(grade, 'first-handset')).toEqual(['No handset shows its idle screen in service on the base.', 'DECT Summary lists no handset.']);
  });

  it('the registration window closes after 5 minutes: a handset that tries later is not registered', async () => {
    world = await openExercise('register-handset.yaml');
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    expect((await admin.post('register-handset', { slot: '1' })).statusCode).toBe(303);
    await world.lab.clock.advance(6 * MINUTE);
    const [handset] = [...world.lab.handsets.values()];
    await registerOnHandset(world.lab, handset!, entryLabelOf(admin.base));
    await world.lab.clock.advance(MINUTE);
    expect(handset!.view().baseMac).toBeNull();
    const grade = await world.grade();
    expect(grade.tasks[0]).toMatchObject({ status: 'failed', text: 'No handset is registered to the base yet.' });
  });

  it('two handsets registered with the code 0000 pass both tasks', async () => {
    world = await openExercise('register-handset.yaml');
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    const [first, second] = [...world.lab.handsets.values()];
    await admin.registerHandset(world.lab, first!, 1);
    let grade = await world.grade();
    expect(outcome(grade).map(([id, status]) => [id, status])).toEqual([
      ['first-handset', 'passed'],
      ['second-handset', 'failed'],
    ]);
    expect(grade.tasks[1]!.checks[0]!.actual).toContain('1 of 4 match');
    await admin.registerHandset(world.lab, second!, 2);
    grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['first-handset', 'passed', 'A handset is registered and in service.'],
      ['second-handset', 'passed', 'Two handsets are registered; DECT Summary lists both.'],
    ]);
    expect(grade.score).toBe(30);
  });
});
