/**
 * `rove-sim plan check` as text: a line with the counts, then each user, base, handset or step with every problem
 * it has, each with what to change. `--json` prints the {@link PlanCheckResult} instead.
 */
import type { PlanCheckResult, PlanProblem } from './plan-check.ts';

const MARK = { error: '✗', warning: '!' } as const;

export function formatPlanCheck(r: PlanCheckResult): string[] {
  const lines: string[] = [];
  const verdict = r.errors > 0 ? 'PROBLEMS' : r.warnings > 0 ? 'OK with warnings' : 'OK';
  lines.push(
    `${verdict}: ${r.scenario} — ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')} (${plural(r.counts.users, 'user')} signing in, ${plural(r.counts.bases, 'base')}, ${plural(r.counts.handsets, 'handset')})`,
  );
  const groups = new Map<string, PlanProblem[]>();
  for (const p of r.problems) {
    const key = p.subject.kind === 'step' ? p.subject.name : `${p.subject.kind} ${p.subject.name}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [subject, problems] of groups) {
    const handsets = [...new Set(problems.flatMap((p) => p.handsets ?? []))];
    lines.push('');
    lines.push(`${subject}${handsets.length ? ` (${handsetList(handsets)})` : ''}`);
    for (const p of problems) {
      lines.push(`  ${MARK[p.severity]} ${p.error}${p.at && p.at !== p.subject.name ? ` [${p.at}]` : ''}`);
      lines.push(`    fix: ${p.fix}`);
      // What the row's account fails with once its own mistake is fixed (the service reports one error a row).
      for (const next of p.then ?? []) {
        lines.push(`    once fixed, then: ${next.error}`);
        lines.push(`      fix: ${next.fix}`);
      }
    }
  }
  return lines;
}

function handsetList(names: string[]): string {
  const shown = names.slice(0, 6).join(', ');
  return `${plural(names.length, 'handset')}: ${shown}${names.length > 6 ? ` and ${names.length - 6} more` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
