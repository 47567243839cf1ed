/**
 * One scenario run in a worker thread, so that a rehearsal's comparison run goes on beside its main run instead of
 * after it: the two runs share nothing (each has its own lab, lab clock, in-memory lab file, servers on ports of
 * their own), so on a machine with two cores the pair takes about as long as one run.
 *
 * The worker's heap is capped like the process's when the rehearsal runs in a sized heap (rehearsal-heap.ts), so a
 * large lab's comparison does not let garbage pile up either. The result crosses back by structured clone (report,
 * events, failures: plain data).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Progress, RunOptions } from './run-options.ts';
import type { RunResult } from './run-result.ts';
import type { Scenario } from './scenario-types.ts';

export type WorkerMessage =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'result'; result: RunResult }
  | { kind: 'error'; message: string };

/** True when a second run can go on beside the first without slowing it (a core of its own). */
export function canRunBeside(): boolean {
  return availableParallelism() >= 2;
}

export function runScenarioInWorker(
  scenario: Scenario,
  options: Omit<RunOptions, 'labFile'> & { heapMb?: number },
): Promise<RunResult> {
  const { onProgress, heapMb, ...rest } = options;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./run-worker-entry.mjs', import.meta.url), {
      workerData: { scenario, options: rest },
      ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onProgress?.(message.progress);
      else {
        settled = true;
        // Done either way: whatever the run left behind (a keep-alive socket, a timer) must not keep the process up.
        void worker.terminate();
        if (message.kind === 'result') resolve(message.result);
        else reject(new Error(`the comparison run failed: ${message.message}`));
      }
    });
    worker.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the comparison run's worker stopped (exit code ${code}) before it finished`));
      settled = true;
    });
  });
}
