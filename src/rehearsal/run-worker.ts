/**
 * The worker side of {@link runScenarioInWorker}: runs the scenario it is given and posts progress, then the result
 * (or the error). Nothing in a run is shared with the thread that asked: the worker builds its own lab, clock, servers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunOptions } from './run-options.ts';
import { runScenario } from './runner.ts';
import type { Scenario } from './scenario-types.ts';
import type { WorkerMessage } from './run-in-worker.ts';

const { scenario, options } = workerData as { scenario: Scenario; options: Omit<RunOptions, 'onProgress'> };
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const result = await runScenario(scenario, { ...options, onProgress: (progress) => post({ kind: 'progress', progress }) });
  post({ kind: 'result', result });
} catch (err) {
  post({ kind: 'error', message: (err as Error).stack ?? String(err) });
}
