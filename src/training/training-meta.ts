/**
 * What a training lab file remembers of its exercise (the `training` entry of its meta table): which exercise, the
 * seed its variables were drawn from, when the trainee started, which hints they asked for, their answers and when they
 * last pressed Check. `rove-sim train`
 * writes it; `rove-sim check` reads it to grade with the same variables and hint costs.
 */
import type { LabStore } from '../lab/lab-store.ts';

export interface TrainingMeta {
  exercise: string;
  seed: number;
  /** Lab time the trainee started. */
  startedAt: number;
  hintsUsed: string[];
  /** The trainee's answers to the tasks' questions, by task id, as check-conditions.ts `readAnswer` keeps them. */
  answers?: Record<string, string>;
  /** Lab time the trainee last pressed Check (absent: never); from then on a task not done shows as failed. */
  checkedAt?: number;
}

const KEY = 'training';

export function readTrainingMeta(store: LabStore): TrainingMeta | undefined {
  const meta = store.getMeta<TrainingMeta>(KEY);
  return meta && typeof meta.seed === 'number' && Array.isArray(meta.hintsUsed) ? meta : undefined;
}

export function writeTrainingMeta(store: LabStore, meta: TrainingMeta): void {
  store.setMeta(KEY, meta);
}
