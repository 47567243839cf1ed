/** `power: { bases, handsets, on }`: switches the selected bases and handsets on or off. */
import type { StepKind } from './step-kind.ts';

export const powerStep: StepKind<'power'> = {
  run(step, { lab, directory }) {
    for (const b of step.power.bases ? directory.selectBases(step.power.bases) : []) lab.bases.get(b.mac)!.setPower(step.power.on);
    for (const h of step.power.handsets ? directory.selectHandsets(step.power.handsets) : []) lab.handsets.get(h.ipei)!.setPower(step.power.on);
  },
};
