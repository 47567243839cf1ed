/**
 * Questions a trainee answers (a task's `question`: a choice or a number), record variables (`{{name.field}}`), and
 * the answers given to `rove-sim check --answer TASK=VALUE`: read as the task panel reads them, refused with what to
 * answer, graded without showing the right answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { checkLabFile } from '../../src/training/check-command.ts';
import { answerTask, runQuestion } from '../../src/training/check-conditions.ts';
import { ExerciseError, parseExercise } from '../../src/training/exercise-loader.ts';
import { drawVariables, resolveExercise } from '../../src/training/exercise-variables.ts';

const QUIZ = `
title: Quiz
briefing: Look at {{base.place}}.
variables:
  base:
    oneOf:
      - { mac: 0004F2A00001, place: Reception }
      - { mac: 0004F2A00002, place: Warehouse }
tasks:
  - id: which
    title: Which base?
    question:
      text: Which base serves {{base.place}}?
      choices: [0004F2A00001, 0004F2A00002]
      answer: "{{base.mac}}"
  - id: boot
    title: Boot time
    fail: Not the boot time.
    question: { text: How long does the base take to boot?, unit: seconds, number: { min: 80, max: 100 }, fail: Time the boot again. }
`;

function problems(text: string): string[] {
  try {
    parseExercise(text, 'x.yaml');
  } catch (err) {
    if (err instanceof ExerciseError) return err.message.split('\n');
    throw err;
  }
  return [];
}

describe('questions and record variables', () => {
  it('a record variable is drawn whole: its fields always go together', () => {
    const { exercise } = parseExercise(QUIZ);
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const v = drawVariables(exercise, seed);
      expect([['0004F2A00001', 'Reception'], ['0004F2A00002', 'Warehouse']]).toContainEqual([v['base.mac'], v['base.place']]);
      const resolved = resolveExercise(exercise, v);
      expect(resolved.briefing).toBe(`Look at ${v['base.place']}.`);
      expect(resolved.tasks[0]!.question).toMatchObject({ answer: v['base.mac'] });
    }
  });

  it('a choice is answered by its number or its words in any case; a number with a point or a comma', () => {
    const exercise = resolveExercise(parseExercise(QUIZ).exercise, { 'base.mac': '0004F2A00002', 'base.place': 'Warehouse' });
    expect(answerTask(exercise, 'which', '2')).toBe('0004F2A00002');
    expect(answerTask(exercise, 'which', ' 0004f2a00002 ')).toBe('0004F2A00002');
    expect(answerTask(exercise, 'boot', '92,5')).toBe('92.5');
    expect(() => answerTask(exercise, 'which', '3')).toThrow('task "which": there is no choice 3: answer 1 to 2 (1. 0004F2A00001; 2. 0004F2A00002); nothing was kept');
    expect(() => answerTask(exercise, 'boot', 'ninety')).toThrow('task "boot": "ninety" is not a number: answer with a number of seconds; nothing was kept');
    expect(() => answerTask(exercise, 'nope', '1')).toThrow('task "nope" asks no question (the tasks that do: which, boot)');
  });

  it('graded against the file: right, wrong, or not answered — the right answer is never shown', () => {
    const { tasks } = resolveExercise(parseExercise(QUIZ).exercise, { 'base.mac': '0004F2A00001', 'base.place': 'Reception' });
    const [which, boot] = [tasks[0]!.question!, tasks[1]!.question!];
    expect(runQuestion(which, '0004F2A00001')).toEqual({ ok: true, expectation: 'the right choice', actual: 'answered "0004F2A00001"' });
    expect(runQuestion(which, '0004F2A00002')).toEqual({ ok: false, expectation: 'the right choice', actual: 'answered "0004F2A00002"' });
    expect(runQuestion(boot, '100')).toMatchObject({ ok: true, actual: 'answered 100 seconds' });
    expect(runQuestion(boot, '101')).toEqual({ ok: false, expectation: 'a number in the accepted range (seconds)', actual: 'answered 101 seconds', fail: 'Time the boot again.' });
    expect(runQuestion(boot, undefined)).toMatchObject({ ok: false, actual: 'not answered yet' });
  });

  it('the loader says what is wrong with a question or a variable use, at its line', () => {
    expect(
      problems(`title: T
briefing: "{{base}} {{base.floor}} {{user.x}}"
variables:
  base: { oneOf: [{ mac: "1", place: a }, { mac: "2" }] }
  user: { oneOf: [a, b] }
tasks:
  - id: a
    title: Neither
  - id: b
    title: Choice
    question: { text: Q, choices: [x, y, X], answer: z }
  - id: c
    title: Number
    question: { text: Q, number: { min: 5, max: 1 } }
`),
    ).toEqual([
      'x.yaml:2: briefing: {{base}} is a record: use one of its fields ({{base.mac}}, {{base.place}})',
      'x.yaml:2: briefing: {{base.floor}}: base has no field "floor" (its fields: mac, place)',
      'x.yaml:2: briefing: {{user.x}}: user has no fields (use {{user}})',
      'x.yaml:4: variables.base.oneOf: every value of base must have the same fields (found: { mac, place } and { mac })',
      'x.yaml:7: tasks[0]: a task needs checks, a question, or both',
      'x.yaml:11: tasks[1].question.answer: the answer "z" is not one of the choices ("x", "y", "X")',
      'x.yaml:11: tasks[1].question.choices: the choice "X" is listed twice',
      'x.yaml:14: tasks[2].question.number: min 5 is more than max 1',
    ]);
    expect(problems(QUIZ.replace('choices: [0004F2A00001, 0004F2A00002]', 'choices: [0004F2A00001, 0004F2A00003]'))).toEqual([
      'x.yaml:15: tasks[0].question.answer: the answer "0004F2A00002" is not one of the choices ("0004F2A00001", "0004F2A00003") when base.mac is "0004F2A00002"',
    ]);
    expect(problems(QUIZ.replace('answer: "{{base.mac}}"', 'answer: "{{base.mac}}"\n      unit: s'))).toEqual(['x.yaml:16: tasks[0].question.unit: unknown key "unit" (keys here: text, fail, choices, answer)']);
    expect(problems(QUIZ.replace('choices: [0004F2A00001, 0004F2A00002]', 'choices: [a]'))).toEqual([
      expect.stringMatching(/tasks\[0\]\.question\.choices: \["a"\] must NOT have fewer than 2 items/),
    ]);
    expect(problems(QUIZ.replace('unit: seconds, number: { min: 80, max: 100 },', 'unit: seconds,'))).toEqual([
      expect.stringContaining('tasks[1].question: missing "number"'),
    ]);
  });
});

describe('rove-sim check --answer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-answer-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function files(): Promise<{ exercise: string; lab: string }> {
    const exercise = path.join(dir, 'quiz.yaml');
    writeFileSync(exercise, `${QUIZ}seed: 1\n`);
    const lab = path.join(dir, 'lab.db');
    await (await Lab.open({ file: lab, clock: new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true }) })).close();
    return { exercise, lab };
  }

  function run(exercise: string, lab: string, answers: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    return checkLabFile(exercise, lab, { answers }, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((o) => ({ ...o, out, err }));
  }

  it('grades the answers given: exit 0 when right, 1 with the fail text when wrong', async () => {
    const { exercise, lab } = await files();
    const mac = drawVariables(parseExercise(QUIZ).exercise, 1)['base.mac']!;
    const right = await run(exercise, lab, [`which=${mac}`, 'boot=95']);
    expect(right.err).toEqual([]);
    expect(right.exitCode).toBe(0);
    const wrong = await run(exercise, lab, [`which=${mac}`, 'boot=30']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.out).toContain('    Not the boot time.');
    expect(wrong.out).toContain('    - Time the boot again. (expected a number in the accepted range (seconds); found answered 30 seconds)');
  });

  it('an answer that is not one is refused with exit 2 and what to write', async () => {
    const { exercise, lab } = await files();
    expect(await run(exercise, lab, ['boot'])).toMatchObject({ exitCode: 2, err: ['--answer boot: write TASK=ANSWER, e.g. --answer downtime=95'] });
    expect(await run(exercise, lab, ['boot=soon'])).toMatchObject({
      exitCode: 2,
      err: ['--answer boot=soon: task "boot": "soon" is not a number: answer with a number of seconds; nothing was kept'],
    });
  });
});
