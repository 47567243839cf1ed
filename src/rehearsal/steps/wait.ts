/** `wait: 10m`: lets that much lab time pass (the lab runs meanwhile: timers, retries, reboots). */
import { parseDuration } from '../duration.ts';
import type { StepKind } from './step-kind.ts';

export const waitStep: StepKind<'wait'> = {
  async run(step, { driver }) {
    await driver.run([() => driver.sleep(parseDuration(step.wait)!)]);
  },
  plannedMs: (step) => parseDuration(step.wait)!,
};
