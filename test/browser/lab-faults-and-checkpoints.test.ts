/**
 * A trainer in a real browser (Debian chromium through playwright-core) cuts the power of the lab's base from the
 * faults page, sees it off on the lab overview, undoes it, then saves a checkpoint and restores it — plain forms, no
 * JavaScript on the pages.
 *
 * The server is real (a port on 127.0.0.1); the lab clock is paused, so the base boots only when the test moves time.
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

describe('A trainer breaks the lab on purpose from the web UI, and puts it back', () => {
  let dir: string;
  let lab: Lab;
  let app: FastifyInstance;
  let browser: Browser;
  let root: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-lab-faults-'));
    lab = await openTestLab({ file: path.join(dir, 'lab.db') });
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 10 * MINUTE);
    app = await buildApp({ lab });
    root = `${await listenOnLoopback(app)}/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = (page: Page) => page.locator('body').innerText();
  const baseRow = (page: Page) => page.locator('tr', { hasText: '00:04:F2:A0:00:01' }).first();

  it('injects "Power loss of a base", sees the base off on the overview, and undoes it', async () => {
    const page = await browser.newPage();
    await page.goto(root);
    expect(await baseRow(page).innerText()).toContain('running');
    await page.getByRole('link', { name: 'Inject or undo faults' }).click();
    expect(await page.locator('h1').innerText()).toBe('Faults');

    const card = page.locator('#fault-base-power-loss');
    expect(await card.locator('h3').innerText()).toBe('Power loss of a base');
    await card.getByRole('button', { name: 'Inject' }).click();
    expect(await page.locator('#fault-base-power-loss [role=alert]').innerText()).toContain('Bases: choose at least one base');
    expect(lab.getBase(MAC)!.state).toBe('running');

    await page.locator('#fault-base-power-loss').getByLabel('Bases').selectOption(MAC);
    await page.locator('#fault-base-power-loss').getByRole('button', { name: 'Inject' }).click();
    expect(await page.locator('p.notice').innerText()).toContain('Injected base-power-loss-1: power cut on 1 base(s).');
    const active = page.locator('#active-faults');
    expect(await active.innerText()).toContain('Power loss of a base');
    expect(await active.innerText()).toContain('2026-11-02');

    await page.getByRole('link', { name: 'Lab overview' }).click();
    expect(await baseRow(page).innerText()).toContain('off');
    expect(await text(page)).toContain('1 active fault: Power loss of a base');

    await page.getByRole('link', { name: 'Faults', exact: true }).click();
    await page.getByRole('button', { name: 'Undo base-power-loss-1' }).click();
    expect(await page.locator('p.notice').innerText()).toContain('Undone base-power-loss-1');
    expect(await text(page)).toContain('No fault is active');
    await page.getByRole('link', { name: 'Lab overview' }).click();
    expect(await baseRow(page).innerText()).toContain('booting');
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 10 * MINUTE);
    await page.close();
  });

  it('saves a checkpoint, breaks the lab, restores it, and deletes it once confirmed', async () => {
    const page = await browser.newPage();
    await page.goto(root);
    await page.getByRole('link', { name: 'Checkpoints and reset' }).first().click();
    expect(await page.locator('h1').innerText()).toBe('Checkpoints and reset');
    expect(await text(page)).not.toContain('Reset to scenario start');

    await page.getByLabel('Name').fill('before rollout');
    await page.getByRole('button', { name: 'Save checkpoint' }).click();
    expect(await page.locator('[role=alert]').innerText()).toContain('"before rollout" is not a checkpoint name');
    await page.getByLabel('Name').fill('before-rollout');
    await page.getByRole('button', { name: 'Save checkpoint' }).click();
    expect(await page.locator('p.notice').innerText()).toMatch(/Saved checkpoint before-rollout at lab time 2026-11-02 \d\d:\d\d:\d\d UTC/);
    expect(await page.locator('#checkpoints').innerText()).toContain('before-rollout');

    await page.getByRole('link', { name: 'Faults', exact: true }).click();
    await page.locator('#fault-base-power-loss').getByLabel('Bases').selectOption(MAC);
    await page.locator('#fault-base-power-loss').getByRole('button', { name: 'Inject' }).click();
    expect(lab.getBase(MAC)!.state).toBe('off');

    await page.getByRole('link', { name: 'Checkpoints and reset' }).click();
    await page.getByRole('button', { name: 'Restore before-rollout' }).click();
    expect(await page.locator('p.notice').innerText()).toContain('Restored checkpoint before-rollout');
    expect(lab.getBase(MAC)!.state).toBe('booting');
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 10 * MINUTE);
    await page.getByRole('link', { name: 'Lab overview' }).click();
    expect(await text(page)).toContain('No fault is active.');
    expect(await baseRow(page).innerText()).toContain('running');

    await page.getByRole('link', { name: 'Checkpoints and reset' }).first().click();
    await page.getByRole('checkbox', { name: 'Yes, delete before-rollout' }).check();
    await page.getByRole('button', { name: 'Delete before-rollout' }).click();
    expect(await page.locator('p.notice').innerText()).toContain('Deleted checkpoint before-rollout.');
    expect(await text(page)).toContain('No checkpoint saved in this lab yet.');
    await page.close();
  });
});
