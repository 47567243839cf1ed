/**
 * A Teams administrator follows the guide in a real browser (Debian chromium through playwright-core): Teams devices
 * → Phones → Actions → Provision devices, Add a handset as "00" + IPEI (the base MAC is refused with the hint),
 * Generate verification code; then, for a device enrolled through the API (*55* is the SIP wiring's job), a user signs
 * in on the device login page with the pairing code typed in lower case. The lab clock is paused.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import { launchChromium } from '../support/browser.ts';
import { listenOnLoopback } from '../support/app.ts';
import { openTestLab } from '../support/lab.ts';

const HW = '000087654321';
const SCREENSHOTS = path.resolve('tmp');

describe('Teams admin center and device login page in a browser', () => {
  let lab: Lab;
  let tac: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    lab = await openTestLab();
    tac = await buildTeamsAdminCenter({ gateway: lab.teams });
    origin = `${await listenOnLoopback(tac)}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await tac?.close();
    await lab?.close();
  });

  it('adds a handset as "00" + IPEI after the base MAC is refused, and generates a verification code', async () => {
    await page.goto(`${origin}/devices/phones`);
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Provision devices' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Provision devices');

    await page.getByRole('link', { name: 'Add', exact: true }).click();
    await page.getByLabel('MAC address', { exact: true }).fill('00-04-F2-A0-00-01');
    await page.getByLabel('Location', { exact: true }).fill('Warehouse');
    await page.getByRole('button', { name: 'Apply' }).click();
    const hint = await page.locator('.pane .err').textContent();
    expect(hint).toContain('MAC address of a Rove base station');
    expect(hint).toContain('"00" followed by the handset\'s IPEI');

    await page.getByLabel('MAC address', { exact: true }).fill('00-00-87-65-43-21');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('[data-count="activation"]').textContent()).toBe('1');

    await page.getByRole('checkbox', { name: 'Select 00-00-87-65-43-21' }).check();
    await page.getByRole('button', { name: 'Generate verification code' }).click();
    const code = lab.teams.device(HW)?.verificationCode?.code;
    expect(code).toMatch(/^\d{6}$/);
    await expect.poll(() => page.locator(`[data-code="${HW}"]`).textContent()).toBe(code);
    expect(await page.getByRole('status').textContent()).toContain('The verification code is valid for 24 hours.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'teams-admin-center.png') });
  });

  it('signs a user in on the device login page with the pairing code from Sign in a user', async () => {
    expect(lab.teams.enroll(HW, lab.teams.device(HW)!.verificationCode!.code, 'EMEA').ok).toBe(true);
    await page.goto(`${origin}/devices/provision?tab=signin`);
    await page.getByRole('button', { name: 'Signed out' }).click();
    const code = (await page.locator('[data-pairing-code]').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{9}$/);
    expect(await page.locator('.pane').textContent()).toContain('https://microsoft.com/devicelogin');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'teams-sign-in-a-user.png') });

    await page.goto(`${origin}/devicelogin`);
    await page.getByLabel('Code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Pick an account');
    await page.getByRole('button', { name: /Megan Bowen/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Are you trying to sign in to Teams SIP devices gateway?');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('You have signed in to the Teams SIP devices gateway application on your device.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'teams-device-login.png') });
    expect(lab.teams.device(HW)).toMatchObject({ state: 'signedIn', user: { upn: 'megan.bowen@contoso.com' } });

    await page.goto(`${origin}/devices/sip`);
    expect(await page.getByRole('table', { name: 'SIP devices' }).textContent()).toContain('Megan Bowen');
  });
});
