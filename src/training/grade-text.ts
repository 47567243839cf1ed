/** A grade as `rove-sim check` prints it: each task with its pass or fail text, what failed, and the score. */
import type { Grade } from './check-engine.ts';

const MARK = { passed: '✓', failed: '✗', 'not-checked': '·' } as const;

export function formatGrade(grade: Grade, seed: number): string[] {
  const lines = [`${grade.title} (seed ${seed})`];
  grade.tasks.forEach((t, i) => {
    const hint = t.hintUsed ? ', hint used' : '';
    lines.push(`${MARK[t.status]} ${i + 1}. ${t.title} — ${t.earned}/${t.points}${hint}`);
    lines.push(`    ${t.text}`);
    for (const c of t.checks.filter((c) => !c.ok)) {
      lines.push(`    - ${c.fail ? `${c.fail} (` : ''}expected ${c.expectation}; found ${c.actual}${c.fail ? ')' : ''}`);
    }
  });
  const passed = grade.tasks.filter((t) => t.status === 'passed').length;
  lines.push(`Score: ${grade.score}/${grade.maxScore} (${passed} of ${grade.tasks.length} tasks passed)`);
  return lines;
}
