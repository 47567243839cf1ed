/** `reboot: { bases, forced }`: the web admin's Reboot (or Forced reboot) on each selected base. */
import type { StepKind } from './step-kind.ts';

export const rebootStep: StepKind<'reboot'> = {
  run(step, { lab, directory }) {
    for (const b of directory.selectBases(step.reboot.bases)) {
      lab.bases.get(b.mac)!.send(step.reboot.forced ? { type: 'FORCED_REBOOT', reason: 'Forced reboot (web admin)' } : { type: 'REBOOT', reason: 'Reboot (web admin)' });
    }
  },
};
