/**
 * Multi-cell systems in scenario files (`lab.chains`): checked with the file's line numbers, set up the way a
 * technician does (Multi-cell page, Save and reboot), with handsets registered on the primary and expectations on each
 * base's DECT sync state and each handset's cell.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../src/rehearsal/scenario-loader.ts';

function problems(text: string): string[] {
  try {
    parseScenario(text);
  } catch (err) {
    if (err instanceof ScenarioError) return err.message.split('\n');
    throw err;
  }
  throw new Error('the scenario was accepted');
}

describe('Multi-cell chains in scenarios', () => {
  it('three B4 in one chain: roaming through a secondary, a secondary power cut, the DECT server power cut', async () => {
    const { failures, report, events } = await runScenario(loadScenarioFile('fixtures/scenarios/multi-cell-chain.yaml'));
    expect(failures).toEqual([]);
    expect(report.totals.rebootsByCause).toEqual({ 'Multi-cell settings (web admin)': 3 });
    // The chain is set up before the first step, and shows in the event log as such.
    const steps = events.filter((e) => e.kind === 'step').map((e) => e.detail);
    expect(steps[0]).toBe('Multi-cell chains: DECT → Multi-cell, Save and reboot');
  });

  it('a chain that cannot form is a failure of the lab, not of a step', async () => {
    const scenario = parseScenario(`name: Primary switched off
lab:
  bases:
    - { id: b1, model: B4, powered: false }
    - { id: b2, model: B4 }
  chains:
    - { id: 7, bases: [b1, b2], primary: b1 }
steps:
  - expect: { base: b2, dectSync: Searching }
`);
    const { failures } = await runScenario(scenario);
    expect(failures).toEqual([
      { step: 0, name: 'lab.chains', expectation: 'the multi-cell chains form', actual: 'b1 joins multi-cell chain 7: the base is off, its web admin does not answer' },
      { step: 0, name: 'lab.chains', expectation: 'the multi-cell chains form', actual: 'b2 joins multi-cell chain 7: running, sync Searching (No base of chain 7 is configured as Primary)' },
    ]);
  });

  it('names the line of each chain problem: unknown base, a B2, a base in two chains, the primary, chain IDs', () => {
    expect(
      problems(`name: Chains
lab:
  bases:
    - { id: b1, model: B4 }
    - { id: b2, model: B2 }
    - { id: b3, model: B4, handsets: { count: 20 } }
    - { id: b4, model: B4, handsets: { count: 20 } }
  chains:
    - id: 1
      bases: [b1, b2, b9]
      primary: b1
    - id: 1
      bases: [b1, b3, b4]
      primary: b5
steps:
  - wait: 1m
`),
    ).toEqual([
      'scenario.yaml:10: lab.chains[0].bases[1]: base "b2" is a Rove B2: Rove B2 is a single-cell base: multi-cell needs a Rove B4',
      'scenario.yaml:10: lab.chains[0].bases[2]: no base "b9" in the lab',
      'scenario.yaml:12: lab.chains[1].id: chain ID 1 is used twice',
      'scenario.yaml:13: lab.chains[1].bases: 40 handsets: a multi-cell system registers them on its primary, which has 30 handset slots',
      'scenario.yaml:13: lab.chains[1].bases[0]: base "b1" is already in chain 1: a base belongs to one chain',
      'scenario.yaml:14: lab.chains[1].primary: the primary "b5" is not one of the chain\'s bases (b1, b3, b4)',
    ]);
    expect(problems(`name: Schema
lab:
  bases: [{ id: b1, model: B4 }]
  chains:
    - { id: 70000, bases: [b1], primary: b1, role: Primary }
steps:
  - wait: 1m
`)).toEqual([
      'scenario.yaml:5: lab.chains[0].id: 70000 must be <= 65535',
      'scenario.yaml:5: lab.chains[0].role: unknown key "role" (keys here: id, bases, primary, dataSync, systemCombination)',
    ]);
  });

  it('generated bases can form chains; their model counts', () => {
    expect(
      problems(`name: Generated
lab:
  generate: { bases: 3, model: B2 }
  chains:
    - { id: 2, bases: [b001, b002], primary: b001 }
steps:
  - wait: 1m
`),
    ).toEqual([
      'scenario.yaml:5: lab.chains[0].bases[0]: base "b001" is a Rove B2: Rove B2 is a single-cell base: multi-cell needs a Rove B4',
      'scenario.yaml:5: lab.chains[0].bases[1]: base "b002" is a Rove B2: Rove B2 is a single-cell base: multi-cell needs a Rove B4',
    ]);
  });
});
