/**
 * A trainee answers a question in the trainee view, in Chromium (`rove-sim train` on register-handset.yaml): picks a
 * choice and presses Answer; the answer is kept without leaving the page (the device page beside the panel stays), and
 * shows under the question.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTraining, startTraining } from '../../src/classroom/start-training.ts';
import { readTrainingMeta } from '../../src/training/training-meta.ts';
import { launchChromium } from '../support/browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/register-handset.yaml');

describe('A trainee answers a question, in Chromium', () => {
  let dir: string;
  let training: RunningTraining;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-train-question-'));
    training = await startTraining({ exercise: EXERCISE, dir, port: 0, paused: true, log: () => undefined });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await training?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks a choice, presses Answer, and sees it kept under the question while the page stays', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(training.url);
    const form = page.locator('#task-closed-window form.answer-form');
    await form.locator('input[name=answer][value="2"]').check();
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    page.once('dialog', (d) => void d.accept()); // "Your answer is final: send it?"
    await form.locator('button').click();
    await expect.poll(() => form.locator('[data-answer]').textContent()).toBe("Your answer: The base's registration window had closed (it is open for 5 minutes)");
    // Posted in the background: the same page (a reload would have lost the mark).
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(readTrainingMeta(training.room.lab.store)?.answers).toEqual({ 'closed-window': "The base's registration window had closed (it is open for 5 minutes)" });
    // Final: the choices can no longer be changed.
    expect(await form.locator('input[name=answer][value="1"]').isDisabled()).toBe(true);
  });
});
