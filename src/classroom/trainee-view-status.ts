/**
 * What the trainee view shows of a training now, as one value: the page renders it, `status.json` sends it, and the
 * view's script applies it every second. Task states for the trainee:
 *
 *     pending ──(its checks hold)──▶ passed
 *        │                             │
 *        └─(Check pressed, not done)─▶ failed ◀─(undone after)─┘
 *
 * A task is *passed* whenever its checks hold now (live, as Packet Tracer's "% complete"); one that does not is
 * *pending* until the trainee first presses Check, and *failed* from then on, with the exercise's `fail` texts. A task
 * behind a failed barrier is pending, saying which task must pass first. A hint's text is in the status only once
 * asked for.
 */
import { hintCost } from '../training/check-engine.ts';
import type { TrainingSession } from './trainee-session.ts';

export type ViewTaskStatus = 'pending' | 'passed' | 'failed';

export interface ViewTask {
  id: string;
  title: string;
  status: ViewTaskStatus;
  /** The exercise's pass or fail text, or what a pending task waits for. */
  text: string;
  /** The failed checks' own `fail` texts (failed tasks only). */
  details: string[];
  earned: number;
  points: number;
  hint: { cost: number; used: boolean; text: string | null } | null;
  /** The trainee's kept answer to the task's question (null: none yet, or the task asks none). */
  answer: string | null;
}

export interface ViewStatus {
  title: string;
  trainee: string;
  score: number;
  maxScore: number;
  passed: number;
  tasks: ViewTask[];
  /** Null when the exercise has no time limit. */
  remainingMs: number | null;
  timeLimitMs: number | null;
  extensionMs: number;
  elapsedMs: number;
  /** Lab time of the last Check (ISO), or null before the first. */
  checkedAt: string | null;
  /** Lab time now (ISO). */
  now: string;
}

export const PENDING_TEXT = 'Not checked yet: press Check when you have done it.';

export async function viewStatus(session: TrainingSession, now: number): Promise<ViewStatus> {
  const grade = await session.grade();
  const timing = session.timing();
  const { meta, exercise } = session;
  const used = new Set(meta.hintsUsed);
  const checked = meta.checkedAt !== undefined;
  const tasks = exercise.tasks.map((task, i): ViewTask => {
    const result = grade.tasks[i]!;
    const status: ViewTaskStatus = result.status === 'passed' ? 'passed' : result.status === 'failed' && checked ? 'failed' : 'pending';
    const text = status === 'pending' ? (result.status === 'not-checked' ? result.text : PENDING_TEXT) : result.text;
    const details = status === 'failed' ? [...new Set(result.checks.flatMap((c) => (!c.ok && c.fail ? [c.fail] : [])))] : [];
    return {
      id: task.id,
      title: task.title,
      status,
      text,
      details,
      earned: result.earned,
      points: result.points,
      hint: task.hint ? { cost: hintCost(task), used: used.has(task.id), text: used.has(task.id) ? task.hint.text : null } : null,
      answer: task.question ? (meta.answers?.[task.id] ?? null) : null,
    };
  });
  return {
    title: exercise.title,
    trainee: session.trainee.name,
    score: grade.score,
    maxScore: grade.maxScore,
    passed: grade.tasks.filter((t) => t.status === 'passed').length,
    tasks,
    remainingMs: timing.remainingMs,
    timeLimitMs: timing.timeLimitMs,
    extensionMs: timing.extensionMs,
    elapsedMs: timing.elapsedMs,
    checkedAt: meta.checkedAt === undefined ? null : new Date(meta.checkedAt).toISOString(),
    now: new Date(now).toISOString(),
  };
}
