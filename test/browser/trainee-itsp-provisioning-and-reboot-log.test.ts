/**
 * A trainee completes the shipped itsp-provisioning-and-reboot-log.yaml in Chromium, in the trainee view of
 * `rove-sim train`, as a technician would (the guide's "Configuration" step, seed 000), every step in the base's web
 * admin framed beside the task panel: the first login, *System Management → WAN settings* with the site's time zone,
 * *Auto provisioning → ITSP Provisioning* with the Teams provisioning service of the trainee's region (both drawn per
 * trainee), then the three reboots followed on *Home/Status* (the lab clock is stepped) and read in its reboot log.
 * The first Check, before anything is done, fails with the drawn values named; the last shows every task green and
 * the full score.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { traineeAfterFirstLogin, trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/itsp-provisioning-and-reboot-log.yaml');
const PASSWORD = 'Rollout2026';

describe('A trainee completes "ITSP provisioning and the reboot log" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back before the trainee starts.
  const session = trainingInChromium(EXERCISE, (training) => labComesUp(training.room.lab));

  it('sets the time zone and ITSP provisioning in the framed web admin, follows the three reboots on Home/Status; Check: 50/50', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const region = training.room.variables['region']!;
    const timeZone = training.room.variables['timeZone']!;
    const [mac] = [...lab.bases.keys()];
    const base = lab.bases.get(mac!)!;

    // The factory login: the base insists on a new password before anything else.
    const { page, device } = await traineeAfterFirstLogin(session, PASSWORD);

    // Check before anything is done: the two settings tasks fail, naming the trainee's time zone and region.
    await page.click('#check');
    await page.waitForSelector('#task-itsp-settings.failed');
    expect(await page.textContent('#task-time-zone .result')).toBe(`The base's time zone is not the site's (${timeZone}).`);
    expect(await page.textContent('#task-itsp-settings .result')).toBe(`ITSP provisioning is not set up for the ${region} Teams provisioning service.`);
    expect(await page.locator('#task-itsp-settings .details li').allTextContents()).toEqual([
      'ITSP provisioning does not run periodically every 3600 s from a ConfigURL (Method, Interval, ProvisioningOption).',
      `The ConfigURL is not the ${region} Teams provisioning service's, with 00\${IPEI}.cfg as the file name.`,
    ]);

    // System Management → WAN settings: the site's time zone.
    await device.getByRole('link', { name: 'WAN settings' }).click();
    await device.getByLabel('Time Zone', { exact: true }).selectOption(timeZone);
    await device.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Settings saved');
    await page.waitForSelector('#task-time-zone.passed');

    // System Management → Auto provisioning, section ITSP Provisioning: the guide's values for the region.
    await device.getByRole('link', { name: 'Auto provisioning' }).click();
    const itsp = device.locator('#section-itsp-provisioning');
    await itsp.getByLabel('Method', { exact: true }).selectOption('Periodically');
    await itsp.getByLabel('Interval', { exact: true }).fill('3600');
    await itsp.getByLabel('ProvisioningOption', { exact: true }).selectOption('ConfigURL');
    await itsp.getByLabel('ConfigURL', { exact: true }).fill(`http://${region}.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg`);
    await device.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Settings saved');
    expect(await device.locator('body').innerText()).toContain('The new ITSP provisioning settings take effect over 3 reboots of the base');
    await page.waitForSelector('#task-itsp-settings.passed');

    // The three reboots: the lab clock is stepped until the base is up with none still owed, then Home/Status.
    expect(await lab.clock.advanceUntil(() => base.state === 'running' && base.status().pendingProvisioningReboots === 0, 60 * MINUTE)).toBe(true);
    await lab.clock.advance(MINUTE);
    await device.getByRole('link', { name: 'Home/Status' }).click();
    await expect.poll(() => device.locator('#pending-provisioning-reboots td').innerText()).toBe('0');
    const log = await device.locator('#reboot-log tbody tr').allInnerTexts();
    expect(log.filter((r) => r.includes('applying new provisioning settings'))).toHaveLength(3);
    expect(await device.locator('body').innerText()).toContain('ITSP provisioning: applying new provisioning settings (reboot 3 of 3)');

    await page.click('#check');
    for (const task of ['time-zone', 'itsp-settings', 'three-reboots']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    expect(await page.textContent('#task-three-reboots .result')).toBe('The DECT server rebooted three times, as the guide says, and is configured.');
    await expect.poll(() => page.textContent('#score')).toBe('50/50');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 3 of 3 tasks passed\.$/);
  });
});
