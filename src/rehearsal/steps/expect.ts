/** `expect: <conditions>`: checks them now (no lab time passes); each that does not hold is a failure. */
import { compileCondition, type ConditionResult } from '../conditions.ts';
import { conditionContext } from './step-context.ts';
import type { StepKind } from './step-kind.ts';

export const expectStep: StepKind<'expect'> = {
  run(step, ctx) {
    for (const c of Array.isArray(step.expect) ? step.expect : [step.expect]) {
      const r: ConditionResult = compileCondition(c, conditionContext(ctx))();
      if (!r.ok) ctx.fail(r.expectation, r.actual);
    }
  },
};
