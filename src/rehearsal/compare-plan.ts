/**
 * Another rollout plan to compare with (`compare: { plan: FILE }` in a scenario, or `rehearse --compare-plan FILE`):
 * a scenario file of its own whose steps run as the comparison on the starting lab of the scenario it is compared
 * with. A plan is a whole scenario, so it can be rehearsed on its own too; what makes the starting lab — the lab, the
 * seed that numbers it, the start time and the firmware — must be the same in both files, else the comparison would
 * measure the labs and not the plans (another firmware for the comparison goes in `compare.profile`).
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from './scenario-types.ts';

/** The keys of a scenario file that make its starting lab. */
export const STARTING_LAB_KEYS = ['lab', 'seed', 'start', 'profile', 'profileOverrides', 'handsetProfile', 'handsetProfileOverrides', 'teamsProfile'] as const;

/** The keys of {@link STARTING_LAB_KEYS} whose values differ between the two files (absent equals absent only). */
export function startingLabDifferences(main: Scenario, plan: Scenario): string[] {
  return STARTING_LAB_KEYS.filter((key) => !isDeepStrictEqual(main[key], plan[key]));
}

export type PlanRead = { ok: true; plan: Scenario } | { ok: false; problem: string };

/**
 * Reads the plan file `file` (relative to `dir`) with `parse` (the scenario loader's, without resolving the plan's
 * own `compare.plan`) and checks it starts from `main`'s lab. A problem is one message saying what to do.
 */
export function readPlan(file: string, dir: string, main: Scenario, parse: (text: string, name: string) => Scenario, relativeTo = 'this file'): PlanRead {
  const full = path.resolve(dir, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? `no plan file "${file}" (looked for ${full}; the path is relative to ${relativeTo})` : `the plan file "${file}" cannot be read (${code ?? (err as Error).message})` };
  }
  let plan: Scenario;
  try {
    plan = parse(text, path.basename(full));
  } catch (err) {
    return { ok: false, problem: `the plan "${file}" is not a valid scenario:\n  ${(err as Error).message.split('\n').join('\n  ')}` };
  }
  const differs = startingLabDifferences(main, plan);
  if (differs.length > 0) {
    return {
      ok: false,
      problem: `the plan "${file}" starts from another lab (${differs.join(', ')} ${differs.length === 1 ? 'differs' : 'differ'}): both plans run on the same starting lab, so copy these from this file (another firmware for the comparison: compare.profile)`,
    };
  }
  return { ok: true, plan };
}

/** The comparison's own scenario: the main lab with the other plan's steps and name, when there is another plan. */
export function comparisonScenario(main: Scenario, steps: Scenario['steps'] | undefined, planName: string | undefined): Scenario {
  if (!steps) return main;
  return { ...main, name: planName ?? main.name, steps };
}
