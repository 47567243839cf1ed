/**
 * `restore: <name>`: puts the lab back as it was at that checkpoint. The recorder is detached meanwhile: the restore
 * replaces every device's state, which is not something that happened in the lab.
 */
import { restoreCheckpoint } from '../../live/checkpoints.ts';
import type { StepKind } from './step-kind.ts';

export const restoreStep: StepKind<'restore'> = {
  async run(step, { lab, recorder }) {
    recorder.detach();
    await restoreCheckpoint(lab, step.restore);
    recorder.attach();
  },
};
