/** `press: { handsets, keys }`: presses the keys on each selected handset (`{menu}`, `{ok}`, digits…), then settles the lab. */
import type { StepKind } from './step-kind.ts';

export const pressStep: StepKind<'press'> = {
  async run(step, { lab, directory }) {
    for (const h of directory.selectHandsets(step.press.handsets)) lab.handsets.get(h.ipei)!.press(step.press.keys);
    await lab.settle();
  },
};
