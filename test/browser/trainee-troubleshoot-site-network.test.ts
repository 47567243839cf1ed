/**
 * A trainee completes the shipped troubleshoot-site-network.yaml in Chromium, in the trainee view of `rove-sim train`,
 * as a technician would, every step in the bases' web admins framed beside the task panel: the first login on each
 * base, then each base's Home/Status — the bases of one site (drawn per trainee) say *No response from provisioning
 * server* (PRV-02), the other site's have their configuration — the two questions answered, a reboot while the line
 * is still down (PRV-02 again), and once it is back (the lab clock is stepped past the provider's 30 minutes) the
 * site's bases rebooted from *System Management → Reboot*. The first Check, before the fix, fails the last task; the
 * last shows every task green and the full score. Written against what the pages show (Home/Status, the handsets'
 * screens), not how the outage is made.
 */
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { answerQuestion, traineeAfterFirstLogin, trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/troubleshoot-site-network.yaml');
const PASSWORD = 'Rollout2026';
const SITES = { 'Head office': ['0004F2A00011', '0004F2A00012'], Warehouse: ['0004F2A00013'] } as const;
const MACS = [...SITES['Head office'], ...SITES.Warehouse];

describe('A trainee completes "Troubleshooting: the site that lost its network" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back; the faults' power cut a moment ago, too.
  const session = trainingInChromium(EXERCISE, async (training) => {
    await labComesUp(training.room.lab);
    await training.room.lab.clock.advance(5 * MINUTE);
  });

  /** The base's Home/Status, in the frame: its ITSP Provisioning error code and message. */
  async function provisioning(page: Page, device: FrameLocator, mac: string) {
    await page.click(`#open-base-${mac}`);
    await device.getByRole('link', { name: 'Home/Status' }).click();
    await expect.poll(() => device.locator('#mac td').innerText()).toContain(mac.match(/../g)!.join(':'));
    return { code: (await device.locator('#provisioning-code td').innerText()).trim(), message: await device.locator('#provisioning-message td').innerText() };
  }

  /** System Management → Reboot → REBOOT on each of the bases. */
  async function reboot(page: Page, device: FrameLocator, macs: readonly string[]) {
    for (const mac of macs) {
      await page.click(`#open-base-${mac}`);
      await device.getByRole('link', { name: 'Reboot', exact: true }).click();
      await device.getByRole('button', { name: 'REBOOT', exact: true }).click();
      await expect.poll(() => device.locator('body').innerText()).toContain('REBOOT: the base is restarting now.');
    }
  }

  it('finds the site with PRV-02 on Home/Status, answers, reboots its bases once the line is back; Check: 50/50', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const site = training.room.variables['site.name'] as keyof typeof SITES;
    const down = SITES[site];

    // The first login on each base: the factory password, changed.
    const { page, device } = await traineeAfterFirstLogin(session, PASSWORD, MACS);

    // Check before anything is done: the last task fails, a base still showing its provisioning error.
    await page.click('#check');
    await page.waitForSelector('#task-provisioned-again.failed');
    expect(await page.textContent('#task-provisioned-again .result')).toBe('A base still cannot reach the provisioning service.');
    expect(await page.locator('#task-provisioned-again .details li').allTextContents()).toContain('A base still shows a provisioning error on Home/Status.');

    // Home/Status of every base: the drawn site's say PRV-02, the other site's have their configuration.
    for (const mac of MACS) {
      const shown = await provisioning(page, device, mac);
      if (down.includes(mac as never)) {
        expect(shown.code, mac).toBe('PRV-02');
        expect(shown.message, mac).toContain('No response from provisioning server');
      } else {
        expect(shown.code, mac).toBe('—');
      }
    }
    await answerQuestion(page, 'which-site', site);
    await answerQuestion(page, 'first-step', "Have the site's network connection checked (router, switch, cabling)");

    // A reboot while the line is still down (where the task says): the base gets no answer again.
    expect(await page.textContent('#task-provisioned-again .task-text')).toContain('System Management → Reboot');
    await reboot(page, device, down);
    await lab.clock.advanceUntil(() => down.every((mac) => lab.bases.get(mac)!.state === 'running'), 10 * MINUTE);
    await lab.clock.advance(MINUTE);
    for (const mac of down) expect((await provisioning(page, device, mac)).code, mac).toBe('PRV-02');
    expect(await page.getAttribute('#task-provisioned-again', 'class')).toBe('task failed');

    // The provider's 30 minutes are over (the bases' hourly check is not due yet): reboot the site's bases.
    await lab.clock.advance(30 * MINUTE);
    await reboot(page, device, down);
    const handsets = [...lab.handsets.values()];
    await lab.clock.advanceUntil(
      () => MACS.every((mac) => lab.bases.get(mac)!.state === 'running') && handsets.every((h) => h.state === 'in-service' && h.view().line?.state === 'OK'),
      10 * MINUTE,
    );
    await lab.clock.advance(MINUTE);
    for (const mac of MACS) {
      const shown = await provisioning(page, device, mac);
      expect(shown.code, mac).toBe('—');
      expect(shown.message, mac).toContain('Configuration applied');
      expect(await device.locator('#sip-lines tbody').innerText(), mac).toMatch(/\tOK\t/);
    }
    // Each handset's screen shows its number again.
    await page.click('#open-handsets');
    for (const h of handsets) expect(await device.locator('tr', { has: device.locator(`a[href*="${h.ipei}"]`) }).innerText(), h.ipei).toMatch(/\+1425555\d{4}/);

    await page.click('#check');
    for (const task of ['which-site', 'first-step', 'provisioned-again']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    expect(await page.textContent('#task-provisioned-again .result')).toBe('Every base has its configuration from the provisioning service again.');
    await expect.poll(() => page.textContent('#score')).toBe('50/50');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 3 of 3 tasks passed\.$/);
  });
});

