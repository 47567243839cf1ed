/**
 * What the thread that owns a run series and its worker (series-worker.ts) say to each other: a job (one run), or
 * `null` when there is none left; back, `ready` once, then each run's result or error. Plain data (structured clone).
 */
import type { RunOptions } from '../run-options.ts';
import type { RunResult } from '../run-result.ts';

export interface SeriesJob {
  /** Position in the series (the result goes back to it). */
  index: number;
  /** Which of the worker's scenarios (main plan, other plan). */
  scenario: number;
  options: Omit<RunOptions, 'onProgress' | 'labFile'>;
  /** Send the events back too (run 1, whose events are written); other runs send the report only. */
  keepEvents: boolean;
}

export type SeriesMessage =
  | { kind: 'ready' }
  | { kind: 'result'; index: number; result: RunResult }
  | { kind: 'error'; index: number; message: string };
