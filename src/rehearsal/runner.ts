/**
 * Runs a scenario: builds its lab on a paused lab clock, plays its steps on that clock (at full speed or paced),
 * records what happened, checks the expectations, and returns the report (report.ts) and the event log.
 * Deterministic for a given seed: time comes only from the lab clock, randomness only from the seed.
 *
 * Each step is played by the handler of its kind, looked up by its key in the table of steps/step-kinds.ts; this
 * module does what is common to every step (run: main or compare, `at`, the step's start event, its failures).
 */
import { buildLab, DEFAULT_SEED, formChains } from './build-lab.ts';
import { saveCheckpoint } from '../live/checkpoints.ts';
import { comparisonScenario } from './compare-plan.ts';
import { canRunBeside, runScenarioInWorker } from './run-in-worker.ts';
import { Driver } from './driver.ts';
import { parseDuration } from './duration.ts';
import { faultsOf } from '../live/faults/fault-board.ts';
import { Recorder } from './recorder.ts';
import { buildReport, type Failure } from './report.ts';
import type { Progress, RunOptions } from './run-options.ts';
import type { RunResult } from './run-result.ts';
import { stepsRandom } from './steps/teams/bulk-rows.ts';
import type { CompareSpec, Scenario, Step } from './scenario-types.ts';
import type { StepContext } from './steps/step-context.ts';
import { stepKeyOf } from './steps/step-kind.ts';
import { stepKindOf } from './steps/step-kinds.ts';

export type { Failure } from './report.ts';
export type { Progress, RunOptions } from './run-options.ts';
export type { RunResult } from './run-result.ts';

/** Runs the scenario once (and not its comparison: see {@link rehearse}). */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const seed = options.seed ?? scenario.seed ?? DEFAULT_SEED;
  const wallStart = performance.now();
  const built = await buildLab(scenario, {
    seed,
    ...(options.variant ? { variant: options.variant } : {}),
    ...(options.labFile ? { file: options.labFile } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
  });
  const { directory, startMs } = built;
  const lab = built.lab;
  const recorder = new Recorder(lab, directory, startMs);
  recorder.attach();
  const failures: Failure[] = [];
  const plannedMs = plannedTime(scenario);
  let stepsDone = 0;
  let currentStep = 'building the lab';
  let currentNumber = 0;
  const progress = () =>
    options.onProgress?.({ stepsDone, steps: scenario.steps.length, virtualMs: lab.clock.now() - startMs, plannedMs, step: currentStep, stepNumber: currentNumber });
  const driver = new Driver(lab.clock, options.speed ?? 'max', progress, () => recorder.changes);
  // At full speed nothing outside the lab feeds it (no console, no browser) and the real work it waits for — its
  // HTTP fetches — is tracked: one turn of the event loop settles a timer's work (see VirtualClock.settleTurns).
  if ((options.speed ?? 'max') === 'max') lab.clock.settleTurns = 1;
  if (directory.chains.length > 0) {
    // Part of the lab: its multi-cell systems are set up (settings saved, Save and reboot) before the first step.
    currentStep = 'multi-cell chains';
    recorder.add({ kind: 'step', device: 'lab', state: 'start', detail: 'Multi-cell chains: DECT → Multi-cell, Save and reboot' });
    const [formed] = await driver.run([() => formChains(lab, directory, (predicate, ms) => driver.until(predicate, ms))]);
    const problems = formed!.status === 'fulfilled' ? formed!.value : [`error: ${(formed!.reason as Error).message}`];
    for (const problem of problems) {
      failures.push({ step: 0, name: 'lab.chains', expectation: 'the multi-cell chains form', actual: problem });
      recorder.add({ kind: 'failure', device: 'lab', detail: `the multi-cell chains form — ${problem}` });
    }
  }
  if (options.labFile) saveCheckpoint(built.lab, 'scenario-start');
  const random = stepsRandom(seed);
  const context: StepContext = {
    lab,
    directory,
    driver,
    recorder,
    random,
    region: built.region,
    codes: new Map(),
    userPace: options.timing?.userPace ?? 1,
    fail: () => {},
  };
  try {
    for (const [i, step] of scenario.steps.entries()) {
      const name = stepName(step, i);
      currentStep = name;
      currentNumber = i + 1;
      context.fail = (expectation, actual) => {
        failures.push({ step: i + 1, name, expectation, actual });
        recorder.add({ kind: 'failure', device: 'lab', detail: `${expectation} — ${actual}` });
      };
      if (step.run !== undefined && step.run !== (options.variant ? 'compare' : 'main')) {
        stepsDone++;
        progress();
        continue;
      }
      if (step.at !== undefined) {
        const due = startMs + parseDuration(step.at)!;
        if (due > lab.clock.now()) await driver.run([() => driver.sleep(due - lab.clock.now())]);
      }
      recorder.add({ kind: 'step', device: 'lab', state: 'start', detail: name });
      try {
        await stepKindOf(step)?.run(step, context);
      } catch (err) {
        context.fail(`step ${i + 1} (${name}) runs`, `error: ${(err as Error).message}`);
      }
      stepsDone++;
      progress();
      if (options.stopAfter === name) break;
    }
    await lab.settle();
    if (options.labFile) saveCheckpoint(lab, 'scenario-end');
    const report = buildReport({ scenario, seed, lab, directory, recorder, failures, startMs, variant: options.variant });
    return { report, events: recorder.sorted(), failures, wallMs: performance.now() - wallStart };
  } finally {
    recorder.detach();
    faultsOf(lab).clearAll();
    await lab.close();
  }
}

