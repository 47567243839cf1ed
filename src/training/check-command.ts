/**
 * `rove-sim check EXERCISE --lab FILE`: grades a lab file against an exercise without a browser, netlab-style exit
 * codes: 0 every task passed, 1 a task failed, 2 the exercise file (or an `--answer`) is invalid, 3 the lab could not be
 * opened or run. The trainee's answers to the tasks' questions are those the lab file keeps (training-meta.ts), and
 * any `--answer TASK=VALUE` given.
 *
 * The trainee's file is never changed: a copy is graded (SQLite's online backup, so a simulator may still be running
 * on it). Opening a lab power-cycles its devices, as a restart of the simulator does, so the copy runs on a paused
 * lab clock until its bases are up and its handsets back in service before the first task is checked.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { ERR_EXERCISE_LAB_MISSING } from '../kernel/error-catalogue.ts';
import { Lab } from '../lab/lab.ts';
import { restoreFaults } from '../live/faults/fault-board.ts';
import { type Grade, gradeLab } from './check-engine.ts';
import { ExerciseError, loadExerciseFile } from './exercise-loader.ts';
import { drawVariables, resolveExercise } from './exercise-variables.ts';
import { formatGrade } from './grade-text.ts';
import { labComesUp } from './lab-comes-up.ts';
import { readTrainingMeta } from './training-meta.ts';
import { answerTask } from './check-conditions.ts';
import type { Exercise } from './exercise-types.ts';

/** An `--answer` that is not one: said as it is, exit 2 (the check could not run as asked). */
class AnswerError extends Error {}

/** `--answer TASK=VALUE`, each read as the task's question reads it. */
function readAnswers(exercise: Exercise, given: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of given) {
    const at = arg.indexOf('=');
    if (at <= 0) throw new AnswerError(`--answer ${arg}: write TASK=ANSWER, e.g. --answer downtime=95`);
    const task = arg.slice(0, at).trim();
    try {
      out[task] = answerTask(exercise, task, arg.slice(at + 1));
    } catch (err) {
      throw new AnswerError(`--answer ${arg}: ${(err as Error).message}`);
    }
  }
  return out;
}

export const EXIT = { passed: 0, failed: 1, invalidExercise: 2, labUnusable: 3 } as const;

export interface CheckOutcome {
  exitCode: number;
  grade?: Grade;
}

export async function checkLabFile(
  exerciseFile: string,
  labFile: string,
  options: { seed?: number; json?: boolean; answers?: readonly string[] },
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<CheckOutcome> {
  let loaded;
  try {
    loaded = loadExerciseFile(exerciseFile);
  } catch (err) {
    if (err instanceof ExerciseError) {
      io.err(err.message);
      return { exitCode: EXIT.invalidExercise };
    }
    throw err;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-check-'));
  let lab: Lab | undefined;
  try {
    const copy = path.join(dir, 'lab.db');
    let grade: Grade;
    let seed: number;
    let answers: Record<string, string>;
    try {
      if (!existsSync(labFile)) throw new ERR_EXERCISE_LAB_MISSING(labFile);
      const source = new Database(labFile, { readonly: true, fileMustExist: true });
      try {
        await source.backup(copy);
      } finally {
        source.close();
      }
      const { LabStore } = await import('../lab/lab-store.ts');
      const store = new LabStore(copy);
      const meta = readTrainingMeta(store);
      const savedNow = store.getMeta<number>('clockNow');
      store.close();
      seed = options.seed ?? meta?.seed ?? loaded.exercise.seed ?? 1;
      const exercise = resolveExercise(loaded.exercise, drawVariables(loaded.exercise, seed));
      answers = { ...(meta?.answers ?? {}), ...readAnswers(exercise, options.answers ?? []) };
      lab = await Lab.open({ file: copy, clock: new VirtualClock({ start: savedNow ?? Date.now(), paused: true }), seedDefaultLab: false });
      // Graded with the faults the trainee's lab has (a site whose network is still down stays down in the copy).
      restoreFaults(lab);
      await labComesUp(lab);
      grade = await gradeLab(lab, exercise, { hintsUsed: new Set(meta?.hintsUsed ?? []), answers });
    } catch (err) {
      if (err instanceof AnswerError) {
        io.err(err.message);
        return { exitCode: EXIT.invalidExercise };
      }
      io.err(`${labFile}: the lab could not be opened or run: ${(err as Error).message}`);
      return { exitCode: EXIT.labUnusable };
    }
    if (options.json) io.out(JSON.stringify({ seed, ...grade }, null, 2));
    else for (const line of formatGrade(grade, seed)) io.out(line);
    return { exitCode: grade.passed ? EXIT.passed : EXIT.failed, grade };
  } finally {
    await lab?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
