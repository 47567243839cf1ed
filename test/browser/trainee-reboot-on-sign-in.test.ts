/**
 * A trainee completes the shipped reboot-on-sign-in.yaml in Chromium, in the trainee view of `rove-sim train`, as a
 * technician would, every step in the device frame beside the task panel: on the handsets' page the handset at the
 * drawn place (its name on its screen), its Sign in soft key and pairing code, the device login page (the code, the
 * drawn user, Continue); the base reboots for the new configuration (the lab clock is stepped) and every handset on
 * it is off the air meanwhile. The base's Home/Status then gives the downtime the hint describes — the reboot's time
 * in the reboot log against the time and uptime now — and the reason; the trainee answers the three questions. The
 * first Check, before the sign-in, fails naming the user; the last shows every task green and the full score.
 */
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { MINUTE } from '../support/lab.ts';
import { answerQuestion, traineeAfterFirstLogin, trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/reboot-on-sign-in.yaml');
const MAC = '0004F2A00001';
const PASSWORD = 'Rollout2026';
const WHY = "The Teams gateway told the base to fetch its configuration again; the user's line made it a new configuration, which the base applies by rebooting.";
const AT_SCALE = 'Every sign-in reboots the base, so every handset on it loses service for about a minute and a half, thirty times.';

/** `2026-11-02 10:00:00 UTC` as Home/Status prints a time: seconds of the day and date (one time zone throughout). */
function seconds(shown: string): number {
  const m = /(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/.exec(shown);
  if (!m) throw new Error(`not a Home/Status time: ${shown}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
}

/** `3 days 04:05:06` or `04:05:06`, as Home/Status prints the uptime, in seconds. */
function uptime(shown: string): number {
  const m = /(?:(\d+) days? )?(\d\d):(\d\d):(\d\d)/.exec(shown);
  if (!m) throw new Error(`not an uptime: ${shown}`);
  return (+(m[1] ?? 0)) * 86_400 + +m[2]! * 3600 + +m[3]! * 60 + +m[4]!;
}

describe('A trainee completes "The reboot on sign-in" in Chromium', () => {
  // The lab file was opened: its devices power-cycle and come back before the trainee starts.
  const session = trainingInChromium(EXERCISE, (training) => labComesUp(training.room.lab));

  const screen = (device: FrameLocator) => device.locator('#lines').innerText();
  async function press(device: FrameLocator, keys: string[]) {
    for (const key of keys) await device.locator(`button[data-key="${key}"]`).click();
  }

  it('signs the drawn user in on the drawn handset, reads the reboot and the downtime on Home/Status, answers; Check: 70/70', async () => {
    const { training } = session;
    const lab = training.room.lab;
    const upn = training.room.variables['user.upn']!;
    const place = training.room.variables['user.place']!;
    const name = upn.split('@')[0]!.split('.').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

    // The base's web admin (the first tab) asks for its login: the factory one, changed.
    const { page, device } = await traineeAfterFirstLogin(session, PASSWORD);

    // Check before the sign-in: the first task fails naming the user; the rest waits behind it.
    await page.click('#check');
    await page.waitForSelector('#task-sign-in.failed');
    expect(await page.textContent('#task-sign-in .result')).toBe(`${upn} is not signed in on the ${place} handset.`);
    expect(await page.locator('#task-sign-in .details li').allTextContents()).toEqual([`The admin center does not list a device signed in as ${upn}.`]);

    // Before: no reboot for a new configuration in the reboot log.
    await device.getByRole('link', { name: 'Home/Status' }).click();
    expect(await device.locator('#reboot-log').innerText()).not.toContain('new configuration');

    // The handsets' page: the handset with the place's name on its screen; its page; Sign in shows the pairing code.
    await page.click('#open-handsets');
    const row = device.locator('tbody tr', { hasText: place });
    await expect.poll(() => row.count()).toBe(1);
    const href = (await row.locator('a').first().getAttribute('href'))!;
    const handset = [...lab.handsets.values()].find((h) => href.includes(h.ipei))!;
    expect(handset, `the ${place} handset`).toBeDefined();
    await row.locator('a').first().click();
    await device.locator('#conn.ok').waitFor();
    await expect.poll(() => screen(device)).toContain('Sign in');
    await press(device, ['soft2']);
    await expect.poll(() => screen(device)).toContain('Code: ');
    const pairing = /Code: ([A-Z0-9]{9})/.exec(await screen(device))?.[1];
    expect(pairing).toMatch(/^[A-Z0-9]{9}$/);

    // The device login page: the code, the drawn user, Continue.
    await page.click('#open-device-login');
    await device.getByLabel('Code').fill(pairing!.toLowerCase());
    await device.getByRole('button', { name: 'Next' }).click();
    await device.getByRole('button', { name: new RegExp(name) }).click();
    await device.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => device.locator('[role="status"]').innerText()).toContain('You have signed in to the Teams SIP devices gateway application on your device.');

    // The base reboots for the new configuration: every handset on it goes off the air and comes back.
    const handsets = [...lab.handsets.values()];
    const others = handsets.filter((h) => h !== handset);
    expect(await lab.clock.advanceUntil(() => others.every((h) => h.state !== 'in-service'), 10 * MINUTE)).toBe(true);
    expect(
      await lab.clock.advanceUntil(
        () => handsets.every((h) => h.state === 'in-service') && lab.teams.devices().some((d) => d.userStatus === 'Signed in'),
        30 * MINUTE,
      ),
    ).toBe(true);
    await lab.clock.advance(MINUTE);

    // Home/Status: the reboot and its reason; when it began against the time and uptime now is the downtime.
    await page.click(`#open-base-${MAC}`);
    await device.getByRole('link', { name: 'Home/Status' }).click();
    const latest = await device.locator('#reboot-log tbody tr').first().locator('td').allInnerTexts();
    expect(latest[1]).toContain('new configuration');
    const now = await device.locator('tr', { has: device.locator('th', { hasText: /^Time$/ }) }).locator('td').innerText();
    const up = await device.locator('#uptime td').innerText();
    const downtime = seconds(now) - uptime(up) - seconds(latest[0]!);
    expect(downtime).toBeGreaterThanOrEqual(75);
    expect(downtime).toBeLessThanOrEqual(150);

    await page.click('#check');
    await page.waitForSelector('#task-sign-in.passed');
    await page.waitForSelector('#task-reboot-log.passed');

    await answerNumber(page, 'downtime', String(downtime));
    await answerQuestion(page, 'why', WHY);
    await answerQuestion(page, 'at-scale', AT_SCALE);

    await page.click('#check');
    for (const task of ['sign-in', 'reboot-log', 'downtime', 'why', 'at-scale']) {
      await expect.poll(() => page.getAttribute(`#task-${task}`, 'class')).toBe('task passed');
    }
    expect(await page.textContent('#task-downtime .result')).toBe('Right — the whole base was off the air for about a minute and a half, every handset on it with it.');
    await expect.poll(() => page.textContent('#score')).toBe('70/70');
    expect(await page.textContent('#check-result')).toMatch(/^Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 5 of 5 tasks passed\.$/);
  });
});


/** The task's number question: the number typed, Answer, and the confirmation. */
async function answerNumber(page: Page, task: string, value: string) {
  const form = page.locator(`#task-${task} form.answer-form`);
  await form.getByLabel('Your answer', { exact: true }).fill(value);
  page.once('dialog', (d) => void d.accept());
  await form.getByRole('button', { name: 'Answer' }).click();
  await expect.poll(() => form.locator('[data-answer]').textContent()).toContain(value);
}
