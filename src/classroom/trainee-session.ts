/**
 * What the trainee view (trainee-view-plugin.ts) needs of a training: the exercise (variables resolved), the grade
 * now, Check, hints and the time. A {@link TraineeRoom} is one — the classroom's trainees' and `rove-sim train`'s —
 * and the view depends on this, not on the room.
 */
import type { Grade } from '../training/check-engine.ts';
import type { Exercise } from '../training/exercise-types.ts';
import type { TrainingMeta } from '../training/training-meta.ts';

export interface TraineeUrls {
  main: string;
  taskPanel: string;
  handsets: string;
  teams: string;
  deviceLogin: string;
  bases: Array<{ mac: string; url: string }>;
}

export interface TrainingTiming {
  /** Lab time the trainee started. */
  startedAt: number;
  elapsedMs: number;
  /** Null when the exercise has no time limit. */
  remainingMs: number | null;
  timeLimitMs: number | null;
  /** Time the instructor added. */
  extensionMs: number;
}

export interface TrainingSession {
  readonly trainee: { name: string; login: string };
  readonly exercise: Exercise;
  readonly urls: TraineeUrls;
  readonly meta: TrainingMeta;
  grade(): Promise<Grade>;
  check(): Promise<Grade>;
  useHint(taskId: string): { text: string; cost: number } | undefined;
  /**
   * The trainee's answer to the task's question, kept in the lab file (as `rove-sim check --answer`); returns it as
   * kept. Throws ANSWER_NO_QUESTION or ANSWER_INVALID (saying what to answer), keeping nothing.
   */
  answer(taskId: string, given: string): string;
  timing(): TrainingTiming;
  /** Lab time now. */
  now(): number;
}
