/**
 * A trainee completes the shipped register-handset.yaml in Chromium, in the trainee view of `rove-sim train`, as a
 * technician would: *Register* on a free slot in the base's web admin framed beside the task panel, then the
 * handset's keys on its page (Menu → Settings → Connectivity → Register, the access code) in the same frame — twice
 * with the factory code, then the site's access code saved on *Specific Handsets* and a third handset registered with
 * it — answers the question, presses Check and sees every task green and the full score. The lab clock is stepped.
 */
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../support/lab.ts';
import { trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/register-handset.yaml');
const MAC = '0004F2A00001';
const PASSWORD = 'Rollout2026';

describe('A trainee completes "Registering handsets" in Chromium', () => {
  const session = trainingInChromium(EXERCISE, (training) => training.room.lab.clock.advance(2 * MINUTE));

  const screen = (device: FrameLocator) => device.locator('#lines').innerText();
  async function press(device: FrameLocator, ...keys: string[]) {
    for (const key of keys) {
      const before = await screen(device);
      await device.locator(`button[data-key="${key}"]`).click();
      // Each key changes the screen (or only clicks): wait for the console to show it before the next one.
      await expect.poll(() => screen(device), { timeout: 2_000 }).not.toBe(before).catch(() => undefined);
    }
  }

  it('registers three handsets through the framed pages and keys, the third with the site code; Check: every task green', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const first = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
    let page = await first.newPage();
    await page.goto(training.url);
    let device = page.frameLocator('#device');
    await device.locator('#newPassword').fill(PASSWORD);
    await device.locator('#confirmPassword').fill(PASSWORD);
    await device.locator('button:has-text("Change password")').click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Password changed.');
    await first.close();

    const trainee = await session.newContext({ httpCredentials: { username: 'admin', password: PASSWORD }, viewport: { width: 1400, height: 900 } });
    page = await trainee.newPage();
    await page.goto(training.url);
    device = page.frameLocator('#device');
    const code = String(training.room.variables['accessCode']);
    expect(code).toMatch(/^\d{4}$/);

    const register = async (slot: number, ipei: string, accessCode: string) => {
      // The base: DECT → Specific Handsets, Register on the slot.
      await page.click(`#open-base-${MAC}`);
      await device.getByRole('link', { name: 'Specific Handsets' }).click();
      await device.locator(`button[name=slot][value="${slot}"]`).click();
      await expect.poll(() => device.locator('#registration-window').innerText()).toContain(`Registration window open for slot ${slot}`);
      // The handset: its page in the same frame, its keys.
      await page.click('#open-handsets');
      await device.locator(`a[href*="${ipei}"]`).first().click();
      await device.locator('#conn.ok').waitFor();
      const handset = lab.getHandset(ipei)!;
      await press(device, 'menu', 'down', 'down', 'ok', 'down', 'ok', 'ok');
      await lab.clock.advanceUntil(() => handset.view().screen === 'choosing-base', MINUTE);
      await expect.poll(() => screen(device)).not.toContain('Searching');
      await press(device, 'ok', ...accessCode.split(''), 'ok');
      await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);
      await lab.clock.advance(MINUTE);
      await expect.poll(() => screen(device)).toContain(`Handset ${slot}`);
    };

    const [one, two, three] = [...lab.handsets.keys()];
    await register(1, one!, '0000');
    await register(2, two!, '0000');
    await page.waitForSelector('#task-second-handset.passed');

    // The site's access code on Specific Handsets, then the third handset with it.
    await page.click(`#open-base-${MAC}`);
    await device.getByRole('link', { name: 'Specific Handsets' }).click();
    await device.getByLabel('Access Code', { exact: true }).fill(code);
    await device.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Settings saved');
    await register(3, three!, code);

    // The question, answered in the panel (final: confirmed).
    const form = page.locator('#task-closed-window form.answer-form');
    await form.locator('input[name=answer][value="2"]').check();
    page.once('dialog', (d) => void d.accept());
    await form.locator('button').click();
    await expect.poll(() => form.locator('[data-answer]').textContent()).toContain('Your answer:');

    await page.click('#check');
    await page.waitForSelector('#task-site-access-code.passed');
    for (const task of ['first-handset', 'second-handset', 'site-access-code', 'closed-window']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    await expect.poll(() => page.textContent('#score')).toBe('60/60');
  });
});
