/**
 * The lab an exercise starts from: a new lab from a lab template, or a scenario (with the trainee's variables filled
 * in) played into a lab file up to a named step; then the planted faults of the fault catalogue, once the bases answer (a `wrong-config-url` is saved through
 * the base's settings, which needs it running).
 */
import path from 'node:path';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { Lab } from '../lab/lab.ts';
import { LabStore } from '../lab/lab-store.ts';
import { faultsOf, restoreFaults } from '../live/faults/fault-board.ts';
import { parseDuration } from '../rehearsal/duration.ts';
import { runScenario } from '../rehearsal/runner.ts';
import { ERR_EXERCISE_FAULT_NOT_PLANTED, ERR_EXERCISE_LAB_NOT_READY } from '../kernel/error-catalogue.ts';
import { untilOnLabClock } from './check-engine.ts';
import type { Exercise, FaultSpec } from './exercise-types.ts';
import type { LoadedExercise } from './exercise-loader.ts';
import { drawVariables, loadExerciseScenario, type VariableValues } from './exercise-variables.ts';

export interface ExerciseLabOptions {
  /** A new lab file (or `:memory:` for a template lab). A scenario prefix needs a file. */
  file: string;
  /** The seed the variables were drawn from; a scenario prefix is played with it too. */
  seed: number;
  /** The trainee's values, for a scenario prefix that uses them as `{{name}}` (default: drawn from `seed`, as `drawVariables`). */
  variables?: VariableValues;
  /** A paused lab clock that moves only when stepped (tests, `check`); default: running at `speed`. */
  paused?: boolean;
  /** Lab time at the start of a template lab on a paused clock (default: now). */
  start?: number;
  speed?: number;
}

/** How long the bases may take to answer before the faults are planted (lab time). */
const BASES_UP_MS = 10 * 60_000;

/** Opens the exercise's starting lab; `exercise` has its variables resolved. */
export async function openExerciseLab(loaded: LoadedExercise, exercise: Exercise, options: ExerciseLabOptions): Promise<Lab> {
  const spec = exercise.lab ?? {};
  let lab: Lab;
  if (spec.scenario !== undefined) {
    const scenario = loadExerciseScenario(path.resolve(loaded.dir, spec.scenario), options.variables ?? drawVariables(loaded.exercise, options.seed));
    await runScenario(scenario, { labFile: options.file, seed: options.seed, ...(spec.upTo ? { stopAfter: spec.upTo } : {}) });
    const store = new LabStore(options.file);
    const savedNow = store.getMeta<number>('clockNow');
    store.close();
    const clock = new VirtualClock({ start: savedNow ?? Date.now(), paused: options.paused ?? false, speed: options.speed ?? 1 });
    lab = await Lab.open({ file: options.file, clock, seedDefaultLab: false });
  } else {
    const clock = new VirtualClock({ start: options.start ?? Date.now(), paused: options.paused ?? false, speed: options.speed ?? 1 });
    lab = await Lab.open({ file: options.file, clock, template: spec.template ?? 'factory' });
  }
  try {
    restoreFaults(lab);
    if (spec.faults?.length) await plantFaults(lab, spec.faults);
    return lab;
  } catch (err) {
    await lab.close();
    throw err;
  }
}

async function plantFaults(lab: Lab, faults: FaultSpec[]): Promise<void> {
  const up = await untilOnLabClock(lab.clock, () => [...lab.bases.values()].every((b) => !b.flash.powered || b.reachable), BASES_UP_MS);
  if (!up) throw new ERR_EXERCISE_LAB_NOT_READY(BASES_UP_MS / 60_000);
  const board = faultsOf(lab);
  for (const f of faults) {
    const { duration, bases, handsets, ...rest } = f;
    try {
      board.inject({
        ...rest,
        ...(bases !== undefined ? { bases: expand(bases, () => [...lab.bases.keys()]) } : {}),
        ...(handsets !== undefined ? { handsets: expand(handsets, () => [...lab.handsets.keys()]) } : {}),
        ...(duration !== undefined ? { durationMs: parseDuration(duration)! } : {}),
      });
    } catch (err) {
      throw new ERR_EXERCISE_FAULT_NOT_PLANTED(f.type, (err as Error).message);
    }
  }
}

function expand(list: string[] | string, all: () => string[]): string[] {
  const items = typeof list === 'string' ? [list] : list;
  return items.includes('*') ? all() : items;
}
