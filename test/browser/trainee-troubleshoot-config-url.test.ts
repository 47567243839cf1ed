/**
 * A trainee completes the shipped troubleshoot-config-url.yaml in Chromium, in the trainee view of `rove-sim train`,
 * as a technician would, every step in the bases' web admins framed beside the task panel: the first login on each
 * base, then each base's Home/Status — the base drawn per trainee shows a provisioning error (PRV-01), the others
 * their configuration — the question answered, and on that base's *Auto provisioning* the ConfigURL read (the typo,
 * drawn too) and corrected; the base reboots to apply it (the lab clock is stepped). The first Check, before the
 * fix, fails the last task; the last shows every task green and the full score.
 */
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { answerQuestion, traineeAfterFirstLogin, trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/troubleshoot-config-url.yaml');
const PASSWORD = 'Rollout2026';
const TEAMS_URL = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';
const BASES = { '0004F2A00011': '0004F2A00011 (Reception)', '0004F2A00012': '0004F2A00012 (Front desk)', '0004F2A00013': '0004F2A00013 (Picking)' } as const;
const MACS = Object.keys(BASES) as (keyof typeof BASES)[];

describe('A trainee completes "Troubleshooting: the base that stopped provisioning" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back, each base past its first provisioning fetch.
  const session = trainingInChromium(EXERCISE, async (training) => {
    await labComesUp(training.room.lab);
    await training.room.lab.clock.advance(5 * MINUTE);
  });

  /** The base's Home/Status, in the frame: its ITSP Provisioning error code and message. */
  async function provisioning(page: Page, device: FrameLocator, mac: string) {
    await page.click(`#open-base-${mac}`);
    await device.getByRole('link', { name: 'Home/Status' }).click();
    await expect.poll(() => device.locator('#mac td').innerText()).toContain(mac.match(/../g)!.join(':'));
    return { code: (await device.locator('#provisioning-code td').innerText()).trim(), message: await device.locator('#provisioning-message td').innerText() };
  }

  it('finds the base with PRV-01 on Home/Status, answers, corrects its ConfigURL; the base reboots; Check: 40/40', async () => {
    const { training } = session;
    const lab = training.room.lab;

    // The first login on each base: the factory password, changed.
    const { page, device } = await traineeAfterFirstLogin(session, PASSWORD, MACS);

    // Check before anything is done: the fix task fails, naming the wrong ConfigURL and the provisioning error.
    await page.click('#check');
    await page.waitForSelector('#task-fix-config-url.failed');
    expect(await page.textContent('#task-fix-config-url .result')).toBe('A base still cannot fetch its configuration.');
    expect(await page.locator('#task-fix-config-url .details li').allTextContents()).toEqual([
      "The ConfigURL of a base is not the EMEA Teams provisioning service's.",
      'A base still shows a provisioning error on Home/Status.',
    ]);

    // Home/Status of every base: exactly one shows PRV-01, the others none.
    const broken: (keyof typeof BASES)[] = [];
    for (const mac of MACS) {
      const shown = await provisioning(page, device, mac);
      if (shown.code === '—') continue;
      expect(shown.code, mac).toBe('PRV-01');
      broken.push(mac);
    }
    expect(broken).toHaveLength(1);
    const mac = broken[0]!;
    await answerQuestion(page, 'which-base', BASES[mac]);

    // Its Auto provisioning: the ConfigURL has a typo in the host name; the briefing's, saved.
    await page.click(`#open-base-${mac}`);
    await device.getByRole('link', { name: 'Auto provisioning' }).click();
    const itsp = device.locator('#section-itsp-provisioning');
    const configUrl = itsp.getByLabel('ConfigURL', { exact: true });
    const typo = await configUrl.inputValue();
    expect(typo).not.toBe(TEAMS_URL);
    expect(typo).toMatch(/^http:\/\/[a-z.]+\/00\$\{IPEI\}\.cfg$/);
    await configUrl.fill(TEAMS_URL);
    await device.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => device.locator('body').innerText()).toContain('Settings saved');

    // The page says what comes: the base reboots (three times) to apply it, then its handset is back with its line.
    expect(await device.locator('body').innerText()).toContain('The new ITSP provisioning settings take effect over 3 reboots of the base');
    const handsets = [...lab.handsets.values()];
    const back = await lab.clock.advanceUntil(
      () => MACS.every((m) => lab.bases.get(m)!.state === 'running' && lab.bases.get(m)!.status().pendingProvisioningReboots === 0 && lab.bases.get(m)!.status().provisioning.phase !== 'fetching') && handsets.every((h) => h.state === 'in-service' && h.view().line?.state === 'OK'),
      30 * MINUTE,
    );
    expect(back).toBe(true);
    await lab.clock.advance(5 * MINUTE);
    for (const m of MACS) expect((await provisioning(page, device, m)).code, m).toBe('—');

    await page.click('#check');
    for (const task of ['which-base', 'fix-config-url']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    expect(await page.textContent('#task-fix-config-url .result')).toBe('Every base fetches its configuration from the EMEA Teams provisioning service again.');
    await expect.poll(() => page.textContent('#score')).toBe('40/40');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 2 of 2 tasks passed\.$/);
  });
});

