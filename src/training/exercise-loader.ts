/**
 * Reads an exercise file (YAML or JSON) and reports every problem with its line, all at once, as scenario files do
 * (the same machinery: src/rehearsal/schema-file.ts):
 *
 *     first-login.yaml:14: tasks[1].checks[0].settings: unknown parameter "configURL" (known: firmwareServer, …)
 *
 * Beyond the schema: one subject per check, task ids used once, parameters the web admin has, variables that are
 * declared, and a scenario prefix that loads and has the step named in `upTo`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PARAMETERS } from '../devices/base-station/parameters.ts';
import { type FileProblem, formatProblem, parseSchemaFile, schemaAjv, type SemanticProblem } from '../rehearsal/schema-file.ts';
import { ScenarioError } from '../rehearsal/scenario-loader.ts';
import { stepName } from '../rehearsal/runner.ts';
import { CHECK_SUBJECTS, EXERCISE_SCHEMA } from './exercise-schema.ts';
import type { Exercise } from './exercise-types.ts';
import { loadExerciseScenario, resolveText, valuesOf, variableUses, type VariableValues } from './exercise-variables.ts';

export class ExerciseError extends Error {
  readonly code = 'EXERCISE_INVALID';
  constructor(readonly problems: FileProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ExerciseError';
  }
}

/** An exercise and where it was read from (a scenario prefix is found relative to it). */
export interface LoadedExercise {
  exercise: Exercise;
  /** Directory of the file (`.` for text). */
  dir: string;
  file: string;
}

const validate = schemaAjv.compile(EXERCISE_SCHEMA);

/** Reads and checks an exercise file; throws {@link ExerciseError} listing every problem. */
export function loadExerciseFile(file: string): LoadedExercise {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ExerciseError([{ file: path.basename(file), line: 1, path: '', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }]);
  }
  return parseExercise(text, path.basename(file), path.dirname(file));
}

/** Parses and checks exercise text; `file` is only used in messages, `dir` to find a scenario prefix. */
export function parseExercise(text: string, file = 'exercise.yaml', dir = '.'): LoadedExercise {
  const exercise = parseSchemaFile<Exercise>(text, file, validate, (e) => checkExercise(e, dir), (problems) => new ExerciseError(problems));
  return { exercise, dir, file };
}

