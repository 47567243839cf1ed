/**
 * Variables of an exercise: each takes one of its `oneOf` values per trainee, drawn from the seed (the same seed, the
 * same values, on every machine), and `{{name}}` in any string of the exercise is replaced by it. `{{` never occurs in
 * what the devices read, so `${IPEI}` in a ConfigURL is left alone.
 */
import { SeededRandom } from '../rehearsal/seeded-random.ts';
import type { Exercise } from './exercise-types.ts';

const USE = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The variable names `text` uses. */
export function variableNames(text: string): string[] {
  return [...text.matchAll(USE)].map((m) => m[1]!);
}

/** One value per variable, in the order the file declares them. */
export function drawVariables(exercise: Exercise, seed: number): Record<string, string> {
  const random = new SeededRandom(seed ^ 0x7a11);
  const out: Record<string, string> = {};
  for (const [name, { oneOf }] of Object.entries(exercise.variables ?? {})) out[name] = String(oneOf[random.int(oneOf.length)]);
  return out;
}

/** The exercise with every `{{name}}` replaced (variables' own lists untouched). */
export function resolveExercise(exercise: Exercise, values: Record<string, string>): Exercise {
  const replace = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return value.replace(USE, (_, name: string) => values[name] ?? `{{${name}}}`);
    if (Array.isArray(value)) return value.map((v) => replace(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, key === undefined && k === 'variables' ? v : replace(v, k)]));
    }
    return value;
  };
  return replace(exercise) as Exercise;
}
