/**
 * `rove-sim check EXERCISE --lab FILE`: a lab file graded without a browser, with netlab's exit codes, and exercise
 * files refused with every problem at its line.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { checkLabFile } from '../../src/training/check-command.ts';
import { ExerciseError, parseExercise } from '../../src/training/exercise-loader.ts';
import { buildCli } from '../../src/cli/main.ts';
import { EXERCISES } from './exercise-world.ts';
import { WebAdmin } from './technician.ts';

/**
 * The shipped register-handset exercise up to its second task (what follows — the site's access code, a question —
 * is tested in register-handset.test.ts): a lab with two handsets passes all of it.
 */
let REGISTER: string;

function run(exercise: string, lab: string, seed?: number) {
  const out: string[] = [];
  const err: string[] = [];
  return checkLabFile(exercise, lab, seed === undefined ? {} : { seed }, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((o) => ({ ...o, out, err }));
}

describe('rove-sim check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-check-test-'));
    const shipped = readFileSync(path.join(EXERCISES, 'register-handset.yaml'), 'utf8');
    REGISTER = path.join(dir, 'register-handset.yaml');
    writeFileSync(REGISTER, shipped.slice(0, shipped.indexOf('\n  - id: site-access-code') + 1));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A factory lab file in which the trainee registered `handsets` handsets, then stopped the simulator. */
  async function traineeLab(handsets: number): Promise<string> {
    const file = path.join(dir, 'trainee.db');
    const lab = await Lab.open({ file, clock: new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true }) });
    const admin = await WebAdmin.open(lab);
    await admin.changeFactoryPassword();
    for (const [i, handset] of [...lab.handsets.values()].slice(0, handsets).entries()) await admin.registerHandset(lab, handset, i + 1);
    await admin.close();
    await lab.close();
    return file;
  }

  it('exit 0 when every task passed, each task printed with its pass text and the score', async () => {
    const r = await run(REGISTER, await traineeLab(2));
    expect(r.err).toEqual([]);
    expect(r.out).toEqual([
      'Registering handsets (seed 1)',
      '✓ 1. Register a handset — 20/20',
      '    A handset is registered and in service.',
      '✓ 2. Register a second handset — 10/10',
      '    Two handsets are registered; DECT Summary lists both.',
      'Score: 30/30 (2 of 2 tasks passed)',
    ]);
    expect(r.exitCode).toBe(0);
  });

  it('exit 1 when a task failed, with its fail text and what the lab shows; the lab file is not changed', async () => {
    const file = await traineeLab(1);
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const r = await run(REGISTER, file);
    expect(r.exitCode).toBe(1);
    expect(r.out).toEqual([
      'Registering handsets (seed 1)',
      '✓ 1. Register a handset — 20/20',
      '    A handset is registered and in service.',
      '✗ 2. Register a second handset — 0/10',
      '    Fewer than two handsets are registered.',
      expect.stringMatching(/^ {4}- expected handsets: >= 2 of them: state in-service, registration registered; found 1 of 4 match; [0-9A-F]{10}: state unregistered, registration not registered; /),
      '    - DECT Summary lists fewer than two handsets. (expected bases: handsets registered >= 2; found handsets registered 1)',
      'Score: 20/30 (1 of 2 tasks passed)',
    ]);
    // Checked twice: the same answer (grading a copy leaves the trainee's file as it was).
    expect((await run(REGISTER, file)).exitCode).toBe(1);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });

  it('exit 2 for an invalid exercise file, every problem with its line', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, ['title: Broken', 'briefing: x', 'tasks:', '  - id: one', '    title: One', '    checks:', '      - { base: "*", firmwre: 8.0.3.0009 }', ''].join('\n'));
    const r = await run(bad, await traineeLab(0));
    expect(r.exitCode).toBe(2);
    expect(r.err).toEqual(['bad.yaml:7: tasks[0].checks[0].firmwre: unknown key "firmwre" (did you mean "firmware"?)']);
  });

  it('exit 3 when the lab file is missing or not a lab', async () => {
    expect((await run(REGISTER, path.join(dir, 'nowhere.db'))).exitCode).toBe(3);
    const junk = path.join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all');
    const r = await run(REGISTER, junk);
    expect(r.exitCode).toBe(3);
    expect(r.err[0]).toMatch(/^.*junk\.db: the lab could not be opened or run: /);
  });

  it('is a command of rove-sim', () => {
    const check = buildCli().commands.find((c) => c.name() === 'check');
    expect(check?.description()).toContain('exit 0: every task passed, 1: a task failed, 2: invalid exercise or answer, 3: the lab could not be opened');
  });
});

describe('exercise files', () => {
  const lines = (text: string) => {
    try {
      parseExercise(text, 'x.yaml', EXERCISES);
      return [];
    } catch (err) {
      if (err instanceof ExerciseError) return err.message.split('\n');
      throw err;
    }
  };

  it('are refused with each problem at its line: unknown parameter, undeclared variable, missing subject, duplicate task', () => {
    expect(
      lines(
        [
          'title: T',
          'briefing: Site {{site}}',
          'tasks:',
          '  - id: a',
          '    title: A',
          '    checks:',
          '      - base: "*"',
          '        settings: { configURL: x }',
          '  - id: a',
          '    title: B',
          '    checks:',
          '      - { state: running }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'x.yaml:2: briefing: {{site}} is not a variable of this exercise (it declares none)',
      expect.stringMatching(/^x\.yaml:8: tasks\[0\]\.checks\[0\]\.settings\.configURL: unknown parameter "configURL" \(known: firmwareServer, /),
      'x.yaml:9: tasks[1].id: task id "a" is used twice',
      'x.yaml:12: tasks[1].checks[0]: a check needs one subject: base, handset, teams, bulkSignIn',
    ]);
  });

  it('a scenario prefix must name a step the scenario has', () => {
    const text = ['title: T', 'briefing: B', 'lab:', '  scenario: ../scenarios/guide-single-handset.yaml', '  upTo: No such step', 'tasks:', '  - { id: a, title: A, checks: [{ base: "*" }] }', ''].join('\n');
    expect(lines(text)).toEqual([expect.stringMatching(/^x\.yaml:5: lab\.upTo: the scenario has no step "No such step" \(its steps: The base boots, /)]);
  });

  it('every shipped exercise loads', async () => {
    const { readdirSync } = await import('node:fs');
    const { loadExerciseFile } = await import('../../src/training/exercise-loader.ts');
    const files = readdirSync(EXERCISES).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) expect(loadExerciseFile(path.join(EXERCISES, f)).exercise.tasks.length).toBeGreaterThan(0);
    // Each is listed, with what it teaches, in docs/training.md and the README.
    const docs = readFileSync(path.resolve(EXERCISES, '../../docs/training.md'), 'utf8');
    const readme = readFileSync(path.resolve(EXERCISES, '../../README.md'), 'utf8');
    for (const f of files) {
      expect(docs, `docs/training.md lists ${f}`).toContain(`| \`${f}\` |`);
      expect(readme, `README lists ${f}`).toContain(`| \`${f}\` |`);
    }
  });
});
