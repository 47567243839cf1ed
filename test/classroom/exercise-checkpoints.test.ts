/**
 * An exercise can name checkpoints of its own (docs/training.md): the instructor puts a trainee who fell behind at
 * one of them and the trainee goes on from there. teams-enroll-sign-in.yaml has `enrolled` (the guide's scenario up
 * to the *55* step): reset there, the trainee's lab has the handset added and enrolled, so those tasks pass and the
 * sign-in is what is left. The checkpoint is made the first time it is asked for and kept in the lab file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTraining, startTraining } from '../../src/classroom/start-training.ts';
import { listCheckpoints } from '../../src/live/checkpoints.ts';
import { ExerciseError, parseExercise } from '../../src/training/exercise-loader.ts';

const EXERCISES = path.resolve('fixtures/exercises');
const EXERCISE = path.join(EXERCISES, 'teams-enroll-sign-in.yaml');

describe('exercise checkpoints', () => {
  let dir: string;
  let training: RunningTraining;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-exercise-checkpoints-'));
    training = await startTraining({ exercise: EXERCISE, dir, port: 0, paused: true, log: () => {} });
  }, 120_000);

  afterAll(async () => {
    await training?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the exercise checkpoint, and a reset to it puts the trainee after the enrollment', { timeout: 120_000 }, async () => {
    const room = training.room;
    // (scenario-start and scenario-end come from the scenario that made the starting lab.)
    expect([...room.checkpoints()].sort()).toEqual(['enrolled', 'exercise-start', 'scenario-end', 'scenario-start']);
    expect(listCheckpoints(room.lab.store).map((c) => c.name)).not.toContain('enrolled');
    const before = await room.check();
    expect(before.tasks.map((t) => [t.id, t.status])).toEqual([
      ['provision', 'failed'],
      ['enroll', 'not-checked'],
      ['sign-in', 'not-checked'],
      ['reboot-after-sign-in', 'not-checked'],
    ]);
    const ipeis = [...room.lab.handsets.keys()];

    await room.reset('enrolled');
    expect(listCheckpoints(room.lab.store).map((c) => c.name)).toContain('enrolled');
    expect([...room.lab.handsets.keys()]).toEqual(ipeis); // the trainee's own devices, from the trainee's seed
    const after = await room.check();
    expect(after.tasks.map((t) => [t.id, t.status])).toEqual([
      ['provision', 'passed'],
      ['enroll', 'passed'],
      ['sign-in', 'failed'],
      ['reboot-after-sign-in', 'failed'],
    ]);
    expect(room.events.text()).toContain('"state":"Reset","detail":"lab put back to checkpoint \\"enrolled\\" (instructor)"');
  });

  it('refuses a checkpoint without a step to stop at, or named as the starting lab, with the line', () => {
    const base = `title: x\nbriefing: y\nlab: { scenario: ../scenarios/guide-single-handset.yaml }\ntasks: [{ id: t, title: T, checks: [{ base: "*", state: running }] }]\n`;
    const problems = (checkpoints: string) => {
      try {
        parseExercise(`${base}checkpoints:\n${checkpoints}`, 'x.yaml', EXERCISES);
        return '';
      } catch (err) {
        return (err as ExerciseError).message;
      }
    };
    expect(problems('  - { name: later, upTo: Fly to the moon }')).toMatch(/^x\.yaml:6.*has no step "Fly to the moon" \(its steps: The base boots,/m);
    expect(problems('  - { name: exercise-start, upTo: The base boots }')).toMatch(/x\.yaml:6.*"exercise-start" is the starting lab's own checkpoint/);
    expect(problems('  - { name: "a b", upTo: The base boots }')).toMatch(/x\.yaml:6/);
    expect(problems('  - { name: ok, upTo: The base boots }')).toBe('');
  });
});
