/**
 * Exercise (b), fixtures/exercises/itsp-provisioning-and-reboot-log.yaml: the lab is the guide scenario played up to
 * the base's firmware update; the trainee's region and time zone are drawn from the seed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { WebAdmin } from './technician.ts';

describe('Exercise: ITSP provisioning and the reboot log', () => {
  let world: ExerciseWorld | undefined;
  let admin: WebAdmin | undefined;
  afterEach(async () => {
    await admin?.close();
    await world?.close();
    world = admin = undefined;
  });

  it('starts from the scenario prefix: the base runs 8.0.3.0009 and nothing of ITSP provisioning is set', async () => {
    world = await openExercise('itsp-provisioning-and-reboot-log.yaml');
    const [base] = [...world.lab.bases.values()];
    expect(base!.flash.firmware).toBe('8.0.3.0009');
    const grade = await world.grade();
    expect(outcome(grade).map(([id, status]) => [id, status])).toEqual([
      ['time-zone', 'failed'],
      ['itsp-settings', 'failed'],
      ['three-reboots', 'not-checked'],
    ]);
    expect(failTexts(grade, 'itsp-settings')).toEqual([
      'ITSP provisioning does not run periodically every 3600 s from a ConfigURL (Method, Interval, ProvisioningOption).',
      `The ConfigURL is not the ${world.variables['region']} Teams provisioning service's, with 00\${IPEI}.cfg as the file name.`,
    ]);
  });

  it("another region's ConfigURL fails, naming the trainee's region", async () => {
    world = await openExercise('itsp-provisioning-and-reboot-log.yaml', 1);
    const region = world.variables['region']!;
    const other = region === 'emea' ? 'noam' : 'emea';
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    await admin.save('auto-provisioning', {
      itspMethod: 'Periodically',
      itspInterval: '3600',
      provisioningOption: 'ConfigURL',
      configUrl: `http://${other}.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg`,
    });
    const grade = await world.grade();
    expect(grade.tasks[1]!.text).toBe(`ITSP provisioning is not set up for the ${region} Teams provisioning service.`);
    expect(grade.tasks[2]!.status).toBe('not-checked');
  });

  it("the guide's values for the drawn region and time zone pass; the three reboots are in the reboot log", async () => {
    world = await openExercise('itsp-provisioning-and-reboot-log.yaml', 7);
    const { region, timeZone } = world.variables as { region: string; timeZone: string };
    admin = await WebAdmin.open(world.lab);
    await admin.changeFactoryPassword();
    await admin.save('wan-settings', { timeZone });
    await admin.save('auto-provisioning', {
      itspMethod: 'Periodically',
      itspInterval: '3600',
      provisioningOption: 'ConfigURL',
      configUrl: `http://${region}.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg`,
    });
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['time-zone', 'passed', `The base keeps the site's time (${timeZone}).`],
      ['itsp-settings', 'passed', `The base fetches its configuration from the ${region} Teams provisioning service.`],
      ['three-reboots', 'passed', 'The DECT server rebooted three times, as the guide says, and is configured.'],
    ]);
    expect(grade.score).toBe(50);
    const status = (await admin.get('')).body;
    expect(status).toContain('ITSP provisioning: applying new provisioning settings (reboot 3 of 3)');
  });

  it('the seed draws the variables: the same seed the same values, other seeds other values', async () => {
    const { drawVariables } = await import('../../src/training/exercise-variables.ts');
    const { loadExerciseFile } = await import('../../src/training/exercise-loader.ts');
    const { EXERCISES } = await import('./exercise-world.ts');
    const { exercise } = loadExerciseFile(`${EXERCISES}/itsp-provisioning-and-reboot-log.yaml`);
    expect(drawVariables(exercise, 3)).toEqual(drawVariables(exercise, 3));
    const regions = new Set(Array.from({ length: 20 }, (_, seed) => drawVariables(exercise, seed)['region']));
    expect([...regions].sort()).toEqual(['apac', 'emea', 'noam']);
  });
});
