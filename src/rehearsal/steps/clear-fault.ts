/** `clearFault: <id>` (or `all`): removes that fault from the lab's fault board. */
import { faultsOf } from '../../live/faults/fault-board.ts';
import type { StepKind } from './step-kind.ts';

export const clearFaultStep: StepKind<'clearFault'> = {
  run(step, { lab }) {
    const board = faultsOf(lab);
    if (step.clearFault === 'all') board.clearAll();
    else board.clear(step.clearFault);
  },
};