function checkExercise(e: Exercise, dir: string): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const declared = new Set(Object.keys(e.variables ?? {}));
  const ids = new Set<string>();
  e.tasks.forEach((task, i) => {
    if (ids.has(task.id)) problems.push({ at: ['tasks', i, 'id'], message: `task id "${task.id}" is used twice` });
    ids.add(task.id);
    if (task.hint?.cost !== undefined && task.hint.cost > (task.points ?? 10)) {
      problems.push({ at: ['tasks', i, 'hint', 'cost'], message: `the hint costs ${task.hint.cost} points, more than the task's ${task.points ?? 10}` });
    }
    if (task.checks === undefined && task.question === undefined) {
      problems.push({ at: ['tasks', i], message: 'a task needs checks, a question, or both' });
    }
    const q = task.question;
    if (q && 'choices' in q) {
      // With variables in it, the answer must be a choice whatever a trainee draws.
      for (const values of drawsToTry(e)) {
        const answer = resolveText(q.answer, values);
        const choices = q.choices.map((c) => resolveText(c, values));
        if (choices.includes(answer)) continue;
        const drawn = q.answer === answer ? '' : ` when ${Object.entries(values).filter(([k]) => q.answer.includes(k)).map(([k, v]) => `${k} is ${JSON.stringify(v)}`).join(', ')}`;
        problems.push({ at: ['tasks', i, 'question', 'answer'], message: `the answer "${answer}" is not one of the choices (${choices.map((c) => JSON.stringify(c)).join(', ')})${drawn}` });
        break;
      }
      const twice = q.choices.find((c, k) => q.choices.findIndex((d) => d.toLowerCase() === c.toLowerCase()) !== k);
      if (twice !== undefined) problems.push({ at: ['tasks', i, 'question', 'choices'], message: `the choice "${twice}" is listed twice` });
    }
    if (q && 'number' in q && q.number.min !== undefined && q.number.max !== undefined && q.number.min > q.number.max) {
      problems.push({ at: ['tasks', i, 'question', 'number'], message: `min ${q.number.min} is more than max ${q.number.max}` });
    }
    (task.checks ?? []).forEach((check, j) => {
      const at = ['tasks', i, 'checks', j];
      const subjects = CHECK_SUBJECTS.filter((s) => s in check);
      if (subjects.length === 0) problems.push({ at, message: `a check needs one subject: ${CHECK_SUBJECTS.join(', ')}` });
      if ('settings' in check && check.settings) {
        for (const key of Object.keys(check.settings)) {
          if (!PARAMETERS.has(key as never)) {
            problems.push({ at: [...at, 'settings', key], atKey: true, message: `unknown parameter "${key}" (known: ${[...PARAMETERS.keys()].join(', ')})` });
          }
        }
      }
    });
  });
  // A record variable has the same fields in every value (a trainee's draw must fill every use).
  const fields = new Map<string, Set<string> | null>();
  for (const [name, { oneOf }] of Object.entries(e.variables ?? {})) {
    const shapes = oneOf.map((v) => (typeof v === 'object' ? Object.keys(v).sort().join(', ') : null));
    if (new Set(shapes).size > 1) {
      problems.push({ at: ['variables', name, 'oneOf'], message: `every value of ${name} must have the same fields (found: ${[...new Set(shapes)].map((x) => (x === null ? 'a plain value' : `{ ${x} }`)).join(' and ')})` });
    }
    fields.set(name, shapes[0] === null || shapes[0] === undefined ? null : new Set(shapes[0].split(', ')));
  }
  // Every {{name}} used is declared, and used as it is declared ({{name.field}} for a record).
  const describeUse = (name: string, field?: string) => `{{${field === undefined ? name : `${name}.${field}`}}}`;
  walkStrings(e, [], (value, at) => {
    for (const { name, field } of variableUses(value)) {
      if (!declared.has(name)) {
        problems.push({ at, message: `${describeUse(name, field)} is not a variable of this exercise${declared.size ? ` (${[...declared].join(', ')})` : ' (it declares none)'}` });
        continue;
      }
      const known = fields.get(name);
      if (known === null && field !== undefined) problems.push({ at, message: `${describeUse(name, field)}: ${name} has no fields (use {{${name}}})` });
      if (known && field === undefined) problems.push({ at, message: `{{${name}}} is a record: use one of its fields (${[...known].map((f) => `{{${name}.${f}}}`).join(', ')})` });
      if (known && field !== undefined && !known.has(field)) problems.push({ at, message: `${describeUse(name, field)}: ${name} has no field "${field}" (its fields: ${[...known].join(', ')})` });
    }
  });
  const lab = e.lab ?? {};
  const checkpointNames = new Set<string>(['exercise-start']);
  (e.checkpoints ?? []).forEach((c, i) => {
    if (checkpointNames.has(c.name)) {
      problems.push({ at: ['checkpoints', i, 'name'], message: c.name === 'exercise-start' ? '"exercise-start" is the starting lab\'s own checkpoint: give this one another name' : `checkpoint "${c.name}" is named twice` });
    }
    checkpointNames.add(c.name);
    const file = c.scenario ?? lab.scenario;
    if (file === undefined) {
      problems.push({ at: ['checkpoints', i], message: 'a checkpoint plays a scenario up to a step: give it scenario (or the exercise a lab.scenario)' });
      return;
    }
    try {
      const names = loadExerciseScenario(path.resolve(dir, file), firstValues(e)).steps.map((s, k) => stepName(s, k));
      if (!names.includes(c.upTo)) problems.push({ at: ['checkpoints', i, 'upTo'], message: `${file} has no step "${c.upTo}" (its steps: ${names.join(', ')})` });
    } catch (err) {
      const why = err instanceof ScenarioError ? `is not a valid scenario:\n${err.message}` : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      problems.push({ at: ['checkpoints', i, c.scenario ? 'scenario' : 'upTo'], message: `${file} ${why}` });
    }
  });
  if (lab.template !== undefined && lab.scenario !== undefined) {
    problems.push({ at: ['lab', 'scenario'], atKey: true, message: 'give either template or scenario, not both' });
  }
  if (lab.upTo !== undefined && lab.scenario === undefined) problems.push({ at: ['lab', 'upTo'], atKey: true, message: 'upTo names a step of lab.scenario' });
  if (lab.scenario !== undefined) {
    try {
      // A scenario prefix may use the exercise's variables: it is checked with the first value of each.
      const scenario = loadExerciseScenario(path.resolve(dir, lab.scenario), firstValues(e));
      const names = scenario.steps.map((s, i) => stepName(s, i));
      if (lab.upTo !== undefined && !names.includes(lab.upTo)) {
        problems.push({ at: ['lab', 'upTo'], message: `the scenario has no step "${lab.upTo}" (its steps: ${names.join(', ')})` });
      }
    } catch (err) {
      const why = err instanceof ScenarioError ? `is not a valid scenario:\n${err.message}` : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      problems.push({ at: ['lab', 'scenario'], message: `${lab.scenario} ${why}` });
    }
  }
  return problems;
}

function firstValues(e: Exercise): VariableValues {
  return Object.assign({}, ...Object.entries(e.variables ?? {}).map(([name, { oneOf }]) => valuesOf(name, oneOf[0]!)));
}

/** The first value of every variable, then each value of each variable in turn (the others at their first). */
function drawsToTry(e: Exercise): VariableValues[] {
  const first = firstValues(e);
  return [first, ...Object.entries(e.variables ?? {}).flatMap(([name, { oneOf }]) => oneOf.map((v) => ({ ...first, ...valuesOf(name, v) })))];
}

function walkStrings(value: unknown, at: Array<string | number>, visit: (s: string, at: Array<string | number>) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...at, i], visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'variables') walkStrings(v, [...at, k], visit);
}
