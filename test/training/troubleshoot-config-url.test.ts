/**
 * Exercise (g), fixtures/exercises/troubleshoot-config-url.yaml: the wrong-config-url fault on one of three bases
 * (which base, and which typo, drawn per trainee); the trainee reads each base's Home/Status and corrects it.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadExerciseFile } from '../../src/training/exercise-loader.ts';
import { drawVariables } from '../../src/training/exercise-variables.ts';
import { checkLabFile } from '../../src/training/check-command.ts';
import { EXERCISES, type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { WebAdmin } from './technician.ts';

const TEAMS_URL = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';

describe('Troubleshooting exercise: the mistyped ConfigURL', () => {
  let world: ExerciseWorld | undefined;
  const admins: WebAdmin[] = [];
  afterEach(async () => {
    for (const a of admins.splice(0)) await a.close();
    await world?.close();
    world = undefined;
  });

  async function adminOf(mac: string): Promise<WebAdmin> {
    const admin = await WebAdmin.open(world!.lab, mac);
    admins.push(admin);
    // The scenario left the factory password: the first login sets one.
    await admin.changeFactoryPassword();
    return admin;
  }

  /** What Home/Status says about provisioning, as the trainee reads it. */
  async function homeStatus(mac: string): Promise<string> {
    return (await (await adminOf(mac)).get('')).body;
  }

  it('trainees get different bases and typos', () => {
    const loaded = loadExerciseFile(path.join(EXERCISES, 'troubleshoot-config-url.yaml'));
    const drawn = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => drawVariables(loaded.exercise, seed));
    expect(new Set(drawn.map((v) => v['broken.mac'])).size).toBeGreaterThan(1);
    expect(new Set(drawn.map((v) => v['wrong'])).size).toBeGreaterThan(1);
  });

  it('nothing done: the drawn base shows PRV-01 on Home/Status, the others do not, and the fix task fails', async () => {
    world = await openExercise('troubleshoot-config-url.yaml', 2);
    const broken = world.variables['broken.mac']!;
    await world.lab.clock.advance(5 * 60_000);
    for (const mac of world.lab.bases.keys()) {
      const page = await homeStatus(mac);
      if (mac === broken) expect(page).toContain('PRV-01');
      else expect(page).not.toContain('PRV-0');
    }
    const grade = await world.grade([], { 'which-base': '0004F2A00011 (Reception)' === world.variables['broken.label'] ? '2' : '1' });
    expect(outcome(grade)).toEqual([
      ['which-base', 'failed', 'Not done yet.'],
      ['fix-config-url', 'failed', 'A base still cannot fetch its configuration.'],
    ]);
    expect(failTexts(grade, 'which-base')).toEqual(['Look at the provisioning status and error code on each base\'s Home/Status page.']);
    expect(failTexts(grade, 'fix-config-url')).toEqual([
      "The ConfigURL of a base is not the EMEA Teams provisioning service's.",
      'A base still shows a provisioning error on Home/Status.',
    ]);
    expect(grade.tasks[1]!.checks[0]!.actual).toContain(JSON.stringify(world.variables['wrong']));
  });

  it('the ConfigURL corrected on the drawn base: it provisions again and both tasks pass', async () => {
    world = await openExercise('troubleshoot-config-url.yaml', 5);
    const broken = world.variables['broken.mac']!;
    const admin = await adminOf(broken);
    await admin.save('auto-provisioning', { configUrl: TEAMS_URL });
    const grade = await world.grade([], { 'which-base': world.variables['broken.label']! });
    expect(outcome(grade)).toEqual([
      ['which-base', 'passed', `Right: ${world.variables['broken.label']} reports a provisioning error.`],
      ['fix-config-url', 'passed', 'Every base fetches its configuration from the EMEA Teams provisioning service again.'],
    ]);
    expect(grade.score).toBe(40);
  });

  it('rove-sim check on the lab file grades it as the trainee view does: the saved typo is in the file', async () => {
    world = await openExercise('troubleshoot-config-url.yaml', 1);
    for (const a of admins.splice(0)) await a.close();
    await world.closeLab();
    const out: string[] = [];
    const graded = await checkLabFile(path.join(EXERCISES, 'troubleshoot-config-url.yaml'), world.file, { seed: 1, answers: [`which-base=${world.variables['broken.label']}`] }, { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(graded.exitCode).toBe(1);
    expect(out).toContain('✓ 1. Which base does not provision? — 10/10');
    expect(out).toContain('✗ 2. Correct the ConfigURL — 0/30');
    expect(out.join('\n')).toContain("The ConfigURL of a base is not the EMEA Teams provisioning service's.");
  });
});
