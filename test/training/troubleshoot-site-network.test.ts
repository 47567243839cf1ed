/**
 * Exercise (i), fixtures/exercises/troubleshoot-site-network.yaml: a power cut, then one site (drawn per trainee)
 * without network for 30 minutes (the base-power-loss and site-network-loss faults); the trainee finds the site on
 * the bases' Home/Status and, once the line is back, reboots its bases so they fetch their configuration.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { faultsOf, restoreFaults } from '../../src/live/faults/fault-board.ts';
import { checkLabFile } from '../../src/training/check-command.ts';
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
    // Their Teams lines cannot reach the Teams SIP Gateway either (the bases booted without network); the other
    // site's are registered.
    for (const handset of world.lab.handsets.values()) {
      const mac = handset.record.subscription?.baseMac ?? '';
      const line = handset.view().line;
      if (SITE_BASES[site]!.includes(mac)) expect(line, handset.ipei).toMatchObject({ state: 'Error', reason: expect.stringContaining('Cannot reach the SIP server: no route to host') });
      else expect(line?.state, handset.ipei).toBe('OK');
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
    // The site's lines could not reach their registrar either: they are still waiting for their next retry.
    expect(failTexts(grade, 'provisioned-again')).toEqual(['A base still shows a provisioning error on Home/Status.', 'Not every handset is in service with its line.']);
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

  /** `rove-sim check` on the trainee's lab file, with the trainee's two answers. */
  async function check(seed: number) {
    const out: string[] = [];
    const answers = [`which-site=${world!.variables['site.name']}`, 'first-step=3'];
    const r = await checkLabFile(path.join(EXERCISES, 'troubleshoot-site-network.yaml'), world!.file, { seed, answers }, { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { exitCode: r.exitCode, out };
  }

  it('rove-sim check on a lab saved while the site is still down fails the last task; saved once the trainee fixed it, it passes', async () => {
    world = await openExercise('troubleshoot-site-network.yaml', 2);
    const site = world.variables['site.id']!;
    const bases = SITE_BASES[site]!;
    await world.lab.clock.advance(5 * MINUTE);
    // The trainee stops the simulator here: the router is still down, and the lab file says so.
    const router = faultsOf(world.lab).list().find((f) => f.id === 'router')!;
    expect(router).toMatchObject({ type: 'site-network-loss', site });
    for (const a of admins.values()) await a.close();
    admins.clear();
    await world.closeLab();
    const down = await check(2);
    expect(down.exitCode).toBe(1);
    expect(down.out).toContain('✗ 3. The site\'s bases provisioned again — 0/30');
    expect(down.out).toContain('    A base still cannot reach the provisioning service.');
    expect(down.out.find((l) => l.startsWith('    - '))).toMatch(/^    - A base still shows a provisioning error on Home\/Status\. .*0004F2A00011: error PRV-02; 0004F2A00012: error PRV-02\)$/);

    // Started again on the same file, as `rove-sim train` does: the router is still down, for what is left of its
    // 30 minutes; the trainee waits for the line, then reboots the site's bases.
    const lab = await Lab.open({ file: world.file, clock: new VirtualClock({ start: world.lab.clock.now(), paused: true }), seedDefaultLab: false });
    try {
      restoreFaults(lab);
      expect(faultsOf(lab).list()).toEqual([router]);
      await lab.clock.advanceUntil(() => faultsOf(lab).list().length === 0, 30 * MINUTE);
      expect(lab.clock.now()).toBe(router.until);
      for (const mac of bases) {
        const admin = await WebAdmin.open(lab, mac);
        await lab.clock.advanceUntil(() => lab.bases.get(mac)!.state === 'running', 10 * MINUTE);
        await admin.changeFactoryPassword();
        expect((await admin.post('reboot', { action: 'reboot' })).statusCode).toBe(200);
        await admin.close();
      }
      await lab.clock.advanceUntil(() => bases.every((mac) => lab.bases.get(mac)!.state === 'running'), 10 * MINUTE);
      await lab.clock.advance(MINUTE);
    } finally {
      await lab.close();
    }
    const fixed = await check(2);
    expect(fixed.out.at(-1)).toBe('Score: 50/50 (3 of 3 tasks passed)');
    expect(fixed.exitCode).toBe(0);
  });
});
