/**
 * The table of step kinds: each step key of a scenario file (STEP_ACTIONS) and the module that plays it. The runner
 * dispatches every step through it; the loader refuses a step whose key is not in STEP_ACTIONS before the run
 * starts, and the mapped type makes a key without a handler (or a handler without a key) a type error.
 */
import type { Step } from '../scenario-types.ts';
import { checkpointStep } from './checkpoint.ts';
import { clearFaultStep } from './clear-fault.ts';
import { expectStep } from './expect.ts';
import { faultStep } from './fault.ts';
import { powerStep } from './power.ts';
import { pressStep } from './press.ts';
import { rebootStep } from './reboot.ts';
import { registerStep } from './register.ts';
import { restoreStep } from './restore.ts';
import { settingsStep } from './settings.ts';
import { type AnyStepKind, stepKeyOf, type StepKey, type StepKind } from './step-kind.ts';
import { teamsStep } from './teams.ts';
import { waitUntilStep } from './wait-until.ts';
import { waitStep } from './wait.ts';

export const STEP_KINDS: { readonly [K in StepKey]: StepKind<K> } = {
  settings: settingsStep,
  press: pressStep,
  register: registerStep,
  teams: teamsStep,
  wait: waitStep,
  waitUntil: waitUntilStep,
  power: powerStep,
  reboot: rebootStep,
  fault: faultStep,
  clearFault: clearFaultStep,
  expect: expectStep,
  checkpoint: checkpointStep,
  restore: restoreStep,
};

/** The handler of the step's kind (undefined for a step without a known key, which the loader never lets through). */
export function stepKindOf(step: Step): AnyStepKind | undefined {
  const key = stepKeyOf(step);
  // The table's row for `key` takes a step of that kind, which `step` is: it has the key.
  return key === undefined ? undefined : (STEP_KINDS[key] as unknown as AnyStepKind);
}
