/**
 * Exercise (i), fixtures/exercises/troubleshoot-site-network.yaml: a power cut, then one site (drawn per trainee)
 * without network for 30 minutes (the base-power-loss and site-network-loss faults); the trainee finds the site on
 * the bases' Home/Status and, once the line is back, reboots its bases so they fetch their configuration.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadExerciseFile } from '../../src/training/exercise-loader.ts';
import { drawVariables } from '../../src/training/exercise-variables.ts';
import { MINUTE } from '../support/lab.ts';
import { EXERCISES, type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { WebAdmin } from './technician.ts';

const SITE_BASES: Record<string, string[]> = { hq: ['0004F2A00011', '0004F2A00012'], warehouse: ['0004F2A00013'] };

describe('Troubleshooting exercise: the site that lost its network', () => {
  let world: ExerciseWorld | undefined;
  const admins = new Map<string, WebAdmin>();
  afterEach(async () => {
    for (const a of admins.values()) await a.close();
    admins.clear();
    await world?.close();
    world = undefined;
  });

  async function adminOf(mac: string): Promise<WebAdmin> {
    let admin = admins.get(mac);
    if (!admin) {
      admin = await WebAdmin.open(world!.lab, mac);
      await admin.changeFactoryPassword();
      admins.set(mac, admin);
    }
    return admin;
  }

  it('trainees get either site', () => {
    const loaded = loadExerciseFile(path.join(EXERCISES, 'troubleshoot-site-network.yaml'));
    expect(new Set([1, 2, 3, 4, 5, 6].map((seed) => drawVariables(loaded.exercise, seed)['site.id']))).toEqual(new Set(['hq', 'warehouse']));
  });

  it('the drawn site\'s bases show PRV-02 on Home/Status, the other site\'s do not; waiting out the outage without a reboot fails', async () => {
    world = await openExercise('troubleshoot-site-network.yaml', 1);
    const site = world.variables['site.id']!;
    await world.lab.clock.advance(5 * MINUTE);
    for (const mac of world.lab.bases.keys()) {
      const page = (await (await adminOf(mac)).get('')).body;
      if (SITE_BASES[site]!.includes(mac)) expect(page, mac).toContain('PRV-02');
      else expect(page, mac).not.toContain('PRV-0');
    }
    // The line comes back after 30 minutes; nobody reboots: the bases wait for their hourly check.
    await world.lab.clock.advance(26 * MINUTE);
    const grade = await world.grade([], { 'which-site': site === 'hq' ? 'Warehouse' : 'Head office', 'first-step': '1' });
    expect(outcome(grade)).toEqual([
      ['which-site', 'failed', 'Not done yet.'],
      ['first-step', 'failed', 'Not done yet.'],
      ['provisioned-again', 'failed', 'A base still cannot reach the provisioning service.'],
    ]);
    expect(failTexts(grade, 'first-step')).toEqual(['PRV-02 is not a wrong ConfigURL (that is PRV-01: the host is not found): the base gets no answer at all.']);
    expect(failTexts(grade, 'provisioned-again')).toEqual(['A base still shows a provisioning error on Home/Status.']);
  });

  it('a reboot while the line is still down gives PRV-02 again; a reboot once it is back provisions the site and every task passes', async () => {
    world = await openExercise('troubleshoot-site-network.yaml', 2);
    const site = world.variables['site.id']!;
    const bases = SITE_BASES[site]!;
    await world.lab.clock.advance(5 * MINUTE);
    const reboot = async () => {
      for (const mac of bases) expect((await (await adminOf(mac)).post('reboot', { action: 'reboot' })).statusCode).toBe(200);
      await world!.lab.clock.advanceUntil(() => bases.every((mac) => world!.lab.bases.get(mac)!.state === 'running'), 10 * MINUTE);
      await world!.lab.clock.advance(MINUTE);
    };
    await reboot();
    for (const mac of bases) expect((await (await adminOf(mac)).get('')).body, mac).toContain('PRV-02');

    await world.lab.clock.advance(25 * MINUTE);
    await reboot();
    const answers = { 'which-site': world.variables['site.name']!, 'first-step': 'Have the site\'s network connection checked (router, switch, cabling)' };
    const grade = await world.grade([], answers);
    expect(outcome(grade)).toEqual([
      ['which-site', 'passed', `Right: the ${world.variables['site.name']} bases (${world.variables['site.bases']}) report no response from the provisioning server.`],
      ['first-step', 'passed', 'Right: the base is configured correctly; it cannot reach the internet.'],
      ['provisioned-again', 'passed', 'Every base has its configuration from the provisioning service again.'],
    ]);
    expect(grade.score).toBe(50);
  });
});
