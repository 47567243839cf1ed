/**
 * One trainee's lab as `rove-sim train` starts it (paused, in a lab file of a temporary folder) and a headless
 * Chromium, for a browser test's describe block: the beforeAll that starts both (then `prepare`, e.g. stepping the
 * clock past the base's boot), and the afterAll that closes every context opened through it, the browser and the lab,
 * and removes the folder. The trainee-view tests all need exactly this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type RunningTraining, startTraining } from '../../src/classroom/start-training.ts';
import { launchChromium } from './browser.ts';

export interface TrainingInChromium {
  /** The running trainee lab (after the beforeAll). */
  readonly training: RunningTraining;
  /** A new browser context, closed with the rest. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

export function trainingInChromium(exercise: string, prepare?: (training: RunningTraining) => Promise<unknown>): TrainingInChromium {
  let dir: string | undefined;
  let training: RunningTraining | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), `rove-train-${path.basename(exercise, '.yaml')}-`));
    training = await startTraining({ exercise, dir, port: 0, paused: true, log: () => undefined });
    await prepare?.(training);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await training?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  return {
    get training() {
      if (!training) throw new Error('trainingInChromium: the lab is started in beforeAll; use it inside a test');
      return training;
    },
    async newContext(options) {
      if (!browser) throw new Error('trainingInChromium: Chromium is launched in beforeAll; use it inside a test');
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    },
  };
}

/**
 * The first login as the guide has it — the factory `admin`/`admin`, then the base's forced password change — on each
 * base in `macs` (opened from the task panel; without `macs`, the base the trainee view opens on), then the trainee's
 * own browser context logged in with `password`: its trainee view and the frame beside the task panel.
 */
export async function traineeAfterFirstLogin(session: TrainingInChromium, password: string, macs?: readonly string[]): Promise<{ page: Page; device: FrameLocator }> {
  const { url } = session.training;
  const first = await session.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
  const firstPage = await first.newPage();
  await firstPage.goto(url);
  const firstDevice = firstPage.frameLocator('#device');
  for (const mac of macs ?? [undefined]) {
    if (mac !== undefined) await firstPage.click(`#open-base-${mac}`);
    await firstDevice.locator('#newPassword').fill(password);
    await firstDevice.locator('#confirmPassword').fill(password);
    await firstDevice.locator('button:has-text("Change password")').click();
    await expect.poll(() => firstDevice.locator('body').innerText()).toContain('Password changed.');
  }
  await first.close();

  const trainee = await session.newContext({ httpCredentials: { username: 'admin', password }, viewport: { width: 1400, height: 900 } });
  const page = await trainee.newPage();
  await page.goto(url);
  return { page, device: page.frameLocator('#device') };
}

/** A task's question in the panel: the choice with this text, Answer, and the confirmation that it is final. */
export async function answerQuestion(page: Page, task: string, choice: string): Promise<void> {
  const form = page.locator(`#task-${task} form.answer-form`);
  await form.getByLabel(choice, { exact: true }).check();
  page.once('dialog', (d) => void d.accept());
  await form.getByRole('button', { name: 'Answer' }).click();
  await expect.poll(() => form.locator('[data-answer]').textContent()).toBe(`Your answer: ${choice}`);
}
