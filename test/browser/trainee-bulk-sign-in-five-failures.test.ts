/**
 * A trainee completes the shipped bulk-sign-in-five-failures.yaml in Chromium, in the trainee view of `rove-sim
 * train`, as an admin would, every step in the Teams admin center framed beside the task panel: *Users* → each account
 * the export names (the CAP policy, the phone number, the calling policy) → Save; *Provision devices → Add* the store
 * room handset; then *Bulk sign-in* with a file of the five failed rows, the kitchen's user name corrected, region
 * EMEA. The rows turn green as the lab clock is stepped; the base reboots for the new lines. The first Check, before
 * the fixes, names every row still failing; the last shows every task green and the full score.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/bulk-sign-in-five-failures.yaml');

/** rollout.csv's five failed rows, the kitchen's user name as the tenant has it (contoso.com, not contoso.co). */
const FIXED_CSV = [
  'Username,HardwareId',
  'warehouse.dect2@contoso.com,00-03-28-D8-70-6C',
  'kitchen.dect@contoso.com,00-03-28-DF-B2-62',
  'loading.dock@contoso.com,00-03-28-DF-7E-79',
  'canteen.dect@contoso.com,00-03-28-D4-7F-66',
  'store.room@contoso.com,00-03-28-D9-CE-30',
  '',
].join('\r\n');

