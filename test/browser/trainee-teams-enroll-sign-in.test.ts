/**
 * A trainee completes the shipped teams-enroll-sign-in.yaml in Chromium, in the trainee view of `rove-sim train`, as
 * a technician would, every step in the device frame beside the task panel: the Teams admin center (Provision devices
 * → Add "00" + IPEI → Generate verification code), the handset's page (`*55*<code>` + green, then the Sign in soft
 * key and its pairing code), the device login page (the code, the trainee's user, Continue); the base reboots once
 * (the lab clock is stepped). Check shows every task green and the full score.
 */
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatHardwareId, hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/teams-enroll-sign-in.yaml');

describe('A trainee completes "Teams enrollment with *55* and sign-in" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back before the trainee starts.
  const session = trainingInChromium(EXERCISE, (training) => labComesUp(training.room.lab));

  const screen = (device: FrameLocator) => device.locator('#lines').innerText();
  async function press(device: FrameLocator, keys: string[]) {
    for (const key of keys) await device.locator(`button[data-key="${key}"]`).click();
  }

  it('admin center → *55*<code> → Sign in → device login page, all in the frame; the reboot; Check: 60/60', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const user = training.room.variables['user']!;
    const name = user.split('@')[0]!.split('.').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
    const handset = [...lab.handsets.values()].find((h) => h.view().baseMac !== null)!;
    const hw = hardwareIdForIpei(handset.ipei);
    const mac = formatHardwareId(hw);
    // The base's web admin (the first tab) asks for its login: the factory one, as the scenario left it.
    const context = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' }, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(training.url);
    const device = page.frameLocator('#device');

    // The Teams admin center: Teams devices → Phones → Actions → Provision devices → Add → Generate verification code.
    await page.click('#open-teams');
    await device.getByRole('link', { name: 'Phones' }).first().click();
    await device.locator('summary', { hasText: 'Actions' }).click();
    await device.getByRole('menuitem', { name: 'Provision devices' }).click();
    await device.getByRole('link', { name: 'Add', exact: true }).click();
    await device.getByLabel('MAC address', { exact: true }).fill(mac);
    await device.getByLabel('Location', { exact: true }).fill('Head office');
    await device.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => device.locator('[data-count="activation"]').textContent()).not.toBe('0');
    await page.waitForSelector('#task-provision.passed');
    await device.getByRole('checkbox', { name: `Select ${mac}` }).check();
    await device.getByRole('button', { name: 'Generate verification code' }).click();
    const code = (await device.locator(`[data-code="${hw}"]`).textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);

    // The handset's page: *55*<code> and green; three busy tones; then the Sign in soft key shows the pairing code.
    await page.click('#open-handsets');
    await device.locator(`a[href*="${handset.ipei}"]`).first().click();
    await device.locator('#conn.ok').waitFor();
    await press(device, [...`*55*${code}`, 'green']);
    await lab.clock.advanceUntil(() => handset.view().tones.some((t) => t.tone === 'three-busy'), MINUTE);
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    await expect.poll(() => screen(device)).toContain('Sign in');
    await page.waitForSelector('#task-enroll.passed');
    await press(device, ['soft2']);
    await expect.poll(() => screen(device)).toContain('Code: ');
    const pairing = /Code: ([A-Z0-9]{9})/.exec(await screen(device))?.[1];
    expect(pairing).toMatch(/^[A-Z0-9]{9}$/);

    // The device login page: the code, the trainee's user, Continue.
    await page.click('#open-device-login');
    await device.getByLabel('Code').fill(pairing!.toLowerCase());
    await device.getByRole('button', { name: 'Next' }).click();
    await device.getByRole('button', { name: new RegExp(name) }).click();
    await device.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => device.locator('[role="status"]').innerText()).toContain('You have signed in to the Teams SIP devices gateway application on your device.');

    // The base reboots once for the new configuration; the handset comes back with the user's number.
    await lab.clock.advanceUntil(() => handset.state === 'in-service' && handset.view().line?.state === 'OK' && /\+1425555/.test(handset.record.line ?? ''), 30 * MINUTE);
    await lab.clock.advance(MINUTE);

    await page.click('#check');
    await page.waitForSelector('#task-reboot-after-sign-in.passed');
    for (const task of ['provision', 'enroll', 'sign-in', 'reboot-after-sign-in']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    await expect.poll(() => page.textContent('#score')).toBe('60/60');
  });
});
