/**
 * The guide from "Provisioning the device in the Teams Admin Center" to the end, in browser tabs as a technician
 * follows it (Debian chromium through playwright-core, real servers on 127.0.0.1, the lab clock paused and moved by the
 * test): the Teams admin center (Provision devices → Add 00+IPEI → Generate verification code), the handset's page
 * (`*55*<code>` + green on its keypad → three busy tones → Sign in; the Sign in soft key shows the pairing code), the
 * device login page (code in lower case → the account → Continue), the base's web admin Home/Status (the reboot and
 * its reason), and the handset's page again, showing the user's phone number.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.ts';
import { formatHardwareId } from '../../src/cloud/teams/devices/hardware-id.ts';
import { launchChromium } from '../support/browser.ts';
import { provisionWithCode } from './admin-center-steps.ts';
import { MINUTE } from '../support/lab.ts';
import { settled, teamsReadyLab, type TeamsWorld } from '../lab/teams-steps.ts';
import { listenOnLoopback } from '../support/app.ts';

const PASSWORD = 'Rollout2026';
const SCREENSHOT = path.resolve('tmp/teams-handset-signed-in.png');
const ADELE_NUMBER = '+14255550101';

describe('A technician enrolls a Rove handset in Teams and a user signs in, in browser tabs', () => {
  let world: TeamsWorld;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  let tacOrigin: string;

  beforeAll(async () => {
    world = await teamsReadyLab();
    world.base.setAdminPassword(PASSWORD);
    app = await buildApp({ lab: world.lab });
    origin = `${await listenOnLoopback(app)}`;
    tacOrigin = `${await listenOnLoopback(world.tac)}`;
    browser = await launchChromium();
    context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD }, viewport: { width: 1300, height: 860 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await world?.tac.close();
    await world?.lab.close();
  });

  const lines = (page: Page) => page.locator('#lines').innerText();
  async function press(page: Page, keys: string[]) {
    for (const key of keys) await page.locator(`button[data-key="${key}"]`).click();
  }
  const waitForScreen = (page: Page, text: string) =>
    page.waitForFunction((t) => document.getElementById('lines')?.textContent?.includes(t), text, { timeout: 5_000 });

  it('admin center → *55*<code> → Sign in → device login page → one reboot → the phone number', async () => {
    const { lab, base, handset, other, hw } = world;
    const mac = formatHardwareId(hw);

    // Tab 1: Teams admin center → Teams devices → Phones → Actions → Provision devices → Add → Generate verification code.
    const { tac, code } = await provisionWithCode(context, tacOrigin, mac, hw, 'Head office');
    expect(await tac.locator('[data-count="activation"]').textContent()).toBe('1');

    // Tab 2: the handset's page: *55*<code> and green on the keypad.
    const phone = await context.newPage();
    await phone.goto(`${origin}/handsets/${handset.ipei}/`);
    await phone.locator('#conn.ok').waitFor();
    await press(phone, [...`*55*${code}`, 'green']);
    await lab.clock.advanceUntil(() => handset.view().tones.some((t) => t.tone === 'three-busy'), MINUTE);
    await phone.locator('#tone', { hasText: 'three busy tones' }).waitFor({ timeout: 5_000 });
    await waitForScreen(phone, 'Sign in');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    await tac.goto(`${tacOrigin}/devices/provision?tab=signin`);
    expect(await tac.locator('body').innerText()).toContain(mac);

    // The Sign in soft key: the URL and the pairing code.
    await waitForScreen(phone, 'Sign in');
    await press(phone, ['soft2']);
    await waitForScreen(phone, 'Code: ');
    const pairing = /Code: ([A-Z0-9]{9})/.exec(await lines(phone))?.[1];
    expect(await lines(phone)).toContain('devicelogin');
    expect(pairing).toMatch(/^[A-Z0-9]{9}$/);

    // Tab 3: the device login page.
    const rebootsBefore = base.status().reboots;
    const login = await context.newPage();
    await login.goto(`${tacOrigin}/devicelogin`);
    await login.getByLabel('Code').fill(pairing!.toLowerCase());
    await login.getByRole('button', { name: 'Next' }).click();
    await login.getByRole('button', { name: /Adele Vance/ }).click();
    await login.getByText('Are you trying to sign in to Teams SIP devices gateway?').first().waitFor();
    await login.getByRole('button', { name: 'Continue' }).click();
    expect(await login.locator('[role="status"]').innerText()).toContain('You have signed in to the Teams SIP devices gateway application on your device.');

    // The base reboots once: every handset goes Searching.
    await lab.clock.advanceUntil(() => base.status().reboots > rebootsBefore, 10 * MINUTE);
    expect([handset.state, other.state]).toEqual(['searching', 'searching']);
    await waitForScreen(phone, 'Searching');
    await lab.clock.advanceUntil(() => settled(base, handset, other)() && handset.record.line === ADELE_NUMBER, 10 * MINUTE);
    expect(base.status().reboots - rebootsBefore).toBe(1);

    // Tab 4: the base's web admin Home/Status: the reboot and its reason.
    const admin = await context.newPage();
    await admin.goto(`${origin}/bases/${base.mac}/`);
    const log = await admin.locator('#reboot-log').innerText();
    expect(log).toContain('ITSP provisioning: new configuration');

    // Back on the handset's page: the phone number.
    await waitForScreen(phone, ADELE_NUMBER);
    await phone.screenshot({ path: SCREENSHOT });
    expect(await lines(phone)).toContain(ADELE_NUMBER);
  });
});
