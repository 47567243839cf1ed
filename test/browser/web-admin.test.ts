/**
 * A technician in a real browser (Debian chromium through playwright-core) follows the guide on the simulated base:
 * first login with admin / admin, the forced password change, System Management → Auto provisioning with the guide's
 * values, and Home/Status while the base downloads 8.0.3.0009, reboots and reports it.
 *
 * The server is real (a port on 127.0.0.1); the lab clock is paused and moved by the test, so the base's reboots
 * happen when the story needs them, not after real minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { launchChromium } from '../support/browser.ts';
import { listenOnLoopback } from '../support/app.ts';
import { openTestLab } from '../support/lab.ts';

const MINUTE = 60_000;
const MAC = '0004F2A00001';
const NEW_PASSWORD = 'Rollout2026';
const SCREENSHOT = path.resolve('tmp/web-admin-auto-provisioning.png');

describe('A technician configures the base in a browser, as the guide says', () => {
  let dir: string;
  let lab: Lab;
  let app: FastifyInstance;
  let browser: Browser;
  let webAdmin: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-web-admin-'));
    lab = await openTestLab({ file: path.join(dir, 'lab.db') });
    const base = lab.getBase(MAC)!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    app = await buildApp({ lab });
    webAdmin = `${await listenOnLoopback(app)}/bases/${MAC}/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = (page: Page) => page.locator('body').innerText();

  it('without credentials the base answers 401', async () => {
    const context = await browser.newContext();
    const res = await context.request.get(webAdmin);
    expect(res.status()).toBe(401);
    expect(res.headers()['www-authenticate']).toContain(`realm="Rove B4 ${MAC}"`);
    await context.close();
  });

  it('the first login with admin / admin leads to the password change; a weak password is refused', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
    const page = await context.newPage();
    await page.goto(webAdmin);
    expect(page.url()).toBe(`${webAdmin}change-password`);
    expect(await text(page)).toContain('The factory password must be changed before the base can be configured.');

    await page.getByLabel('New password').fill('admin2026');
    await page.getByLabel('Confirm password').fill('admin2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await text(page)).toContain('The password must not be "admin" or "admin" followed by digits.');

    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('Confirm password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await text(page)).toContain('Password changed.');

    // The old password no longer opens the web admin.
    expect((await context.request.get(webAdmin)).status()).toBe(401);
    await context.close();
  });

  it("enters the guide's Auto provisioning values and watches the base update to 8.0.3.0009", async () => {
    const base = lab.getBase(MAC)!;
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: NEW_PASSWORD } });
    const page = await context.newPage();
    await page.goto(webAdmin);
    expect(await text(page)).toContain('Firmware version\t8.0.0.0402');

    await page.getByRole('link', { name: 'Auto provisioning' }).click();
    expect(await page.locator('h1').innerText()).toBe('System Management → Auto provisioning');

    const firmware = page.locator('#section-auto-firmware-update');
    await firmware.getByLabel('FirmwareServer', { exact: true }).fill('http://downloads.polycom.com/');
    await firmware.getByLabel('FirmwarePath', { exact: true }).fill('/voice/dect-ip-phones/Rove/');
    await firmware.getByLabel('Method', { exact: true }).selectOption('Periodically');
    await firmware.getByLabel('Interval', { exact: true }).fill('30');

    const versions = page.locator('#section-firmware-versions');
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

    const itsp = page.locator('#section-itsp-provisioning');
    await itsp.getByLabel('Method', { exact: true }).selectOption('Periodically');
    await itsp.getByLabel('Interval', { exact: true }).fill('3600');
    await itsp.getByLabel('ProvisioningOption', { exact: true }).selectOption('ConfigURL');
    await itsp.getByLabel('ConfigURL', { exact: true }).fill('http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg');

    await page.getByRole('button', { name: 'Save' }).click();
    const saved = await text(page);
    expect(saved).toContain('Settings saved');
    expect(saved).toContain('The new ITSP provisioning settings take effect over 3 reboots of the base');
    expect(await firmware.getByLabel('FirmwareServer', { exact: true }).inputValue()).toBe('http://downloads.polycom.com/');
    expect(await itsp.getByLabel('ConfigURL', { exact: true }).inputValue()).toBe('http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Seed 000: "the DECT server rebooted three times" after the ConfigURL change; then the firmware check finds
    // 8.0.3.0009 on the server.
    await lab.clock.advanceUntil(() => base.status().firmwareUpdate.phase === 'downloading', 30 * MINUTE);
    await page.getByRole('link', { name: 'Home/Status' }).click();
    const downloading = await text(page);
    expect(downloading).toContain('Downloading 8.0.3.0009');
    expect(downloading).toContain('Pending provisioning reboots\t0');

    await lab.clock.advanceUntil(() => base.state === 'rebooting', 10 * MINUTE);
    const down = await page.reload();
    expect(down?.status()).toBe(503);
    expect(await text(page)).toContain('is not reachable: it is rebooting');

    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    await page.reload();
    const after = await text(page);
    expect(after).toContain('Firmware version\t8.0.3.0009');
    expect(after).toContain('Reboots\t4');
    expect(after).toContain('Firmware update 8.0.0.0402 → 8.0.3.0009');
    expect(after).toContain('ITSP provisioning: applying new provisioning settings (reboot 3 of 3)');
    expect(await page.locator('.topbar').innerText()).toContain('8.0.3.0009');
    await context.close();
  });
});
