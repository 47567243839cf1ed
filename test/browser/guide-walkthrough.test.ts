/**
 * Seed 000 from the first login to the user's number on the handset, in the guide's own order, in a real browser
 * (Debian chromium through playwright-core, real servers on 127.0.0.1), on the default lab at factory defaults:
 *
 * 1. web admin: admin / admin, the forced password change;
 * 2. System Management → Auto provisioning: the firmware values; the base updates itself to 8.0.3.0009;
 * 3. System Management → WAN settings: time zone and NTP;
 * 4. Auto provisioning → ITSP Provisioning: the Teams ConfigURL; the DECT server reboots three times;
 * 5. DECT → Specific Handsets → Register, and on the handset Settings → Connectivity → Register, code 0000; the
 *    handset updates over the air (DECT Summary shows its firmware);
 * 6. Teams admin center: Provision devices → Add 00+IPEI → Generate verification code; `*55*<code>` on the handset;
 * 7. Sign in: the pairing code on the device login page; the DECT server reboots once; the handset shows the number.
 *
 * Every reboot is counted on Home/Status: one for the firmware update, three after ConfigURL, one at sign-in — and
 * none when the handset is registered. The lab clock is paused and moved by the test (the waits a technician would sit
 * through), never the order of the steps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import { formatHardwareId, hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { buildApp } from '../../src/http/build-app.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { launchChromium } from '../support/browser.ts';
import { provisionWithCode } from './admin-center-steps.ts';
import { listenOnLoopback } from '../support/app.ts';
import { openTestLab } from '../support/lab.ts';

const MINUTE = 60_000;
const MAC = '0004F2A00001';
const PASSWORD = 'Rollout2026';
const ADELE_NUMBER = '+14255550101';
const SCREENSHOT = path.resolve('tmp/guide-walkthrough-signed-in.png');

describe('The whole rollout guide in its own order, in a browser, counting every reboot', () => {
  let dir: string;
  let lab: Lab;
  let app: FastifyInstance;
  let tacApp: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  let tacOrigin: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-guide-'));
    lab = await openTestLab({ file: path.join(dir, 'lab.db') });
    app = await buildApp({ lab });
    origin = await listenOnLoopback(app);
    tacApp = await buildTeamsAdminCenter({ gateway: lab.teams, commit: () => lab.commit() });
    tacOrigin = await listenOnLoopback(tacApp);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await tacApp?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = (page: Page) => page.locator('body').innerText();
  const lines = (page: Page) => page.locator('#lines').innerText();
  const waitForScreen = (page: Page, t: string) =>
    page.waitForFunction((s) => document.getElementById('lines')?.textContent?.includes(s), t, { timeout: 5_000 });
  async function press(page: Page, ...keys: string[]) {
    for (const key of keys) {
      const before = await lines(page);
      await page.locator(`button[data-key="${key}"]`).click();
      // Each key changes the screen (or plays a click): wait for the page to show it before the next one.
      await page.waitForFunction((prev) => document.getElementById('lines')?.textContent !== prev, before, { timeout: 2_000 }).catch(() => undefined);
    }
  }
  /** Home/Status's reboot log, oldest first, without the power-on entries. */
  async function rebootLog(admin: Page): Promise<string[]> {
    await admin.goto(`${origin}/bases/${MAC}/`);
    const rows = (await admin.locator('#reboot-log').innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
    return rows.filter((r) => !/Power on/.test(r) && !/^(Time|When)\b/.test(r)).reverse();
  }
  const count = (log: string[], what: RegExp) => log.filter((l) => what.test(l)).length;

  it('firmware, WAN, ConfigURL (3 reboots), register (no reboot), *55*, sign-in (1 reboot), the number on the display', async () => {
    const base = lab.getBase(MAC)!;
    const [ipei] = [...lab.handsets.keys()] as [string];
    const handset = lab.getHandset(ipei)!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);

    // 1. First login: admin / admin, then the password change.
    const first = await browser.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
    const login = await first.newPage();
    await login.goto(`${origin}/bases/${MAC}/`);
    await login.getByLabel('New password').fill(PASSWORD);
    await login.getByLabel('Confirm password').fill(PASSWORD);
    await login.getByRole('button', { name: 'Change password' }).click();
    expect(await text(login)).toContain('Password changed.');
    await first.close();
    context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD }, viewport: { width: 1300, height: 860 } });
    const admin = await context.newPage();
    const sinceStart = await rebootLog(admin);
    expect(sinceStart).toEqual([]);

    // 2. System Management → Auto provisioning: the firmware update values.
    await admin.getByRole('link', { name: 'Auto provisioning' }).click();
    const firmware = admin.locator('#section-auto-firmware-update');
    await firmware.getByLabel('FirmwareServer', { exact: true }).fill('http://downloads.polycom.com/');
    await firmware.getByLabel('FirmwarePath', { exact: true }).fill('/voice/dect-ip-phones/Rove/');
    await firmware.getByLabel('Method', { exact: true }).selectOption('Periodically');
    await firmware.getByLabel('Interval', { exact: true }).fill('30');
    const versions = admin.locator('#section-firmware-versions');
    for (const [label, value] of [
      ['BaseFWVersion', '8003'], ['BaseFwBranch', '0009'],
      ['Rove30FwVersion', '8003'], ['Rove30FwBranch', '0009'],
      ['Rove40FwVersion', '8003'], ['Rove40FwBranch', '0009'],
    ] as const) {
      await versions.getByLabel(label, { exact: true }).fill(value);
    }
    await admin.getByRole('button', { name: 'Save' }).click();
    expect(await text(admin)).toContain('Settings saved');
    await lab.clock.advanceUntil(() => base.status().firmware === '8.0.3.0009' && base.state === 'running', 30 * MINUTE);
    let log = await rebootLog(admin);
    expect(await text(admin)).toContain('Firmware version\t8.0.3.0009');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('Firmware update 8.0.0.0402 → 8.0.3.0009');

    // 3. System Management → WAN settings: time zone and NTP server.
    await admin.getByRole('link', { name: 'WAN settings' }).click();
    await admin.getByLabel('Time Zone', { exact: true }).selectOption('Europe/Berlin');
    await admin.getByLabel('NTP Server', { exact: true }).fill('pool.ntp.org');
    await admin.getByRole('button', { name: 'Save' }).click();
    expect(await text(admin)).toContain('Settings saved');

    // 4. Auto provisioning → ITSP Provisioning: the Teams ConfigURL. "The DECT server rebooted three times."
    await admin.getByRole('link', { name: 'Auto provisioning' }).click();
    const itsp = admin.locator('#section-itsp-provisioning');
    await itsp.getByLabel('Method', { exact: true }).selectOption('Periodically');
    await itsp.getByLabel('Interval', { exact: true }).fill('3600');
    await itsp.getByLabel('ProvisioningOption', { exact: true }).selectOption('ConfigURL');
    await itsp.getByLabel('ConfigURL', { exact: true }).fill('http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg');
    await admin.getByRole('button', { name: 'Save' }).click();
    expect(await text(admin)).toContain('The new ITSP provisioning settings take effect over 3 reboots of the base');
    await lab.clock.advanceUntil(
      () => base.state === 'running' && base.status().pendingProvisioningReboots === 0 && base.status().provisioning.phase !== 'scheduled',
      60 * MINUTE,
    );
    log = await rebootLog(admin);
    expect(count(log, /applying new provisioning settings/)).toBe(3);
    expect(log).toHaveLength(4);

    // 5. DECT → Specific Handsets → Register; on the handset Settings → Connectivity → Register, the base, 0000.
    await admin.goto(`${origin}/bases/${MAC}/specific-handsets`);
    await admin.getByRole('button', { name: 'Register' }).first().click();
    expect(await admin.locator('#registration-window').innerText()).toContain('Registration window open for slot 1');
    const phone = await context.newPage();
    await phone.goto(`${origin}/handsets/${ipei}/`);
    await phone.locator('#conn.ok').waitFor();
    await press(phone, 'menu', 'down', 'down', 'ok');
    expect(await lines(phone)).toContain('Connectivity');
    await press(phone, 'down', 'ok', 'ok');
    await lab.clock.advanceUntil(() => handset.view().screen === 'choosing-base', MINUTE);
    await phone.waitForFunction(() => !document.getElementById('lines')?.textContent?.includes('Searching'), undefined, { timeout: 5_000 }).catch(() => undefined);
    await press(phone, 'ok', '0', '0', '0', '0', 'ok');
    await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);
    await waitForScreen(phone, 'Registered');
    // The handset updates over the air; DECT Summary shows its firmware.
    await lab.clock.advanceUntil(() => handset.record.firmware === '8.0.3.0009' && handset.state === 'in-service' && handset.view().line?.state === 'OK', 3 * 60 * MINUTE);
    await admin.goto(`${origin}/bases/${MAC}/dect-summary`);
    expect(await text(admin)).toContain('8.0.3.0009');
    log = await rebootLog(admin);
    expect(log, 'registering the handset rebooted the base').toHaveLength(4);

    // 6. Teams admin center: Provision devices → Add 00+IPEI → Generate verification code; *55*<code> on the handset.
    const hw = hardwareIdForIpei(ipei);
    const mac = formatHardwareId(hw);
    const { tac, code } = await provisionWithCode(context, tacOrigin, mac, hw, 'Reception');
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    await press(phone, ...`*55*${code}`, 'green');
    await lab.clock.advanceUntil(() => handset.view().tones.some((t) => t.tone === 'three-busy'), MINUTE);
    await phone.locator('#tone', { hasText: 'three busy tones' }).waitFor({ timeout: 5_000 });
    await waitForScreen(phone, 'Sign in');
    await tac.goto(`${tacOrigin}/devices/provision?tab=signin`);
    expect(await text(tac)).toContain(mac);
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);

    // 7. Sign in: the pairing code on the device login page. "The Rove DECT server rebooted once."
    await press(phone, 'soft2');
    await waitForScreen(phone, 'Code: ');
    const pairing = /Code: ([A-Z0-9]{9})/.exec(await lines(phone))?.[1];
    expect(pairing).toMatch(/^[A-Z0-9]{9}$/);
    const deviceLogin = await context.newPage();
    await deviceLogin.goto(`${tacOrigin}/devicelogin`);
    await deviceLogin.getByLabel('Code').fill(pairing!.toLowerCase());
    await deviceLogin.getByRole('button', { name: 'Next' }).click();
    await deviceLogin.getByRole('button', { name: /Adele Vance/ }).click();
    await deviceLogin.getByRole('button', { name: 'Continue' }).click();
    expect(await deviceLogin.locator('[role="status"]').innerText()).toContain('You have signed in to the Teams SIP devices gateway application on your device.');
    await lab.clock.advanceUntil(() => handset.record.line === ADELE_NUMBER && handset.view().line?.state === 'OK' && base.state === 'running', 30 * MINUTE);
    // A working day later nothing more has happened.
    await lab.clock.advance(8 * 60 * MINUTE);
    await waitForScreen(phone, ADELE_NUMBER);
    await phone.screenshot({ path: SCREENSHOT });

    log = await rebootLog(admin);
    expect(count(log, /Firmware update/)).toBe(1);
    expect(count(log, /applying new provisioning settings/)).toBe(3);
    expect(count(log, /ITSP provisioning: new configuration/)).toBe(1);
    expect(log).toHaveLength(5);
    expect(await text(admin)).toContain('Reboots\t5');
  });
});
