/**
 * Reads a scenario file (YAML, or JSON — JSON is read by the same YAML 1.2 parser so positions are known), validates
 * it against the schema and the lab's own rules, and reports every problem with the file's line number:
 *
 *     scenario.yaml:12: steps[3].wait: "10x" is not a duration (e.g. 90s, 10m, 2h)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Document } from 'yaml';
import { PROFILES } from '../devices/base-station/firmware-profile.ts';
import { maxBases, SINGLE_CELL_REFUSAL } from '../devices/base-station/multi-cell.ts';
import { DURATION_HINT, parseDuration } from './duration.ts';
import { SCENARIO_SCHEMA, STEP_ACTIONS } from './scenario-schema.ts';
import { scenarioNames } from './scenario-names.ts';
import type { Scenario } from './scenario-types.ts';
import { checkReferences, type SemanticProblem } from './scenario-references.ts';

export interface ScenarioProblem {
  file: string;
  line: number;
  /** `steps[3].wait` */
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  readonly code = 'SCENARIO_INVALID';
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

export function formatProblem(p: ScenarioProblem): string {
  return `${p.file}:${p.line}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('duration', { type: 'string', validate: (s: string) => parseDuration(s) !== undefined });
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s) });
ajv.addFormat('ipv4', { type: 'string', validate: (s: string) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) && s.split('.').every((p) => Number(p) <= 255) });
const validate = ajv.compile(SCENARIO_SCHEMA);

/** Reads and checks a scenario file; throws {@link ScenarioError} listing every problem. */
export function loadScenarioFile(file: string): Scenario {
  return parseScenario(readFileSync(file, 'utf8'), path.basename(file));
}

/** Parses and checks scenario text; `file` is only used in messages. */
export function parseScenario(text: string, file = 'scenario.yaml'): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw new ScenarioError(doc.errors.map((e) => ({ file, line: lineAt(e.pos[0]), path: '', message: e.message.split('\n')[0]! })));
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const locate = (segments: Array<string | number>, atKey = false) => lineOf(doc, segments, atKey, lineAt);
  if (!validate(data)) {
    throw new ScenarioError(describeErrors(validate.errors ?? [], data, file, locate));
  }
  const scenario = data as Scenario;
  const problems = checkScenario(scenario).map((p) => ({ file, line: locate(p.at, p.atKey), path: formatPath(p.at), message: p.message }));
  if (problems.length) throw new ScenarioError(sortProblems(problems));
  return scenario;
}

/** Rules beyond the schema: one action per step, known names, references that resolve (scenario-references.ts). */
function checkScenario(s: Scenario): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const profiles = Object.keys(PROFILES);
  if (s.profile !== undefined && !profiles.includes(s.profile)) {
    problems.push({ at: ['profile'], message: `unknown firmware profile "${s.profile}" (known: ${profiles.join(', ')})` });
  }
  if (s.compare?.profile !== undefined && !profiles.includes(s.compare.profile)) {
    problems.push({ at: ['compare', 'profile'], message: `unknown firmware profile "${s.compare.profile}" (known: ${profiles.join(', ')})` });
  }
  const siteIds = new Set((s.lab.sites ?? []).map((x) => x.id));
  const baseIds = new Set<string>();
  const handsetIds = new Set<string>();
  (s.lab.bases ?? []).forEach((b, i) => {
    if (baseIds.has(b.id)) problems.push({ at: ['lab', 'bases', i, 'id'], message: `base id "${b.id}" is used twice` });
    baseIds.add(b.id);
    if (b.site !== undefined && siteIds.size > 0 && !siteIds.has(b.site)) {
      problems.push({ at: ['lab', 'bases', i, 'site'], message: `no site "${b.site}" in lab.sites (${[...siteIds].join(', ')})` });
    }
    if (Array.isArray(b.handsets)) {
      if (b.handsets.length > 30) problems.push({ at: ['lab', 'bases', i, 'handsets'], message: 'a base has at most 30 handset slots' });
      b.handsets.forEach((h, j) => {
        if (h.id === undefined) return;
        if (handsetIds.has(h.id) || baseIds.has(h.id)) problems.push({ at: ['lab', 'bases', i, 'handsets', j, 'id'], message: `id "${h.id}" is used twice` });
        handsetIds.add(h.id);
      });
    }
  });
  const g = s.lab.generate;
  if (g && g.handsetsPerBase !== undefined && g.handsets !== undefined) {
    problems.push({ at: ['lab', 'generate'], message: 'give either handsetsPerBase or handsets, not both' });
  }
  if (g && g.handsets !== undefined && g.handsets > g.bases * 30) {
    problems.push({ at: ['lab', 'generate', 'handsets'], message: `${g.handsets} handsets do not fit on ${g.bases} bases of 30 slots` });
  }
  problems.push(...checkChains(s));
  problems.push(...checkReferences(s));
  s.steps.forEach((step, i) => {
    const actions = STEP_ACTIONS.filter((a) => a in step);
    if (actions.length === 0) {
      problems.push({ at: ['steps', i], message: `a step needs one action: ${STEP_ACTIONS.join(', ')}` });
    } else if (actions.length > 1) {
      problems.push({ at: ['steps', i, actions[1]!], atKey: true, message: `one action per step (this step has ${actions.join(' and ')}): split it in two` });
    }
    if ('timeout' in step && !('waitUntil' in step) && !('register' in step)) {
      problems.push({ at: ['steps', i, 'timeout'], atKey: true, message: 'timeout applies to waitUntil and register steps only' });
    }
  });
  return problems;
}

/** Handset slots of the base that holds a system's subscriptions (the primary): the base profile's `handsetSlots`. */
const CHAIN_HANDSET_SLOTS = 30;

/**
 * `lab.chains`: bases that exist (listed or generated), Rove B4 only, each in one chain, the primary among its bases,
 * chain IDs used once, at most the system combination's bases, and the handsets of the system fitting the primary.
 */
function checkChains(s: Scenario): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const bases = scenarioNames(s).bases;
  const chainOf = new Map<string, number>();
  const ids = new Set<number>();
  (s.lab.chains ?? []).forEach((chain, i) => {
    const at = ['lab', 'chains', i];
    if (ids.has(chain.id)) problems.push({ at: [...at, 'id'], message: `chain ID ${chain.id} is used twice` });
    ids.add(chain.id);
    let handsets = 0;
    chain.bases.forEach((id, j) => {
      const base = bases.get(id);
      if (!base) {
        problems.push({ at: [...at, 'bases', j], message: `no base "${id}" in the lab` });
        return;
      }
      if (base.model !== 'B4') problems.push({ at: [...at, 'bases', j], message: `base "${id}" is a Rove ${base.model}: ${SINGLE_CELL_REFUSAL}` });
      const other = chainOf.get(id);
      if (other !== undefined) problems.push({ at: [...at, 'bases', j], message: `base "${id}" is already in chain ${other}: a base belongs to one chain` });
      else chainOf.set(id, chain.id);
      handsets += base.handsets;
    });
    if (!chain.bases.includes(chain.primary)) {
      problems.push({ at: [...at, 'primary'], message: `the primary "${chain.primary}" is not one of the chain's bases (${chain.bases.join(', ')})` });
    }
    const limit = maxBases(chain.systemCombination ?? '50 bases/3 repeaters');
    if (chain.bases.length > limit) problems.push({ at: [...at, 'bases'], message: `${chain.bases.length} bases: the system combination takes at most ${limit}` });
    if (handsets > CHAIN_HANDSET_SLOTS) {
      problems.push({ at: [...at, 'bases'], message: `${handsets} handsets: a multi-cell system registers them on its primary, which has ${CHAIN_HANDSET_SLOTS} handset slots` });
    }
  });
  return problems;
}

function describeErrors(
  errors: ErrorObject[],
  data: unknown,
  file: string,
  locate: (segments: Array<string | number>, atKey?: boolean) => number,
): ScenarioProblem[] {
  // anyOf branches each report their own failure; keep the most telling one per place.
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const problems: ScenarioProblem[] = [];
  for (const [instancePath, list] of byPath) {
    const deeper = [...byPath.keys()].some((p) => p !== instancePath && p.startsWith(`${instancePath}/`));
    const specific = list.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'type');
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
      return { message: `unknown key "${key}"`, at: [...segments, key], atKey: true };
    }
    case 'required':
      return { message: `missing "${e.params['missingProperty']}"`, at: segments };
    case 'enum':
      return { message: `${shown} must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, at: segments };
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

function sortProblems(problems: ScenarioProblem[]): ScenarioProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
}