export interface Rehearsal {
  main: RunResult;
  comparison?: RunResult;
}

/** The scenario, and its comparison run when it has one (or `compare` is given). */
export async function rehearse(scenario: Scenario, options: RehearseOptions = {}): Promise<Rehearsal> {
  const { compare, parallel, onCompareProgress, heapMb, ...rest } = options;
  const spec = compare ?? scenario.compare;
  if (!spec) return { main: await runScenario(scenario, rest) };
  const { scenario: other, variant } = comparisonOf(scenario, spec);
  // Side by side when a core is free: the comparison in a worker thread while this thread runs the main run. Not with
  // a lab file: both runs would build their lab in it.
  if ((parallel ?? canRunBeside()) && !rest.labFile) {
    const { onProgress: _main, labFile: _file, ...shared } = rest;
    const beside = runScenarioInWorker(other, {
      ...shared,
      variant,
      ...(onCompareProgress ? { onProgress: onCompareProgress } : {}),
      ...(heapMb ? { heapMb } : {}),
    });
    // Settled at once so that a failing comparison does not go unhandled while the main run still runs.
    const settled = beside.then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e }));
    const main = await runScenario(scenario, rest);
    const outcome = await settled;
    if (!outcome.ok) throw outcome.e;
    return { main, comparison: outcome.r };
  }
  const main = await runScenario(scenario, rest);
  const comparison = await runScenario(other, { ...rest, variant, ...(onCompareProgress ? { onProgress: onCompareProgress } : {}) });
  return { main, comparison };
}

/**
 * What the comparison run plays: another plan's steps on this scenario's lab (compare-plan.ts), or this scenario's,
 * with the variant's firmware, if any, and its label.
 */
export function comparisonOf(scenario: Scenario, spec: CompareSpec): { scenario: Scenario; variant: CompareSpec } {
  const { steps: _steps, ...firmware } = spec;
  return { scenario: comparisonScenario(scenario, spec.steps, spec.planName), variant: { label: spec.label ?? describeVariant(spec), ...firmware } };
}

export interface RehearseOptions extends RunOptions {
  /** Another profile and/or plan to compare with (default: the scenario's `compare`). */
  compare?: CompareSpec;
  /** Run the comparison in a worker thread beside the main run (default: when the machine has two cores or more). */
  parallel?: boolean;
  /** Progress of the comparison run. */
  onCompareProgress?: (progress: Progress) => void;
  /** Old-space cap for the comparison's worker (MB), as the process's own when it runs in a sized heap. */
  heapMb?: number;
}

export function describeVariant(v: CompareSpec): string {
  const overrides = Object.entries(v.profileOverrides ?? {}).map(([k, x]) => `${k}=${x}`);
  const plan = v.steps ? (v.planName ?? 'another plan') : undefined;
  return [plan, v.profile, ...overrides].filter(Boolean).join(', ') || 'variant';
}

export function stepName(step: Step, i: number): string {
  if (step.name) return step.name;
  const action = stepKeyOf(step) ?? 'step';
  const value = (step as unknown as Record<string, unknown>)[action];
  const brief = typeof value === 'string' || typeof value === 'number' ? ` ${value}` : '';
  return `${i + 1}. ${action}${brief}`;
}

/** Lab time the steps need at least: for the progress bar. */
function plannedTime(scenario: Scenario): number {
  let t = 0;
  for (const step of scenario.steps) {
    if (step.at !== undefined) t = Math.max(t, parseDuration(step.at)!);
    t += stepKindOf(step)?.plannedMs?.(step) ?? 0;
  }
  return t;
}
