/**
 * The worker side of a run series (run-series.ts): takes one run at a time from the thread that owns the queue, runs
 * it on a lab of its own and posts the result, until told there is nothing left. The scenarios come once, with the
 * worker; a job names one of them by index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runScenario } from '../runner.ts';
import type { Scenario } from '../scenario-types.ts';
import type { SeriesJob, SeriesMessage } from './series-protocol.ts';

const { scenarios } = workerData as { scenarios: Scenario[] };
const post = (message: SeriesMessage) => parentPort!.postMessage(message);

parentPort!.on('message', (job: SeriesJob | null) => {
  if (job === null) {
    parentPort!.close();
    return;
  }
  runScenario(scenarios[job.scenario]!, job.options).then(
    (result) => post({ kind: 'result', index: job.index, result: job.keepEvents ? result : { ...result, events: [] } }),
    (err: unknown) => post({ kind: 'error', index: job.index, message: (err as Error).stack ?? String(err) }),
  );
});
post({ kind: 'ready' });
