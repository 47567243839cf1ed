/**
 * A trainee starts `rove-sim train` on the shipped first-login-and-firmware.yaml and works in Chromium: the trainee
 * view shows the briefing, the tasks pending, the time and the score, with the base's web admin framed beside the
 * panel. The trainee does the first task on the device page (the forced change of the factory password), presses
 * Check and sees it pass and the score change, with the fail text of the next task; then asks for that task's hint,
 * confirms it, and reads it — the device page beside the panel stays where it was all along. The next task, done,
 * turns green within a poll, without Check.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE } from '../support/lab.ts';
import { trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/first-login-and-firmware.yaml');

describe('A trainee with rove-sim train, in Chromium', () => {
  // The base boots (90 s) before its web admin answers.
  const session = trainingInChromium(EXERCISE, (training) => training.room.lab.clock.advance(2 * MINUTE));

  it('does the first task on the device page beside the panel, presses Check and sees it pass and the score change', async () => {
    const { training } = session;
    const context = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
    const page = await context.newPage();
    await page.goto(training.url);
    expect(await page.textContent('#training h1')).toBe('First login and firmware update');
    expect(await page.textContent('.briefing strong')).toBe('8.0.0.0402');
    expect(await page.getAttribute('#task-login', 'class')).toBe('task pending');
    expect(await page.textContent('#score')).toBe('0/50');
    expect(await page.textContent('#time-left')).toBe('28:00 left');

    // The base's web admin, beside the panel: the base insists on a new password first.
    const device = page.frameLocator('#device');
    await device.locator('#newPassword').fill('Rollout2026');
    await device.locator('#confirmPassword').fill('Rollout2026');
    await device.locator('button:has-text("Change password")').click();
    await device.locator('body').waitFor();

    await page.click('#check');
    await page.waitForSelector('#task-login.passed');
    await expect.poll(() => page.textContent('#score')).toBe('10/50');
    expect(await page.textContent('#task-login .state')).toBe('Passed');
    expect(await page.textContent('#task-login .result')).toBe('The base no longer takes the factory password.');
    // Done: its hint is no longer offered (it would only cost points).
    expect(await page.locator('#task-login .hint-offer').count()).toBe(0);
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 1 of 3 tasks passed\.$/);
    await page.waitForSelector('#task-firmware-settings.failed');
    expect(await page.textContent('#task-firmware-settings .result')).toBe('Auto Firmware Update is not set up as the rollout guide says.');
    expect(await page.locator('#task-firmware-settings .details li').count()).toBe(4);

    // A hint, confirmed first; it costs the task's points, not the score now.
    await page.click('#task-firmware-settings summary');
    expect(await page.textContent('#task-firmware-settings .hint-form p')).toBe("The hint costs 10 of this task's 20 points, even if you pass the task later. Show it?");
    await page.click('#task-firmware-settings .show-hint');
    await page.waitForSelector('#task-firmware-settings [data-hint-text]');
    expect(await page.textContent('#task-firmware-settings [data-hint-text] span')).toContain('FirmwareServer http://downloads.polycom.com/');
    expect(await page.locator('#task-firmware-settings .hint-offer').count()).toBe(0);
    expect(await page.textContent('#score')).toBe('10/50');

    // Check and the hint were sent in the background: the frame still shows the base's page, the trainee view its own.
    expect(page.url()).toBe(training.url);
    const frame = page.frames().find((f) => f.url().startsWith(training.room.urls.bases[0]!.url));
    expect(frame, 'the base web admin is still in the frame').toBeDefined();
    expect(await page.isVisible('#view-problem')).toBe(false);

    // Live: the next task done (here straight on the base: the control API is closed to trainees), the panel shows it
    // within a poll, without Check.
    expect((await context.request.post(`${training.room.urls.main}api/bases/0004F2A00001/settings`, { data: GUIDE_FIRMWARE_SETTINGS })).status()).toBe(403);
    training.room.lab.bases.get('0004F2A00001')!.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    await page.waitForSelector('#task-firmware-settings.passed');
    await expect.poll(() => page.textContent('#score')).toBe('20/50');
    expect(await page.textContent('#task-firmware-settings .points')).toBe('10/20');
    expect(await page.locator('#task-firmware-settings .details li').count()).toBe(0);
  });
});
