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
      ['site-access-code', 'not-checked', 'Not checked: "Register a handset" must pass first.'],
      ['closed-window', 'not-checked', 'Not checked: "Register a handset" must pass first.'],
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
      ['site-access-code', 'failed'],
      ['closed-window', 'failed'],
    ]);
    expect(grade.tasks[1]!.checks[0]!.actual).toContain('1 of 4 match');
    await admin.registerHandset(world.lab, second!, 2);
    grade = await world.grade();
    grade = await world.grade();
    expect(outcome(grade).slice(0, 2)).toEqual([
      ['first-handset', 'passed', 'A handset is registered and in service.'],
      ['second-handset', 'passed', 'Two handsets are registered; DECT Summary lists both.'],
    ]);
    expect(grade.score).toBe(30);
  });

  it("the site's access code: the factory code is refused once it is set, the site's registers the third handset, and the closed window is explained", async () => {
    world = await openExercise('register-handset.yaml', 3);
    const code = String(world.variables['accessCode']);
    expect(code).not.toBe('0000');
    expect(world.exercise.briefing).toContain(`access code: **${code}**`);
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    const [first, second, third] = [...world.lab.handsets.values()];
    await admin.registerHandset(world.lab, first!, 1);
    await admin.registerHandset(world.lab, second!, 2);

    // The third with the factory code, after the site's code is saved: refused.
    await admin.save('specific-handsets', { accessCode: code });
    await admin.registerHandset(world.lab, third!, 3, '0000');
    expect(third!.view().baseMac).toBeNull();
    for (let i = 0; i < 5 && third!.view().screen !== 'idle'; i++) third!.press('{red}');
    let grade = await world.grade([], { 'closed-window': 'The access code was wrong' });
    expect(outcome(grade).slice(2)).toEqual([
      ['site-access-code', 'failed', "The base does not use the site's access code, or the third handset is not registered."],
      ['closed-window', 'failed', 'Not done yet.'],
    ]);
    expect(failTexts(grade, 'site-access-code')).toEqual(['Fewer than three handsets are registered and in service.', 'DECT Summary lists fewer than three handsets.']);
    expect(failTexts(grade, 'closed-window')).toEqual(['Look at how long the base listens after Register, and how long your colleague took.']);

    // With the site's code: registered. The question answered by its number.
    await admin.registerHandset(world.lab, third!, 3, code);
    grade = await world.grade([], { 'closed-window': '2' });
    expect(outcome(grade).slice(2)).toEqual([
      ['site-access-code', 'passed', "The base takes the site's access code; three handsets are registered."],
      ['closed-window', 'passed', 'Right: the window had closed; click Register again and enter the code within 5 minutes.'],
    ]);
    expect(grade.score).toBe(60);
  });

  it("three handsets registered with the factory code but the site's code not set fail the site task with its fail text", async () => {
    world = await openExercise('register-handset.yaml', 3);
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    const [first, second, third] = [...world.lab.handsets.values()];
    for (const [i, h] of [first, second, third].entries()) await admin.registerHandset(world.lab, h!, i + 1);
    const grade = await world.grade();
    expect(grade.tasks[2]!.status).toBe('failed');
    expect(failTexts(grade, 'site-access-code')).toEqual([`The base's Access Code is not the site's (${String(world.variables['accessCode'])}).`]);
  });
});
