/**
 * Grades a lab against an exercise: the tasks in order, each task's checks against the lab's read-outs
 * (lab-readouts.ts), and its question against the trainee's answer. A task with `wait` is checked again as the lab runs until it passes or that much lab time has
 * passed; a failed `barrier` task leaves the tasks after it unchecked. The score is the points of the passed tasks,
 * less what the hints used cost.
 */
import type { VirtualClock } from '../kernel/virtual-clock.ts';
import { parseDuration } from '../rehearsal/duration.ts';
import type { Lab } from '../lab/lab.ts';
import { type CheckResult, runCheck, runQuestion } from './check-conditions.ts';
import type { Exercise, Task } from './exercise-types.ts';
import { labReadouts, type LabReadouts } from './lab-readouts.ts';

export type TaskStatus = 'passed' | 'failed' | 'not-checked';

export interface TaskResult {
  id: string;
  title: string;
  status: TaskStatus;
  points: number;
  earned: number;
  hintUsed: boolean;
  /** The task's pass or fail text (or why it was not checked). */
  text: string;
  checks: CheckResult[];
}

export interface Grade {
  title: string;
  tasks: TaskResult[];
  score: number;
  maxScore: number;
  /** Every task passed. */
  passed: boolean;
}

export interface GradeOptions {
  /** Ids of the tasks whose hint the trainee asked for. */
  hintsUsed?: ReadonlySet<string>;
  /** How often a running lab is looked at again during a task's `wait` (real ms; default 250). */
  pollMs?: number;
  /** The trainee's answers to the tasks' questions, by task id (check-conditions.ts `readAnswer`). */
  answers?: Readonly<Record<string, string>>;
}

export const DEFAULT_POINTS = 10;

/** What a hint costs: its `cost`, else half the task's points. */
export function hintCost(task: Task): number {
  return task.hint ? (task.hint.cost ?? Math.floor((task.points ?? DEFAULT_POINTS) / 2)) : 0;
}

/** Grades `lab` against `exercise` (variables already resolved: exercise-variables.ts). */
export async function gradeLab(lab: Lab, exercise: Exercise, options: GradeOptions = {}): Promise<Grade> {
  const readouts = labReadouts(lab);
  const tasks: TaskResult[] = [];
  let blockedBy: Task | undefined;
  for (const task of exercise.tasks) {
    const points = task.points ?? DEFAULT_POINTS;
    const hintUsed = options.hintsUsed?.has(task.id) ?? false;
    if (blockedBy) {
      tasks.push({ id: task.id, title: task.title, status: 'not-checked', points, earned: 0, hintUsed, text: `Not checked: "${blockedBy.title}" must pass first.`, checks: [] });
      continue;
    }
    const checks = await checkTask(lab.clock, task, readouts, options.pollMs ?? 250);
    if (task.question) checks.push(runQuestion(task.question, options.answers?.[task.id]));
    const passed = checks.every((c) => c.ok);
    const earned = passed ? Math.max(0, points - (hintUsed ? hintCost(task) : 0)) : 0;
    tasks.push({
      id: task.id,
      title: task.title,
      status: passed ? 'passed' : 'failed',
      points,
      earned,
      hintUsed,
      text: passed ? (task.pass ?? 'Done.') : (task.fail ?? 'Not done yet.'),
      checks,
    });
    if (!passed && task.barrier) blockedBy = task;
  }
  const score = tasks.reduce((n, t) => n + t.earned, 0);
  const maxScore = tasks.reduce((n, t) => n + t.points, 0);
  return { title: exercise.title, tasks, score, maxScore, passed: tasks.every((t) => t.status === 'passed') };
}

async function checkTask(clock: VirtualClock, task: Task, readouts: LabReadouts, pollMs: number): Promise<CheckResult[]> {
  const run = () => (task.checks ?? []).map((c) => runCheck(c, readouts));
  let results = run();
  const waitMs = task.wait === undefined ? 0 : parseDuration(task.wait)!;
  if (waitMs === 0 || results.every((r) => r.ok)) return results;
  const pass = () => {
    results = run();
    return results.every((r) => r.ok);
  };
  await untilOnLabClock(clock, pass, waitMs, pollMs);
  return results;
}

/**
 * Waits until `predicate` holds or `ms` of lab time have passed. A paused clock (a copy being graded, a test) is
 * stepped from deadline to deadline; a running one (a trainee's lab) is looked at every `pollMs` of real time.
 */
export async function untilOnLabClock(clock: VirtualClock, predicate: () => boolean, ms: number, pollMs = 250): Promise<boolean> {
  if (clock.paused) return clock.advanceUntil(predicate, ms);
  const deadline = clock.now() + ms;
  while (!predicate()) {
    if (clock.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}
