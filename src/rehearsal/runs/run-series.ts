/**
 * `rehearse --runs N`: the main plan (and the other plan or firmware, when there is a comparison) N times, run 1 on
 * the modelled timings and runs 2…N on timings drawn around them (timing-variation.ts), and the range of each key
 * number over the runs (runs-summary.ts). Run k of both plans meets the same draws, so the plans are compared on the
 * same days.
 *
 * The scenario is loaded once; the runs are taken from one queue by this thread and, when a core is free, by one
 * worker thread beside it (series-worker.ts), one run after the other on each, each run's lab closed before the next.
 * Only run 1 keeps its events (its event log is written); the other runs keep their report.
 */
import { Worker } from 'node:worker_threads';
import type { RunReport } from '../report.ts';
import { canRunBeside } from '../run-in-worker.ts';
import type { RunOptions } from '../run-options.ts';
import type { RunResult } from '../run-result.ts';
import { comparisonOf, runScenario, type Rehearsal, type RehearseOptions } from '../runner.ts';
import type { CompareSpec, Scenario } from '../scenario-types.ts';
import { DEFAULT_SEED } from '../build-lab.ts';
import { planRuns, type RunsSummary } from './runs-summary.ts';
import type { SeriesJob, SeriesMessage } from './series-protocol.ts';
import { describeVariation, drawTimings, namedTimings, timingSeed, type TimingDraw } from './timing-variation.ts';

/** Most runs one rehearsal takes (each is a whole rollout). */
export const MAX_RUNS = 100;

export interface RunSeriesOptions extends Omit<RehearseOptions, 'labFile' | 'timing'> {
  runs: number;
  /** Each run as it ends (in the order they end). */
  onRunDone?: (done: { plan: 'main' | 'comparison'; run: number; report: RunReport; wallMs: number }) => void;
}

export interface RunSeries {
  /** Run 1 of each plan, in full (events included). */
  rehearsal: Rehearsal;
  summary: RunsSummary;
}

interface Job {
  plan: 'main' | 'comparison';
  run: number;
  scenario: number;
  timing?: TimingDraw;
  variant?: CompareSpec;
}

