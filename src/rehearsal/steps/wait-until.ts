/**
 * `waitUntil: <conditions>`: lets lab time pass until every condition holds, at most `timeout` (default 1 h); when
 * they do not all hold by then, each one that does not is a failure.
 */
import { compileCondition } from '../conditions.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { conditionContext, runOne } from './step-context.ts';
import type { StepKind } from './step-kind.ts';

export const DEFAULT_WAIT_TIMEOUT_MS = 60 * 60_000;

export const waitUntilStep: StepKind<'waitUntil'> = {
  async run(step, ctx) {
    const { driver } = ctx;
    const timeout = step.timeout !== undefined ? parseDuration(step.timeout)! : DEFAULT_WAIT_TIMEOUT_MS;
    const conditions = Array.isArray(step.waitUntil) ? step.waitUntil : [step.waitUntil];
    const checks = conditions.map((c) => compileCondition(c, conditionContext(ctx)));
    const held = await runOne(driver, () => driver.until(() => checks.every((c) => c().ok), timeout));
    if (!held) {
      for (const r of checks.map((c) => c())) if (!r.ok) ctx.fail(`within ${formatDuration(timeout)}: ${r.expectation}`, r.actual);
    }
  },
};
