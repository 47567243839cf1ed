/** An exercise's starting lab with a fault of the catalogue planted, drawn per trainee: the troubleshooting shape. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { gradeLab } from '../../src/training/check-engine.ts';
import { openExerciseLab } from '../../src/training/exercise-lab.ts';
import { parseExercise } from '../../src/training/exercise-loader.ts';
import { drawVariables, resolveExercise } from '../../src/training/exercise-variables.ts';
import { EXERCISES } from './exercise-world.ts';

const TEXT = `
title: The mistyped ConfigURL
briefing: The base at {{site}} never gets its Teams configuration.
variables:
  site: { oneOf: [Head office, Warehouse] }
  wrong: { oneOf: ["http://emea.ipp.sdg.teams.microsfot.com/00\${IPEI}.cfg", "http://emea.ipp.sdg.teams.microsoft.co/00\${IPEI}.cfg"] }
lab:
  template: factory
  faults:
    - { type: wrong-config-url, bases: "*", configUrl: "{{wrong}}" }
tasks:
  - id: fix
    title: Correct the ConfigURL
    fail: The ConfigURL is still wrong.
    checks:
      - base: "*"
        settings: { configUrl: "http://emea.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg" }
`;

describe('planted faults', () => {
  let lab: Lab | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    lab = dir = undefined;
  });

  it('the drawn mistyped ConfigURL is saved on the base once it answers, and the task fails until it is corrected', async () => {
    const loaded = parseExercise(TEXT, 'fault.yaml', EXERCISES);
    const values = drawVariables(loaded.exercise, 5);
    const exercise = resolveExercise(loaded.exercise, values);
    dir = mkdtempSync(path.join(tmpdir(), 'rove-fault-'));
    lab = await openExerciseLab(loaded, exercise, { file: path.join(dir, 'lab.db'), seed: 5, paused: true, start: Date.UTC(2026, 10, 2, 9) });
    const [base] = [...lab.bases.values()];
    expect(base!.flash.settings.configUrl).toBe(values['wrong']);
    const grade = await gradeLab(lab, exercise);
    expect(grade.tasks[0]).toMatchObject({ status: 'failed', text: 'The ConfigURL is still wrong.' });
    expect(grade.tasks[0]!.checks[0]!.actual).toBe(`ConfigURL ${JSON.stringify(values['wrong'])}`);
  });
});
