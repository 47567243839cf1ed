/**
 * Variables of an exercise: each takes one of its `oneOf` values per trainee, drawn from the seed (the same seed, the
 * same values, on every machine), and `{{name}}` in any string of the exercise is replaced by it. A value may be a
 * record of fields that go together (a base's MAC and where its handsets are), used as `{{name.field}}`: drawn once,
 * its fields always match. `{{` never occurs in what the devices read, so `${IPEI}` in a ConfigURL is left alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseScenario } from '../rehearsal/scenario-loader.ts';
import type { Scenario } from '../rehearsal/scenario-types.ts';
import { SeededRandom } from '../rehearsal/seeded-random.ts';
import type { Exercise, VariableValue } from './exercise-types.ts';

const USE = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)(?:\.([A-Za-z][A-Za-z0-9_]*))?\s*\}\}/g;

/** A use of a variable: `{{name}}` or `{{name.field}}`. */
export interface VariableUse {
  name: string;
  field?: string;
}

/** The variables `text` uses. */
export function variableUses(text: string): VariableUse[] {
  return [...text.matchAll(USE)].map((m) => (m[2] === undefined ? { name: m[1]! } : { name: m[1]!, field: m[2] }));
}

/** The variable names `text` uses. */
export function variableNames(text: string): string[] {
  return variableUses(text).map((u) => u.name);
}

/** The drawn values: `name` → a string, or `name.field` → a string for each field of a record value. */
export type VariableValues = Record<string, string>;

/** One value per variable, in the order the file declares them; a record value gives `name.field` entries. */
export function drawVariables(exercise: Exercise, seed: number): VariableValues {
  const random = new SeededRandom(scramble(seed));
  const out: VariableValues = {};
  for (const [name, { oneOf }] of Object.entries(exercise.variables ?? {})) Object.assign(out, valuesOf(name, oneOf[random.int(oneOf.length)]!));
  return out;
}

/**
 * The seed, its bits mixed (murmur3's finalizer). A classroom gives trainees the seeds S, S + 1, S + 2…, and
 * mulberry32's first draw from seeds that close is nearly the same (seeds 1 to 7 all draw below 0.5): without this,
 * most of a class would get the first value of a two-valued variable.
 */
function scramble(seed: number): number {
  let h = (seed ^ 0x7a11) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The entries one value gives (`name`, or `name.field` for each field). */
export function valuesOf(name: string, value: VariableValue): VariableValues {
  if (typeof value !== 'object') return { [name]: String(value) };
  return Object.fromEntries(Object.entries(value).map(([field, v]) => [`${name}.${field}`, String(v)]));
}

/** `text` with every `{{name}}` / `{{name.field}}` replaced (an unknown one is left as written). */
export function resolveText(text: string, values: VariableValues): string {
  return text.replace(USE, (whole, name: string, field?: string) => values[field === undefined ? name : `${name}.${field}`] ?? whole);
}

/** The exercise with every `{{name}}` replaced (variables' own lists untouched). */
export function resolveExercise(exercise: Exercise, values: VariableValues): Exercise {
  const replace = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return resolveText(value, values);
    if (Array.isArray(value)) return value.map((v) => replace(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, key === undefined && k === 'variables' ? v : replace(v, k)]));
    }
    return value;
  };
  return replace(exercise) as Exercise;
}

/**
 * A scenario prefix of an exercise (`lab.scenario`), its `{{name}}`s replaced by the trainee's values before it is read:
 * the starting lab may differ per trainee (which handset's code expired). Throws the scenario's ScenarioError.
 */
export function loadExerciseScenario(file: string, values: VariableValues): Scenario {
  return parseScenario(resolveText(readFileSync(file, 'utf8'), values), path.basename(file));
}
