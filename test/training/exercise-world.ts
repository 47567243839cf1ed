/** An exercise's lab opened as `rove-sim train` opens it, on a paused lab clock, for the stories of test/training/. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Lab } from '../../src/lab/lab.ts';
import { type Grade, gradeLab } from '../../src/training/check-engine.ts';
import { answerTask } from '../../src/training/check-conditions.ts';
import { openExerciseLab } from '../../src/training/exercise-lab.ts';
import { labComesUp } from '../../src/training/lab-comes-up.ts';
import { type LoadedExercise, loadExerciseFile } from '../../src/training/exercise-loader.ts';
import type { Exercise } from '../../src/training/exercise-types.ts';
import { drawVariables, resolveExercise, type VariableValues } from '../../src/training/exercise-variables.ts';

export const EXERCISES = path.resolve(import.meta.dirname, '../../fixtures/exercises');

export interface ExerciseWorld {
  loaded: LoadedExercise;
  exercise: Exercise;
  variables: VariableValues;
  lab: Lab;
  /** The lab file (as `rove-sim train` leaves it for `rove-sim check` once the lab is closed). */
  file: string;
  /** Stops the lab, leaving its file (close() removes it). */
  closeLab(): Promise<void>;
  /** Grades the lab now; `answers` are the trainee's answers as typed, read as the task panel reads them. */
  grade(hintsUsed?: string[], answers?: Record<string, string>): Promise<Grade>;
  close(): Promise<void>;
}

export async function openExercise(name: string, seed = 1): Promise<ExerciseWorld> {
  const loaded = loadExerciseFile(path.join(EXERCISES, name));
  const variables = drawVariables(loaded.exercise, seed);
  const exercise = resolveExercise(loaded.exercise, variables);
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-exercise-'));
  const file = path.join(dir, 'lab.db');
  const lab = await openExerciseLab(loaded, exercise, { file, seed, variables, paused: true, start: Date.UTC(2026, 10, 2, 9) });
  let closed = false;
  const closeLab = async () => {
    if (closed) return;
    closed = true;
    await lab.close();
  };
  // Opening the lab file power-cycled its devices: the trainee starts once they are back.
  await labComesUp(lab);
  return {
    loaded,
    exercise,
    variables,
    lab,
    file,
    closeLab,
    grade: (hintsUsed = [], answers = {}) =>
      gradeLab(lab, exercise, {
        hintsUsed: new Set(hintsUsed),
        answers: Object.fromEntries(Object.entries(answers).map(([task, given]) => [task, answerTask(exercise, task, given)])),
      }),
    async close() {
      await closeLab();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Each task's status and text, as `rove-sim check` prints them. */
export function outcome(grade: Grade): Array<[string, string, string]> {
  return grade.tasks.map((t) => [t.id, t.status, t.text]);
}

/** The `fail` texts of the checks that failed, task by task. */
export function failTexts(grade: Grade, task: string): string[] {
  return grade.tasks.find((t) => t.id === task)!.checks.filter((c) => !c.ok).map((c) => c.fail ?? `${c.expectation} — ${c.actual}`);
}
