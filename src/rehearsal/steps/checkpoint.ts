/** `checkpoint: <name>`: saves the whole lab under that name in its lab file (src/live/checkpoints.ts). */
import { saveCheckpoint } from '../../live/checkpoints.ts';
import type { StepKind } from './step-kind.ts';

export const checkpointStep: StepKind<'checkpoint'> = {
  run(step, { lab }) {
    saveCheckpoint(lab, step.checkpoint);
  },
};
