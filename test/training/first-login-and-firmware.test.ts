/**
 * Exercise (a), fixtures/exercises/first-login-and-firmware.yaml: the trainee logs in, sets up Auto Firmware Update
 * in the web admin, and the base updates itself. Graded as `rove-sim check` grades, through the lab's read-outs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GUIDE_FIRMWARE_SETTINGS } from '../support/lab.ts';
import { type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { WebAdmin } from './technician.ts';

describe('Exercise: first login and firmware update', () => {
  let world: ExerciseWorld | undefined;
  let admin: WebAdmin | undefined;
  afterEach(async () => {
    await admin?.close();
    await world?.close();
    world = admin = undefined;
  });

  it('an untouched factory lab fails at the first task, and the barrier leaves the others unchecked', async () => {
    world = await openExercise('first-login-and-firmware.yaml');
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['login', 'failed', 'The base still has its factory password — log in to its web admin and set a new one.'],
      ['firmware-settings', 'not-checked', 'Not checked: "Log in and change the factory password" must pass first.'],
      ['firmware-installed', 'not-checked', 'Not checked: "Log in and change the factory password" must pass first.'],
    ]);
    expect(grade.score).toBe(0);
    expect(grade.maxScore).toBe(50);
  });

  it('logged in but with a mistyped firmware path and no handset images: the matching fail texts', async () => {
    world = await openExercise('first-login-and-firmware.yaml');
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    await admin.save('auto-provisioning', {
      ...GUIDE_FIRMWARE_SETTINGS,
      firmwarePath: '/voice/dect-ip-phones/',
      rove30FwVersion: '',
      rove30FwBranch: '',
      rove40FwVersion: '',
      rove40FwBranch: '',
    });
    const grade = await world.grade();
    expect(outcome(grade).map(([id, status]) => [id, status])).toEqual([
      ['login', 'passed'],
      ['firmware-settings', 'failed'],
      ['firmware-installed', 'failed'],
    ]);
    expect(failTexts(grade, 'firmware-settings')).toEqual([
      "The base does not look for firmware on Poly's download server (FirmwareServer and FirmwarePath).",
      'The handset images are not version 8003, branch 0009 for both the Rove 30 and the Rove 40.',
    ]);
    expect(grade.tasks[1]!.checks[0]!.actual).toBe('FirmwarePath "/voice/dect-ip-phones/"');
    expect(grade.score).toBe(10);
  });

  it('the guide\'s steps pass every task; the hint asked for costs its points', async () => {
    world = await openExercise('first-login-and-firmware.yaml');
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    await admin.save('auto-provisioning', GUIDE_FIRMWARE_SETTINGS);
    const grade = await world.grade(['firmware-settings']);
    expect(outcome(grade)).toEqual([
      ['login', 'passed', 'The base no longer takes the factory password.'],
      ['firmware-settings', 'passed', "Auto Firmware Update points at Poly's download server with the versions Teams needs."],
      ['firmware-installed', 'passed', 'The base runs 8.0.3.0009 — its reboot log shows the firmware update.'],
    ]);
    expect(grade.passed).toBe(true);
    expect(grade.score).toBe(40);
    // What the trainee reads on Home/Status agrees.
    expect((await admin.get('')).body).toContain('8.0.3.0009');
  });
});
