/**
 * A trainee completes the shipped troubleshoot-expired-code.yaml in Chromium, in the trainee view of `rove-sim train`,
 * as a technician would, every step in the device frame beside the task panel: the Teams admin center's Provision
 * devices shows which handset (drawn per trainee) is still waiting on activation and that its code has expired; the
 * trainee answers the two questions, generates a new verification code there and dials `*55*<code>` and green on
 * that handset's page. The first Check, before the fix, names the handset; the last shows every task green and the
 * full score. The lab clock is stepped.
 */
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { answerQuestion, trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/troubleshoot-expired-code.yaml');

describe('A trainee completes "Troubleshooting: the handset that would not enroll" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back before the trainee starts.
  const session = trainingInChromium(EXERCISE, (training) => labComesUp(training.room.lab));

  const screen = (device: FrameLocator) => device.locator('#lines').innerText();
  async function press(device: FrameLocator, keys: string[]) {
    for (const key of keys) await device.locator(`button[data-key="${key}"]`).click();
  }

  it('finds the handset waiting on activation with an expired code, answers, enrolls it with a new code; Check: 50/50', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const context = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' }, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(training.url);
    const device = page.frameLocator('#device');

    // Check before anything is done: the task names the handset still waiting on activation.
    const late = { place: training.room.variables['late.place']!, hw: training.room.variables['late.hw']! };
    await page.click('#check');
    await page.waitForSelector('#task-enroll-again.failed');
    expect(await page.textContent('#task-enroll-again .result')).toBe('Not every handset is enrolled.');
    expect(await page.locator('#task-enroll-again .details li').allTextContents()).toEqual([
      `The ${late.place} handset (${late.hw}) is still under Waiting on activation.`,
      'Not all three handsets are under Waiting for sign in.',
    ]);

    // The Teams admin center: Teams devices → Phones → Actions → Provision devices. One device is still waiting on
    // activation, its verification code expired.
    await page.click('#open-teams');
    await device.getByRole('link', { name: 'Phones' }).first().click();
    await device.locator('summary', { hasText: 'Actions' }).click();
    await device.getByRole('menuitem', { name: 'Provision devices' }).click();
    await expect.poll(() => device.locator('[data-count="activation"]').textContent()).toBe('1');
    const waiting = device.getByRole('table', { name: 'Waiting on activation' }).locator('tbody tr');
    expect(await waiting.count()).toBe(1);
    const row = await waiting.innerText();
    expect(row).toContain(late.hw);
    expect(row).toContain('Expired');

    // Which handset has that hardware id ("00" + IPEI): the handsets' page lists each IPEI with its screen.
    await page.click('#open-handsets');
    const ipei = late.hw.replaceAll('-', '').slice(2);
    const handsetRow = device.locator('tr', { has: device.locator(`a[href*="${ipei}"]`) });
    expect(await handsetRow.innerText()).toContain(late.place);
    await answerQuestion(page, 'which-handset', late.place);
    await answerQuestion(page, 'why-refused', 'The verification code had expired (it is valid for 24 hours)');

    // Back in the admin center: select it → Generate verification code.
    await page.click('#open-teams');
    await device.getByRole('link', { name: 'Phones' }).first().click();
    await device.locator('summary', { hasText: 'Actions' }).click();
    await device.getByRole('menuitem', { name: 'Provision devices' }).click();
    await device.getByRole('checkbox', { name: `Select ${late.hw}` }).check();
    await device.getByRole('button', { name: 'Generate verification code' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('The verification code is valid for 24 hours.');
    const hw = hardwareIdForIpei(ipei);
    const code = (await device.locator(`[data-code="${hw}"]`).textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);

    // The handset's page: *55*<code> and green; three busy tones, and the Sign in soft key once it is enrolled.
    await page.click('#open-handsets');
    await device.locator(`a[href*="${ipei}"]`).first().click();
    await device.locator('#conn.ok').waitFor();
    const handset = lab.getHandset(ipei)!;
    await press(device, [...`*55*${code}`, 'green']);
    await lab.clock.advanceUntil(() => handset.view().tones.some((t) => t.tone === 'three-busy'), MINUTE);
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    await expect.poll(() => screen(device)).toContain('Sign in');
    await page.waitForSelector('#task-enroll-again.passed');

    await page.click('#check');
    for (const task of ['which-handset', 'why-refused', 'enroll-again']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    expect(await page.textContent('#task-enroll-again .result')).toBe('All three handsets are enrolled and wait for their users.');
    await expect.poll(() => page.textContent('#score')).toBe('50/50');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 3 of 3 tasks passed\.$/);
  });
});
