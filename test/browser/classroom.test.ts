/**
 * Two trainees at once in Chromium, each in a browser context of their own, on a classroom of
 * first-login-and-firmware.yaml: each logs in on the classroom's login page, lands on their trainee view, opens their
 * base's web admin beside the task panel and does the first task (the forced change of the factory password). Neither
 * can open the other's pages (trainee view, handsets, base web admin, Teams admin center: sent to the login page or
 * refused), and the instructor page, in a third context, shows both progressing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningClassroom, startClassroom } from '../../src/classroom/start-classroom.ts';
import type { TraineeRoom } from '../../src/classroom/trainee-room.ts';
import { launchChromium } from '../support/browser.ts';
import { MINUTE } from '../support/lab.ts';

const EXERCISE = path.resolve('fixtures/exercises/first-login-and-firmware.yaml');
const INSTRUCTOR = 'teach-the-class-1';

describe('Two trainees in one classroom, in Chromium', () => {
  let dir: string;
  let classroom: RunningClassroom;
  let rooms: TraineeRoom[];
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-classroom-browser-'));
    classroom = await startClassroom({ exercise: EXERCISE, dir, trainees: 2, port: 0, instructorPassword: INSTRUCTOR, paused: true, log: () => undefined });
    rooms = [...classroom.rooms.values()];
    await Promise.all(rooms.map((r) => r.lab.clock.advance(2 * MINUTE)));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await classroom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each trainee does the first task in their own lab, cannot open the other lab, and the instructor sees both', async () => {
    const trainees = classroom.generated.trainees!;
    const pages = await Promise.all(
      trainees.map(async (t) => {
        const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${classroom.url}/`);
        await page.fill('input[name=login]', t.login);
        await page.fill('input[name=password]', t.password);
        await page.click('button[type=submit]');
        await page.waitForSelector('#training');
        return { t, context, page };
      }),
    );
    // Both at once: each opens their base's web admin beside the task panel and changes the factory password.
    await Promise.all(
      pages.map(async ({ page }, i) => {
        expect(page.url()).toBe(rooms[i]!.urls.taskPanel);
        await page.click(`a[target=device][href="${rooms[i]!.urls.bases[0]!.url}"]`);
        const device = page.frameLocator('#device');
        await device.locator('#newPassword').fill(`Rollout2026${i}`);
        await device.locator('#confirmPassword').fill(`Rollout2026${i}`);
        await device.locator('button:has-text("Change password")').click();
        await device.locator('text=Password changed').waitFor();
        await page.click('#check');
        await page.waitForSelector('#task-login.passed');
        expect(await page.textContent('#score')).toBe('10/50');
      }),
    );

    // Neither reaches the other's lab: pages go to the login page, the rest is refused.
    for (const [i, { context, page }] of pages.entries()) {
      const other = rooms[1 - i]!;
      for (const url of [other.urls.taskPanel, other.urls.handsets, other.urls.bases[0]!.url, other.urls.teams]) {
        await page.goto(url);
        expect(page.url(), url).toBe(`${classroom.url}/?trainee=${other.trainee.login}`);
        expect(await page.textContent('h2')).toBe('Log in');
        const res = await context.request.get(url, { maxRedirects: 0 });
        expect(res.status(), url).toBe(401);
      }
    }

    const instructor = await browser.newContext();
    contexts.push(instructor);
    const page = await instructor.newPage();
    await page.goto(`${classroom.url}/`);
    await page.fill('input[name=login]', 'instructor');
    await page.fill('input[name=password]', INSTRUCTOR);
    await page.click('button[type=submit]');
    await page.waitForSelector('#rows tr[data-login=trainee02]');
    for (const login of ['trainee01', 'trainee02']) {
      const row = page.locator(`#rows tr[data-login=${login}]`);
      await expect.poll(() => row.locator('.score').textContent()).toBe('10/50');
      expect(await row.textContent()).toContain('✓ Log in and change the factory password');
      expect(await row.locator('.devices').textContent()).toContain('Rove B4 0004F2A00001: running (8.0.0.0402)');
    }
  });
});
