/**
 * What `rehearse --runs N` reports (report.json `runs`, report-comparison-html.ts draws it): per plan, each run's key
 * numbers and the timings drawn for it, and the range of each key number over the runs. Plain data.
 */
import { keyNumbers, keyRanges, type KeyNumbers } from '../report-comparison.ts';
import type { Failure, RunReport } from '../report.ts';

export interface RunNumbers {
  /** 1-based; run 1 plays the modelled timings. */
  run: number;
  /** Seed of the run's timing draws (null for run 1). */
  timingSeed: number | null;
  /** The durations drawn for the run, by profile field (`bootMs`, `handset.otaTransferMs`, `user.spacing`…). */
  timings: Record<string, number>;
  numbers: KeyNumbers;
  /** The run's failed expectations (its timings can break an expectation the modelled ones keep). */
  failures: Failure[];
}

export interface PlanRuns {
  label: string;
  runs: RunNumbers[];
  ranges: ReturnType<typeof keyRanges>;
}

export interface RunsSummary {
  count: number;
  /** In words: what varied and by how much. */
  variation: string;
  plans: PlanRuns[];
}

export function planRuns(
  label: string,
  runs: Array<{ run: number; timingSeed: number | null; timings: Record<string, number>; report: RunReport; failures: Failure[] }>,
): PlanRuns {
  const numbered = runs.map((r) => ({ run: r.run, timingSeed: r.timingSeed, timings: r.timings, numbers: keyNumbers(r.report), failures: r.failures }));
  return { label, runs: numbered, ranges: keyRanges(numbered.map((r) => r.numbers)) };
}
