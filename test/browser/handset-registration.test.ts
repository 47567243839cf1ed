/**
 * A technician registers a handset the way the guide says, in two browser tabs: the base's web admin (Specific
 * Handsets → Register on a free slot) and the handset's page, clicking its keypad (Settings → Connectivity → Register,
 * the base's entry, access code 0000). Debian chromium through playwright-core; a real server on 127.0.0.1; the lab
 * clock is paused and moved by the test.
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
const PASSWORD = 'Rollout2026';
const SCREENSHOT = path.resolve('tmp/handset-page.png');

describe('A technician registers a handset from its page after opening the window in the web admin', () => {
  let dir: string;
  let lab: Lab;
  let app: FastifyInstance;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-handset-'));
    lab = await openTestLab({ file: path.join(dir, 'lab.db') });
    const base = lab.getBase(MAC)!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.setAdminPassword(PASSWORD);
    app = await buildApp({ lab });
    origin = `${await listenOnLoopback(app)}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const screen = (page: Page) => page.locator('#lines').innerText();
  async function click(page: Page, ...keys: string[]) {
    for (const key of keys) {
      const before = await screen(page);
      await page.locator(`button[data-key="${key}"]`).click();
      // Each key changes the screen (or plays a click): wait for the console to show it before the next one.
      await page.waitForFunction((prev) => document.getElementById('lines')?.textContent !== prev, before, { timeout: 2_000 }).catch(() => undefined);
    }
  }

  it('registers with the access code 0000 and shows the handset in DECT Summary', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD } });
    const admin = await context.newPage();
    await admin.goto(`${origin}/bases/${MAC}/specific-handsets`);
    await admin.getByRole('button', { name: 'Register' }).first().click();
    expect(await admin.locator('#registration-window').innerText()).toContain('Registration window open for slot 1');

    const ipei = [...lab.handsets.keys()][0]!;
    const handset = lab.getHandset(ipei)!;
    const phone = await context.newPage();
    await phone.goto(`${origin}/handsets/${ipei}/`);
    await phone.locator('#conn.ok').waitFor();
    expect(await screen(phone)).toContain('Unregistered');

    await click(phone, 'menu', 'down', 'down', 'ok');
    expect(await screen(phone)).toContain('Connectivity');
    await click(phone, 'down', 'ok', 'ok');
    await lab.clock.advanceUntil(() => handset.view().screen === 'choosing-base', MINUTE);
    await phone.waitForFunction(() => !document.getElementById('lines')?.textContent?.includes('Searching'), undefined, { timeout: 5_000 }).catch(() => undefined);
    await click(phone, 'ok', '0', '0', '0', '0', 'ok');
    await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);
    await phone.waitForFunction(() => document.getElementById('lines')?.textContent?.includes('Registered'), undefined, { timeout: 5_000 });
    // The "Registered" notice gives way to the idle screen.
    await lab.clock.advance(MINUTE);
    await phone.locator('#facts').getByText(MAC).waitFor({ timeout: 5_000 });
    await phone.waitForFunction(() => document.getElementById('lines')?.textContent?.includes('Handset 1'), undefined, { timeout: 5_000 });
    await phone.screenshot({ path: SCREENSHOT });

    await admin.goto(`${origin}/bases/${MAC}/dect-summary`);
    const summary = await admin.locator('body').innerText();
    expect(summary).toContain(ipei);
    expect(summary).toContain('8.0.0.0402');
    expect(summary).toContain('in-service');
    await context.close();
  });
});