describe('A trainee completes "Bulk sign-in: five rows failed" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back before the trainee starts.
  const session = trainingInChromium(EXERCISE, (training) => labComesUp(training.room.lab));

  /** Users → the account → change fields of its form → Save. */
  async function saveUser(device: FrameLocator, page: Page, displayName: string, change: (form: FrameLocator) => Promise<unknown>) {
    await page.click('#open-teams');
    await device.getByRole('link', { name: 'Users', exact: true }).first().click();
    await device.getByRole('link', { name: displayName, exact: true }).click();
    await change(device);
    await device.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Changes saved.');
    const shown = await device.locator('body').innerText();
    expect(shown).toContain('This user can be signed in on a SIP device.');
    expect(shown).not.toContain('Not ready for bulk sign-in');
  }

  it('fixes three accounts and adds the store room handset in the admin center, resubmits the fixed rows; Check: 70/70', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const context = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' }, viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(training.url);
    const device = page.frameLocator('#device');

    // Check before anything is done: each row still failing, with the error the export gave it.
    await page.click('#check');
    await page.waitForSelector('#task-all-signed-in.failed');
    expect(await page.textContent('#task-store-room-device .result')).toBe('The admin center still has no record of the store room handset (Device not found in records.).');
    expect(await page.textContent('#task-resubmit .result')).toBe('The newest bulk sign-in batch still has failed rows.');
    expect(await page.locator('#task-all-signed-in .details li').allTextContents()).toEqual([
      'Warehouse 2 is not signed in as warehouse.dect2@contoso.com (User missing CAP policy assignment.).',
      'The kitchen handset is not signed in as kitchen.dect@contoso.com (User not found in tenant.).',
      'The loading dock handset is not signed in as loading.dock@contoso.com (User missing phone number assignment.).',
      'The canteen handset is not signed in as canteen.dect@contoso.com (User missing AllowSIPDevicesCalling policy assignment).',
      'The store room handset is not signed in as store.room@contoso.com (Device not found in records.).',
    ]);

    // The question: "User not found in tenant." is what the file says; Users lists kitchen.dect@contoso.com.
    await page.click('#open-teams');
    await device.getByRole('link', { name: 'Users', exact: true }).first().click();
    const users = device.getByRole('table', { name: 'Users' });
    expect(await users.innerText()).toContain('kitchen.dect@contoso.com');
    expect(await users.innerText()).not.toContain('kitchen.dect@contoso.co\t');
    const form = page.locator('#task-csv-or-admin-center form.answer-form');
    await form.getByLabel('kitchen.dect@contoso.co (User not found in tenant.)', { exact: true }).check();
    page.once('dialog', (d) => void d.accept());
    await form.getByRole('button', { name: 'Answer' }).click();
    await expect.poll(() => form.locator('[data-answer]').textContent()).toBe('Your answer: kitchen.dect@contoso.co (User not found in tenant.)');

    // Users: the three accounts, as each error names.
    await saveUser(device, page, 'Warehouse DECT 2', (d) => d.getByLabel('IP phone policy', { exact: true }).selectOption('CommonAreaPhone'));
    await saveUser(device, page, 'Loading dock DECT', (d) => d.getByLabel('Phone number', { exact: true }).fill('+14255550302'));
    await saveUser(device, page, 'Canteen DECT', (d) => d.getByLabel('Calling policy', { exact: true }).selectOption('SIPDevices'));
    await device.getByRole('link', { name: 'Users', exact: true }).first().click();
    const fixed = device.getByRole('table', { name: 'Users' });
    for (const upn of ['warehouse.dect2@contoso.com', 'loading.dock@contoso.com', 'canteen.dect@contoso.com']) {
      expect(await fixed.locator('tr', { hasText: upn }).innerText()).toMatch(/Ready$/);
    }

    // Provision devices → Add: the store room handset's hardware id, as the row gives it.
    await device.getByRole('link', { name: 'Phones' }).first().click();
    await device.locator('summary', { hasText: 'Actions' }).click();
    await device.getByRole('menuitem', { name: 'Provision devices' }).click();
    await device.getByRole('link', { name: 'Add', exact: true }).click();
    await device.getByLabel('MAC address', { exact: true }).fill('00-03-28-D9-CE-30');
    await device.getByLabel('Location', { exact: true }).fill('Head office');
    await device.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => device.getByRole('table', { name: 'Waiting on activation' }).innerText()).toContain('00-03-28-D9-CE-30');
    await page.waitForSelector('#task-store-room-device.passed');

    // Bulk sign-in: the file of the five failed rows, fixed; region EMEA; Bulk Sign In.
    await device.getByRole('link', { name: 'Bulk sign-in' }).first().click();
    await device.getByLabel('Device details CSV file').setInputFiles({ name: 'rollout-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(FIXED_CSV) });
    await expect.poll(() => device.locator('#message').textContent()).toContain('5 devices read from rollout-fixed.csv');
    await device.getByLabel('Region').selectOption('EMEA');
    await device.getByRole('button', { name: 'Bulk Sign In' }).click();
    const batchStatus = () => device.locator('body').evaluate((b) => (b as HTMLElement).dataset['batchStatus'] ?? '');
    // The service works on the lab clock: step it a row at a time while the page polls.
    for (let i = 0; i < 20 && (await batchStatus()) !== 'Completed'; i++) {
      await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
      await expect.poll(batchStatus, { timeout: 1_500 }).toBe('Completed').catch(() => undefined);
    }
    expect(await batchStatus()).toBe('Completed');
    expect(await device.locator('tr.bulk-row.success').count()).toBe(5);
    expect(await device.locator('tr.bulk-row.failed').count()).toBe(0);
    expect(await device.locator('#message').textContent()).toContain('Completed: 5 signed in, 0 failed.');
    await page.waitForSelector('#task-resubmit.passed');
    // The tool's Export writes the columns of the export the briefing hands the trainee.
    const [download] = await Promise.all([page.waitForEvent('download'), device.getByRole('button', { name: 'Export' }).click()]);
    const results = readFileSync((await download.path())!, 'utf8').split('\r\n');
    const briefed = (await page.locator('section.briefing pre').nth(1).innerText()).split('\n');
    expect(results[0]).toBe(briefed[0]);
    expect(results.slice(1, 6)).toEqual([
      'warehouse.dect2@contoso.com,00-03-28-D8-70-6C,success,',
      'kitchen.dect@contoso.com,00-03-28-DF-B2-62,success,',
      'loading.dock@contoso.com,00-03-28-DF-7E-79,success,',
      'canteen.dect@contoso.com,00-03-28-D4-7F-66,success,',
      'store.room@contoso.com,00-03-28-D9-CE-30,success,',
    ]);

    // The base reboots for the five new lines; every handset comes back in service.
    const handsets = [...lab.handsets.values()];
    await lab.clock.advanceUntil(() => handsets.every((h) => h.state === 'in-service' && h.view().line?.state === 'OK'), 30 * MINUTE);
    await lab.clock.advance(MINUTE);
    await page.click('#open-handsets');
    for (const h of handsets) expect(await device.locator('tr', { has: device.locator(`a[href*="${h.ipei}"]`) }).innerText()).toContain('in-service');

    await page.click('#check');
    for (const task of ['csv-or-admin-center', 'store-room-device', 'resubmit', 'all-signed-in']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    expect(await page.textContent('#task-all-signed-in .result')).toBe('All seven handsets are signed in as their common area phone accounts.');
    await expect.poll(() => page.textContent('#score')).toBe('70/70');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 4 of 4 tasks passed\.$/);
  });
});
