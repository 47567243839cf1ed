/**
 * One trainee's lab as `rove-sim train` starts it (paused, in a lab file of a temporary folder) and a headless
 * Chromium, for a browser test's describe block: the beforeAll that starts both (then `prepare`, e.g. stepping the
 * clock past the base's boot), and the afterAll that closes every context opened through it, the browser and the lab,
 * and removes the folder. The trainee-view tests all need exactly this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
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
