/**
 * The runner plays every step through the table of step kinds: each step key a scenario file may hold has a handler
 * there, and the table has no handler for a key the loader would refuse.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA, STEP_ACTIONS } from '../../../src/rehearsal/scenario-schema.ts';
import { parseScenario, ScenarioError } from '../../../src/rehearsal/scenario-loader.ts';
import { STEP_KINDS, stepKindOf } from '../../../src/rehearsal/steps/step-kinds.ts';
import type { Step } from '../../../src/rehearsal/scenario-types.ts';
import { TEAMS_ACTIONS } from '../../../src/rehearsal/steps/teams/teams-action.ts';

/** Keys every step may have besides its action. */
const COMMON_KEYS = ['name', 'at', 'timeout', 'run'];

const schemaStepKeys = Object.keys(SCENARIO_SCHEMA.properties.steps.items.properties).filter((k) => !COMMON_KEYS.includes(k));

describe('The table of step kinds', () => {
  it('has a handler for each step kind of the schema, and none for a kind the schema does not have', () => {
    expect(Object.keys(STEP_KINDS).sort()).toEqual([...STEP_ACTIONS].sort());
    expect(Object.keys(STEP_KINDS).sort()).toEqual([...schemaStepKeys].sort());
    for (const key of STEP_ACTIONS) expect(typeof STEP_KINDS[key].run, key).toBe('function');
  });

  it('plays every Teams action the schema has, the other keys of a teams step being its options', () => {
    const schemaKeys = Object.keys(SCENARIO_SCHEMA.properties.steps.items.properties.teams.properties);
    const options = ['location', 'code', 'user', 'spacing'];
    expect([...TEAMS_ACTIONS].sort()).toEqual(schemaKeys.filter((k) => !options.includes(k)).sort());
  });

  it('gives each step the handler of its key', () => {
    expect(stepKindOf({ wait: '1m' } as Step)).toBe(STEP_KINDS.wait);
    expect(stepKindOf({ name: 'Sign in', teams: { signIn: '*' } } as Step)).toBe(STEP_KINDS.teams);
    expect(stepKindOf({ clearFault: 'all' } as Step)).toBe(STEP_KINDS.clearFault);
  });

  it('plans the lab time of waits only', () => {
    expect(STEP_KINDS.wait.plannedMs?.({ wait: '10m' })).toBe(600_000);
    expect(STEP_KINDS.waitUntil.plannedMs).toBeUndefined();
  });

  it('is never asked about an unknown kind: the loader refuses the step first', () => {
    const text = `name: Unknown step\nlab:\n  bases: [{ id: b1, model: B4 }]\nsteps:\n  - reboot: { bases: b1 }\n  - dance: { bases: b1 }\n`;
    expect(() => parseScenario(text)).toThrow(ScenarioError);
    expect(() => parseScenario(text)).toThrow(/scenario\.yaml:6: steps\[1\]\.dance \(step 2\): unknown key "dance"/);
  });
});
