/**
 * The contract of a step kind: the step key of a scenario file (`wait`, `press`, `teams`, …; STEP_ACTIONS in
 * scenario-schema.ts) and the handler that plays a step of that kind on the lab. The runner looks the handler up by
 * the step's key in the table of step-kinds.ts; a new kind is a key in the schema, a module here and a row there.
 */
import { STEP_ACTIONS } from '../scenario-schema.ts';
import type { Step, StepAction, StepCommon } from '../scenario-types.ts';
import type { StepContext } from './step-context.ts';

/** A step key of the scenario file. */
export type StepKey = (typeof STEP_ACTIONS)[number];

/** A step of kind `K`, with the fields every step may have (name, at, timeout, run). */
export type StepOf<K extends StepKey> = StepCommon & Extract<StepAction, Record<K, unknown>>;

export interface StepKind<K extends StepKey> {
  /** Plays the step; what did not hold goes to `ctx.fail`, a throw fails the step with the error's message. */
  run(step: StepOf<K>, ctx: StepContext): Promise<void> | void;
  /** Lab time the step needs at least (the progress bar's plan), when it is known before running. */
  plannedMs?(step: StepOf<K>): number;
}

/** A step kind as the runner holds it: it gives each handler only steps of the handler's kind. */
export interface AnyStepKind {
  run(step: Step, ctx: StepContext): Promise<void> | void;
  plannedMs?(step: Step): number;
}

/** The step's key: the first of STEP_ACTIONS it has (the loader refuses a step with none, or with two). */
export function stepKeyOf(step: Step): StepKey | undefined {
  return STEP_ACTIONS.find((a) => a in step);
}

// The schema's step keys and the step types' keys are the same set: a key added to one only is a type error here.
type ActionKeys = StepAction extends infer A ? (A extends unknown ? keyof A : never) : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const keysAgree: Same<StepKey, ActionKeys> = true;
void keysAgree;
