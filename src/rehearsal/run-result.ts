/**
 * What a scenario run gives back: the report, the event log's events and the failed expectations. Plain data (it
 * crosses from a worker thread by structured clone, run-in-worker.ts); its own module so that the worker and the CLI
 * can name it without importing the runner.
 */
import type { LabEvent } from './recorder.ts';
import type { Failure, RunReport } from './report.ts';

export interface RunResult {
  report: RunReport;
  events: LabEvent[];
  failures: Failure[];
  /** Real ms the run took (measurement only: never part of the report, which must not depend on the machine). */
  wallMs: number;
}
