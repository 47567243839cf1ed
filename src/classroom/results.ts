/**
 * The classroom's results, as the instructor downloads them: JSON (every trainee's status, tasks and devices) and CSV
 * (one row per trainee: name, login, seed, score, tasks passed, hints used, time, then one column per task with its
 * status and points), for a spreadsheet or an LMS import.
 */
import type { TraineeStatus } from './trainee-room.ts';

export interface ClassroomResults {
  exercise: string;
  exportedAt: string;
  trainees: TraineeStatus[];
}

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection): quote it as text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);

export function resultsCsv(results: ClassroomResults): string {
  const tasks = results.trainees[0]?.tasks ?? [];
  const header = ['name', 'login', 'seed', 'score', 'max_score', 'tasks_passed', 'tasks', 'hints_used', 'elapsed_min', 'remaining_min', 'extension_min', ...tasks.flatMap((t) => [`${t.id}_status`, `${t.id}_points`])];
  const rows = results.trainees.map((s) => [
    s.name,
    s.login,
    s.seed,
    s.score,
    s.maxScore,
    s.passed,
    s.tasks.length,
    s.hintsUsed,
    minutes(s.elapsedMs),
    minutes(s.remainingMs),
    minutes(s.extensionMs),
    ...s.tasks.flatMap((t) => [t.status, t.earned]),
  ]);
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
