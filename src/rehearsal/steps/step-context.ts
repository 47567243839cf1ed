/**
 * What a step runs with: the lab, the scenario's names for its devices, the driver that moves the lab clock, the
 * recorder, the run's seeded randomness, and `fail` to list an expectation that did not hold. The runner makes one
 * per run; each step kind (step-kinds.ts) reads only this, so a kind can be read and tested on its own.
 */
import type { Lab } from '../../lab/lab.ts';
import type { LabDirectory } from '../build-lab.ts';
import type { ConditionContext } from '../conditions.ts';
import type { Driver } from '../driver.ts';
import type { Recorder } from '../recorder.ts';
import type { SeededRandom } from '../seeded-random.ts';

export interface StepContext {
  readonly lab: Lab;
  directory: LabDirectory;
  driver: Driver;
  recorder: Recorder;
  random: SeededRandom;
  region: 'NOAM' | 'EMEA' | 'APAC';
  /** Verification codes generated in this run, by hardware id. */
  codes: Map<string, string>;
  /** Factor on the users' own pace (sign-in spacing): 1, or what this run of `rehearse --runs` drew. */
  userPace: number;
  fail: (expectation: string, actual: string) => void;
}

/** Runs one task on the driver (the clock moves while it waits) and gives its value, or throws what it threw. */
export async function runOne<T>(driver: Driver, task: () => Promise<T>): Promise<T> {
  const [result] = await driver.run([task]);
  if (result!.status === 'rejected') throw result!.reason;
  return result!.value;
}

/** `${TENANT_ID}` in settings values and URLs: the lab tenant's id. */
export function substitute(text: string, lab: Lab): string {
  return text.includes('${TENANT_ID}') ? text.replaceAll('${TENANT_ID}', lab.teams.tenant.id) : text;
}

/** What the conditions of `expect` and `waitUntil` read (conditions.ts). */
export function conditionContext(ctx: StepContext): ConditionContext {
  return { lab: ctx.lab, directory: ctx.directory, bulk: ctx.recorder.bulk };
}
