/**
 * Reading a YAML (or JSON) file against a JSON Schema with every problem reported at its line, all at once: the
 * machinery of scenario files (scenario-loader.ts), shared with exercise files (src/training/exercise-loader.ts).
 *
 *     scenario.yaml:12: steps[3].wait (step 4): "10x" is not a duration (e.g. 90s, 10m, 2h)
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Document } from 'yaml';
import { closestMatch } from '../kernel/did-you-mean.ts';
import { DURATION_HINT, parseDuration } from './duration.ts';

export interface FileProblem {
  file: string;
  line: number;
  /** `steps[3].wait` */
  path: string;
  message: string;
}

/** A rule beyond the schema, broken at `at` (the key's own line with `atKey`). */
export interface SemanticProblem {
  at: Array<string | number>;
  atKey?: boolean;
  message: string;
}

/**
 * `scenario.yaml:12: steps[3].wait (step 4): …`: a path into the steps also says the step's number as progress,
 * failures and `plan check` count them (from 1; the path counts from 0).
 */
export function formatProblem(p: FileProblem): string {
  const step = /^steps\[(\d+)\]/.exec(p.path);
  const path = step ? `${p.path} (step ${Number(step[1]) + 1})` : p.path;
  // Line 0: about the file as a whole (it cannot be read), no line to point at.
  return `${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${path ? `${path}: ` : ''}${p.message}`;
}

/**
 * ajv with the formats these files use: `duration` (90s, 10m…), `date-time`, `ipv4`. Verbose: an error carries the
 * schema it broke, so an unknown key can be told the nearest key of its own place.
 */
export const schemaAjv = new Ajv({ allErrors: true, strict: false, verbose: true });
schemaAjv.addFormat('duration', { type: 'string', validate: (s: string) => parseDuration(s) !== undefined });
schemaAjv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s) });
schemaAjv.addFormat('ipv4', { type: 'string', validate: (s: string) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) && s.split('.').every((p) => Number(p) <= 255) });

/**
 * Parses `text` (YAML 1.2; JSON is YAML) and checks it against `validate`, then against `check`'s rules; every problem
 * goes to `fail` with its line, sorted, and what `fail` returns is thrown.
 *
 * With `checkInvalid`, `check` also runs on a file the schema refused, so that its problems come in the same list:
 * `check` was written for valid data, so if it throws on what the schema refused only the schema's problems are
 * reported (as without the option), and a problem of `check` at, inside or around a place the schema already
 * reports is left out (one slip, one message).
 */
export function parseSchemaFile<T>(
  text: string,
  file: string,
  validate: ValidateFunction,
  check: (data: T) => SemanticProblem[],
  fail: (problems: FileProblem[]) => Error,
  options: { checkInvalid?: boolean } = {},
): T {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw fail(doc.errors.map((e) => ({ file, line: lineAt(e.pos[0]), path: '', message: e.message.split('\n')[0]! })));
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const locate = (segments: Array<string | number>, atKey = false) => lineOf(doc, segments, atKey, lineAt);
  const located = (list: SemanticProblem[]) => list.map((p) => ({ file, line: locate(p.at, p.atKey), path: formatPath(p.at), message: p.message }));
  if (!validate(data)) {
    const schema = describeErrors(validate.errors ?? [], data, file, locate);
    if (!options.checkInvalid) throw fail(schema);
    let more: FileProblem[] = [];
    try {
      more = located(check(data as T)).filter((p) => !schema.some((q) => related(p.path, reportedPlace(q))));
    } catch {
      more = [];
    }
    throw fail(sortProblems([...schema, ...more]));
  }
  const problems = located(check(data as T));
  if (problems.length) throw fail(sortProblems(problems));
  return data as T;
}

/** The place a schema problem is about: a missing key's own place (its parent holds other, good keys). */
function reportedPlace(q: FileProblem): string {
  const missing = /^missing "(.+)"$/.exec(q.message);
  return missing ? (q.path ? `${q.path}.${missing[1]}` : missing[1]!) : q.path;
}

