/**
 * The bulk sign-in tool in a real browser (Debian chromium through playwright-core): an administrator opens Teams
 * devices → Bulk sign-in, copies the provisioning URL with the tenant id, chooses a CSV of twelve handsets with planted
 * mistakes, runs Bulk Sign In; as the lab clock moves the rows turn green or red with the service's error, and
 * Export saves the results.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import { openTestLab } from '../support/lab.ts';
import { addCapUser, csv, csvId, readyDevice, TENANT } from '../cloud/teams/bulk/bulk-support.ts';
import { listenOnLoopback } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

const SCREENSHOTS = path.resolve('tmp');

describe('The bulk sign-in tool in a browser', () => {
  let lab: Lab;
  let tac: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    lab = await openTestLab();
    lab.teams.setBulkSignIn('Enabled');
    tac = await buildTeamsAdminCenter({ gateway: lab.teams });
    origin = `${await listenOnLoopback(tac)}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  });

  afterAll(async () => {
    await browser?.close();
    await tac?.close();
    await lab?.close();
  });

  it('prints the provisioning URLs with the tenant id on load', async () => {
    await page.goto(`${origin}/devices/bulk-sign-in`);
    expect(await page.locator('h1').textContent()).toBe('Bulk sign-in');
    expect(await page.locator('[data-provisioning-url="EMEA"]').textContent()).toBe(`http://emea.ipp.sdg.teams.microsoft.com/tenantid/${TENANT}/00\${IPEI}.cfg`);
  });

  it('refuses a file with a bad hardware id, naming the line', async () => {
    await page.locator('#csv-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv([['cap1@contoso.com', '0011110001']])) });
    await expect.poll(() => page.locator('#message').textContent()).toContain('line 2: HardwareId "0011110001" is not of the form xx-xx-xx-xx-xx-xx');
    expect(await page.getByRole('button', { name: 'Bulk Sign In' }).isDisabled()).toBe(true);
  });

  it('signs in the good rows: green, the planted mistakes red with the error; Export saves the results', async () => {
    const rows: Array<[string, string]> = [];
    for (let n = 1; n <= 12; n++) {
      const upn = addCapUser(lab, n);
      if (n !== 4) readyDevice(lab, n, n === 7 ? { tenantId: null } : {});
      rows.push([n === 9 ? 'cap-typo9@contoso.com' : upn, csvId(n)]);
    }
    lab.teams.updateUser('cap11@contoso.com', { phoneNumber: null });
    await page.locator('#csv-file').setInputFiles({ name: 'floor1.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv(rows)}\r\n`) });
    await expect.poll(() => page.locator('#message').textContent()).toContain('12 devices read from floor1.csv');
    expect(await page.locator('tr.bulk-row').count()).toBe(12);

    await page.getByRole('button', { name: 'Bulk Sign In' }).click();
    await expect.poll(() => page.evaluate(() => document.body.dataset['batchId'] ?? '')).not.toBe('');
    // The service works on the lab clock: move it a row at a time while the page polls.
    for (let i = 0; i < 12 && !(await page.evaluate(() => document.body.dataset['batchStatus'] === 'Completed')); i++) {
      await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
      if (i === 5) {
        await expect.poll(() => page.locator('tr.bulk-row.pending').count(), { timeout: 5000 }).toBeLessThan(12);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'teams-bulk-sign-in-running.png'), fullPage: true });
      }
    }
    await expect.poll(() => page.evaluate(() => document.body.dataset['batchStatus']), { timeout: 10_000 }).toBe('Completed');
    expect(await page.locator('tr.bulk-row.success').count()).toBe(8);
    const red = await page.locator('tr.bulk-row.failed td:last-child').allTextContents();
    expect(red).toEqual(['Device not found in records.', 'BulkSignIn Tag missing for the device', 'User not found in tenant.', 'User missing phone number assignment.']);
    expect(await page.locator('#message').textContent()).toContain('Completed: 8 signed in, 4 failed.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'teams-bulk-sign-in.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe('floor1-results.csv');
    const exported = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(exported[0]).toBe('Username,HardwareId,Status,Error');
    expect(exported[4]).toBe('cap4@contoso.com,00-00-11-11-00-04,failed,Device not found in records.');
    expect(exported[1]).toBe('cap1@contoso.com,00-00-11-11-00-01,success,');
  });
});
