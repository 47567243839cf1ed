/**
 * A trainee completes the shipped first-login-and-firmware.yaml in Chromium, in the trainee view of `rove-sim train`,
 * as a technician would: the forced change of the factory password and the guide's Auto Firmware Update values in
 * the base's web admin framed beside the task panel, then the base updates itself (the lab clock is stepped); Check
 * shows every task green and the full score.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../support/lab.ts';
import { trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/first-login-and-firmware.yaml');
const MAC = '0004F2A00001';
const PASSWORD = 'Rollout2026';

describe('A trainee completes "First login and firmware update" in Chromium', () => {
  const session = trainingInChromium(EXERCISE, (training) => training.room.lab.clock.advance(2 * MINUTE)); // the base boots (90 s) first

  it('changes the password and sets up Auto Firmware Update in the framed web admin; the base updates; Check: 50/50', async () => {
    const { training } = session;
    // 1. The factory login: the base insists on a new password before anything else.
    const first = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
    let page = await first.newPage();
    await page.goto(training.url);
    let device = page.frameLocator('#device');
    await device.locator('#newPassword').fill(PASSWORD);
    await device.locator('#confirmPassword').fill(PASSWORD);
    await device.locator('button:has-text("Change password")').click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Password changed.');
    await first.close();

    // 2. Logged in with the new password: System Management → Auto provisioning, the guide's values.
    const trainee = await session.newContext({ httpCredentials: { username: 'admin', password: PASSWORD }, viewport: { width: 1400, height: 900 } });
    page = await trainee.newPage();
    await page.goto(training.url);
    await page.waitForSelector('#task-login.passed');
    device = page.frameLocator('#device');
    await device.getByRole('link', { name: 'Auto provisioning' }).click();
    const firmware = device.locator('#section-auto-firmware-update');
    await firmware.getByLabel('FirmwareServer', { exact: true }).fill('http://downloads.polycom.com/');
    await firmware.getByLabel('FirmwarePath', { exact: true }).fill('/voice/dect-ip-phones/Rove/');
    await firmware.getByLabel('Method', { exact: true }).selectOption('Periodically');
    await firmware.getByLabel('Interval', { exact: true }).fill('30');
    const versions = device.locator('#section-firmware-versions');
    for (const [label, value] of [
      ['BaseFWVersion', '8003'],
      ['BaseFwBranch', '0009'],
      ['Rove30FwVersion', '8003'],
      ['Rove30FwBranch', '0009'],
      ['Rove40FwVersion', '8003'],
      ['Rove40FwBranch', '0009'],
    ] as const) {
      await versions.getByLabel(label, { exact: true }).fill(value);
    }
    await device.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Settings saved');
    await page.waitForSelector('#task-firmware-settings.passed');

    // 3. The base fetches the image, installs it and reboots: the lab clock is stepped, not waited for.
    const lab = training.room.lab;
    const base = lab.bases.get(MAC)!;
    expect(await lab.clock.advanceUntil(() => base.flash.firmware === '8.0.3.0009' && base.state === 'running', 30 * MINUTE)).toBe(true);
    await device.getByRole('link', { name: 'Home/Status' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('8.0.3.0009');

    await page.click('#check');
    await page.waitForSelector('#task-firmware-installed.passed');
    await expect.poll(() => page.textContent('#score')).toBe('50/50');
    for (const task of ['login', 'firmware-settings', 'firmware-installed']) expect(await page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 3 of 3 tasks passed\.$/);
  });
});