/** Two places of which one is the other or holds it (`steps[1]` and `steps[1].waitUntil.state`). */
function related(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || outer === '' || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

function describeErrors(
  errors: ErrorObject[],
  data: unknown,
  file: string,
  locate: (segments: Array<string | number>, atKey?: boolean) => number,
): FileProblem[] {
  // anyOf branches each report their own failure; keep the most telling one per place.
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const problems: FileProblem[] = [];
  for (const [instancePath, list] of byPath) {
    const deeper = [...byPath.keys()].some((p) => p !== instancePath && p.startsWith(`${instancePath}/`));
    // `if` only says its `then` failed; the failure itself is listed too.
    const specific = list.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'type' && e.keyword !== 'if');
    let chosen: ErrorObject[];
    if (specific.length > 0) chosen = specific;
    else if (deeper) continue; // a branch matched the type and failed deeper: the deeper error says more
    else chosen = list.filter((e) => e.keyword === 'type');
    if (chosen.length === 0) chosen = list;
    const segments = instancePath.split('/').slice(1).map(decodeSegment);
    const value = valueAt(data, segments);
    const types = chosen.filter((e) => e.keyword === 'type').map((e) => String(e.params['type']));
    const seen = new Set<string>();
    if (types.length > 0 && chosen.every((e) => e.keyword === 'type')) {
      const message = `must be ${[...new Set(types.flatMap((t) => t.split(',')))].map(article).join(' or ')}`;
      problems.push({ file, line: locate(segments), path: formatPath(segments), message });
      continue;
    }
    for (const e of chosen) {
      if (e.keyword === 'type') continue;
      const { message, at, atKey } = explain(e, segments, value);
      if (seen.has(message + at.join('/'))) continue;
      seen.add(message + at.join('/'));
      problems.push({ file, line: locate(at, atKey), path: formatPath(at), message });
    }
  }
  return sortProblems(problems);
}

function explain(e: ErrorObject, segments: Array<string | number>, value: unknown): { message: string; at: Array<string | number>; atKey?: boolean } {
  const shown = JSON.stringify(value);
  switch (e.keyword) {
    case 'format':
      if (e.params['format'] === 'duration') return { message: `${shown} is not a duration (${DURATION_HINT})`, at: segments };
      if (e.params['format'] === 'ipv4') return { message: `${shown} is not an IPv4 address (e.g. 203.0.113.10)`, at: segments };
      return { message: `${shown} is not a ${e.params['format']}`, at: segments };
    case 'additionalProperties': {
      const key = String(e.params['additionalProperty']);
      const properties = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
      const known = Object.keys(properties ?? {}).filter((k) => k !== '$schema');
      const near = closestMatch(key, known);
      const hint = near !== undefined ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (keys here: ${known.join(', ')})` : '';
      return { message: `unknown key "${key}"${hint}`, at: [...segments, key], atKey: true };
    }
    case 'required':
      return { message: `missing "${e.params['missingProperty']}"`, at: segments };
    case 'enum': {
      const allowed = e.params['allowedValues'] as unknown[];
      const near = typeof value === 'string' ? closestMatch(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      const hint = near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : '';
      return { message: `${shown} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${hint}`, at: segments };
    }
    case 'pattern':
      if (String(e.params['pattern']).includes('\\d{4}')) return { message: `${shown} is not a firmware version (e.g. 8.0.3.0009)`, at: segments };
      if (String(e.params['pattern']).endsWith('%$')) return { message: `${shown} is not a share (e.g. 10% or a count)`, at: segments };
      return { message: `${shown} is not valid here (${e.message})`, at: segments };
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return { message: `${shown} ${e.message}`, at: segments };
    default:
      return { message: e.message ?? e.keyword, at: segments };
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    null: 'null',
  };
  return names[type] ?? type;
}

function decodeSegment(s: string): string | number {
  const text = s.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(text) ? Number(text) : text;
}

function valueAt(data: unknown, segments: Array<string | number>): unknown {
  let v = data;
  for (const s of segments) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[s] : undefined;
  return v;
}

export function formatPath(segments: Array<string | number>): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

/** The line of the node at `segments` (or of its key), falling back to the nearest ancestor that exists. */
function lineOf(doc: Document, segments: Array<string | number>, atKey: boolean, lineAt: (offset: number) => number): number {
  let node: unknown = doc.contents;
  let line = node && (node as YamlNode).range ? lineAt((node as YamlNode).range![0]) : 1;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === s);
      if (!pair) break;
      const key = pair.key as YamlNode | null;
      if (atKey && i === segments.length - 1 && key?.range) return lineAt(key.range[0]);
      node = pair.value;
      const target = (pair.value as YamlNode | null)?.range ? (pair.value as YamlNode) : key;
      if (target?.range) line = lineAt(target.range[0]);
    } else if (isSeq(node) && typeof s === 'number') {
      node = node.items[s];
      if ((node as YamlNode | undefined)?.range) line = lineAt((node as YamlNode).range![0]);
      else break;
    } else break;
  }
  return line;
}

function sortProblems(problems: FileProblem[]): FileProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
}
