/**
 * A trainee answers a question in the trainee view, in Chromium (`rove-sim train` on register-handset.yaml): picks a
 * choice and presses Answer; the answer is kept without leaving the page (the device page beside the panel stays), and
 * shows under the question.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrainingMeta } from '../../src/training/training-meta.ts';
import { trainingInChromium } from '../support/training-browser.ts';

const EXERCISE = path.resolve('fixtures/exercises/register-handset.yaml');

describe('A trainee answers a question, in Chromium', () => {
  const session = trainingInChromium(EXERCISE);

  it('picks a choice, presses Answer, and sees it kept under the question while the page stays', async () => {
    const { training } = session;
    const context = await session.newContext();
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