export async function rehearseRuns(scenario: Scenario, options: RunSeriesOptions): Promise<RunSeries> {
  const { runs, compare, parallel, onCompareProgress: _compareProgress, heapMb, onRunDone, onProgress, ...shared } = options;
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) throw new RangeError(`--runs takes a whole number from 1 to ${MAX_RUNS}`);
  const seed = shared.seed ?? scenario.seed ?? DEFAULT_SEED;
  const spec = compare ?? scenario.compare;
  const plans: Array<{ plan: 'main' | 'comparison'; scenario: Scenario; variant?: CompareSpec }> = [{ plan: 'main', scenario }];
  if (spec) plans.push({ plan: 'comparison', ...comparisonOf(scenario, spec) });
  const scenarios = plans.map((p) => p.scenario);

  const jobs: Job[] = [];
  for (let run = 1; run <= runs; run++) {
    plans.forEach((p, i) => {
      const timing = run === 1 ? undefined : drawTimings(p.scenario, p.variant, timingSeed(seed, run));
      jobs.push({ plan: p.plan, run, scenario: i, ...(timing ? { timing } : {}), ...(p.variant ? { variant: p.variant } : {}) });
    });
  }
  const optionsOf = (job: Job): Omit<RunOptions, 'onProgress' | 'labFile'> => ({
    ...shared,
    seed,
    ...(job.variant ? { variant: job.variant } : {}),
    ...(job.timing ? { timing: job.timing } : {}),
  });

  const results: Array<RunResult | undefined> = new Array(jobs.length);
  let next = 0;
  const take = () => (next < jobs.length ? next++ : undefined);
  const done = (index: number, result: RunResult) => {
    results[index] = result;
    const job = jobs[index]!;
    onRunDone?.({ plan: job.plan, run: job.run, report: result.report, wallMs: result.wallMs });
  };

  const here = async () => {
    for (let i = take(); i !== undefined; i = take()) {
      const job = jobs[i]!;
      const progress = onProgress ? { onProgress: (p: Parameters<typeof onProgress>[0]) => onProgress({ ...p, step: `run ${job.run}/${runs}${job.plan === 'comparison' ? ' (comparison)' : ''} · ${p.step}` }) } : {};
      const result = await runScenario(scenarios[job.scenario]!, { ...optionsOf(job), ...progress });
      done(i, job.run === 1 ? result : { ...result, events: [] });
    }
  };
  const beside =
    (parallel ?? canRunBeside()) && jobs.length > 1
      ? besideInWorker(scenarios, heapMb, take, (i) => ({ index: i, scenario: jobs[i]!.scenario, options: optionsOf(jobs[i]!), keepEvents: jobs[i]!.run === 1 }), done)
      : undefined;
  // Settled at once so that a failing worker does not go unhandled while this thread still runs; when it fails, this
  // thread takes no further run either.
  const settled = beside?.finished.then(
    () => ({ ok: true as const }),
    (e: unknown) => {
      next = jobs.length;
      return { ok: false as const, e };
    },
  );
  try {
    await here();
  } catch (err) {
    next = jobs.length; // the worker stops after the run it is on
    beside?.stopIfIdle();
    await settled;
    throw err;
  }
  // Every run is taken: a worker still starting up (or between runs) has nothing left to do.
  beside?.stopIfIdle();
  const outcome = await settled;
  if (outcome && !outcome.ok) throw outcome.e;

  const resultOf = (plan: 'main' | 'comparison', run: number) => results[jobs.findIndex((j) => j.plan === plan && j.run === run)]!;
  const summary: RunsSummary = {
    count: runs,
    variation: describeVariation(scenario),
    plans: plans.map((p) => {
      const first = resultOf(p.plan, 1).report;
      // Beside another firmware profile the plans are told apart by profile; alone, or beside another plan, by name.
      const label = p.plan === 'main' ? (spec && !spec.steps ? (first.variant ?? first.profile) : scenario.name) : (first.variant ?? first.scenario);
      return planRuns(
        label,
        jobs
          .map((j, i) => ({ j, r: results[i]! }))
          .filter(({ j }) => j.plan === p.plan)
          .map(({ j, r }) => ({ run: j.run, timingSeed: j.timing?.seed ?? null, timings: j.timing ? namedTimings(j.timing) : {}, report: r.report, failures: r.failures })),
      );
    }),
  };
  const rehearsal: Rehearsal = { main: resultOf('main', 1), ...(spec ? { comparison: resultOf('comparison', 1) } : {}) };
  return { rehearsal, summary };
}

/**
 * One worker thread that takes jobs from the same queue as this thread until it is empty. `finished` resolves when
 * the worker has sent the result of every job it took (then it is stopped: whatever a run left behind must not keep
 * it up); `stopIfIdle` stops it at once when it has no run in hand (still starting, or between runs).
 */
function besideInWorker(
  scenarios: Scenario[],
  heapMb: number | undefined,
  take: () => number | undefined,
  jobOf: (index: number) => SeriesJob,
  done: (index: number, result: RunResult) => void,
): { finished: Promise<void>; stopIfIdle: () => void } {
  let stopIfIdle = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    const worker = new Worker(new URL('./series-worker-entry.mjs', import.meta.url), {
      workerData: { scenarios },
      ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    });
    let settled = false;
    let running = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (err) reject(err);
      else resolve();
    };
    const give = () => {
      const i = take();
      running = i !== undefined;
      if (i === undefined) finish();
      else worker.postMessage(jobOf(i));
    };
    stopIfIdle = () => {
      if (!running) finish();
    };
    worker.on('message', (message: SeriesMessage) => {
      if (message.kind === 'ready') give();
      else if (message.kind === 'result') {
        done(message.index, message.result);
        give();
      } else finish(new Error(`a run of the series failed in its worker: ${message.message}`));
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => finish(new Error(`the worker of the run series stopped (exit code ${code}) before it finished`)));
  });
  return { finished, stopIfIdle: () => stopIfIdle() };
}
