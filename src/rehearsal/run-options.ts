/**
 * What a scenario run is asked to do (seed, speed, variant, lab file) and the progress it reports. Its own module so
 * that the worker that runs a comparison beside the main run (run-in-worker.ts) and the progress bar (progress.ts)
 * can name these without importing the runner that uses them.
 */
import type { TimingDraw } from './runs/timing-variation.ts';
import type { CompareSpec } from './scenario-types.ts';

export interface RunOptions {
  seed?: number;
  /** `max` (default): as fast as the CPU allows; a number: lab ms per real ms. */
  speed?: 'max' | number;
  /** Another firmware behaviour for this run (comparison runs). */
  variant?: CompareSpec;
  onProgress?: (progress: Progress) => void;
  /** Build the lab in this lab file (default: in memory) and keep checkpoints `scenario-start` and `scenario-end` in it. */
  labFile?: string;
  /** Stop after the step of this name (an exercise's starting lab: a scenario prefix, src/training/). */
  stopAfter?: string;
  /** Durations drawn for this run of `rehearse --runs` (default: the modelled ones). */
  timing?: TimingDraw;
}

export interface Progress {
  stepsDone: number;
  steps: number;
  /** Lab ms since the start. */
  virtualMs: number;
  /** Lab ms the steps are known to need at least (waits and `at` times). */
  plannedMs: number;
  /** The step going on (or the last one done): its name and its number, from 1 as failures and plan check count. */
  step: string;
  stepNumber: number;
}
