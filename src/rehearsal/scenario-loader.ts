/**
 * Reads a scenario file (YAML, or JSON — JSON is read by the same YAML 1.2 parser so positions are known), validates
 * it against the schema and the lab's own rules, and reports every problem with the file's line number:
 *
 *     scenario.yaml:12: steps[3].wait (step 4): "10x" is not a duration (e.g. 90s, 10m, 2h)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROFILES } from '../devices/base-station/firmware-profile.ts';
import { maxBases, SINGLE_CELL_REFUSAL } from '../devices/base-station/multi-cell.ts';
import { type FileProblem, formatProblem, parseSchemaFile, schemaAjv } from './schema-file.ts';
import { SCENARIO_SCHEMA, STEP_ACTIONS } from './scenario-schema.ts';
import { scenarioNames } from './scenario-names.ts';
import type { Scenario, Step } from './scenario-types.ts';
import { checkReferences, type SemanticProblem } from './scenario-references.ts';
import { readPlan } from './compare-plan.ts';
import { checkIpei } from '../devices/handset/ipei.ts';
import { normalizeMac } from '../kernel/mac.ts';

export { formatPath, formatProblem } from './schema-file.ts';
export type ScenarioProblem = FileProblem;

export class ScenarioError extends Error {
  readonly code = 'SCENARIO_INVALID';
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

/**
 * A refused file as printed: its problems, then how many and what was left undone (`3 problems; nothing run.`) —
 * except for a file that could not be read at all, whose one line says it.
 */
export function refusedText(err: ScenarioError, undone: string): string {
  const n = err.problems.length;
  return err.problems.every((p) => p.line === 0) ? `${err.message}\n` : `${err.message}\n${n} problem${n === 1 ? '' : 's'}; ${undone}.\n`;
}

/** The schema's validator, compiled at its first use (≈ 0.4 s): a node that only hands a large rehearsal over to a
 * node with a sized heap (rehearsal-heap.ts) never checks the file itself. */
let validate: ReturnType<typeof schemaAjv.compile> | undefined;
const validator = () => (validate ??= schemaAjv.compile(SCENARIO_SCHEMA));

/**
 * Reads and checks a scenario file, and the plan file its `compare.plan` names (relative to it); throws
 * {@link ScenarioError} listing every problem.
 */
export function loadScenarioFile(file: string): Scenario {
  return parseScenario(readScenarioText(file), path.basename(file), { dir: path.dirname(file) });
}

/** The file's text, or a {@link ScenarioError} that says why it cannot be read (exit 2, as for any bad file). */
function readScenarioText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `no such file (looked for ${path.resolve(file)})`
        : code === 'EISDIR'
          ? 'is a directory: give the scenario file (YAML or JSON) in it'
          : `cannot be read (${code ?? (err as Error).message})`;
    throw new ScenarioError([{ file: path.basename(file), line: 0, path: '', message: why }]);
  }
}

/**
 * Parses and checks scenario text; `file` is only used in messages. A `compare.plan` is read relative to `dir`
 * (default: the working directory) into `compare.steps` and `compare.planName`; `plans: false` leaves it unread.
 */
export function parseScenario(text: string, file = 'scenario.yaml', options: { dir?: string; plans?: boolean } = {}): Scenario {
  const check = (s: Scenario) => [...checkScenario(s), ...(options.plans === false ? [] : resolvePlan(s, options.dir ?? process.cwd()))];
  // The names and references are checked even when the schema refused the file: every problem in one go.
  return parseSchemaFile<Scenario>(text, file, validator(), check, (problems) => new ScenarioError(problems), { checkInvalid: true });
}

/** A plan file for `rehearse --compare-plan`: checked, and checked to start from `main`'s lab. */
export function loadPlanFile(file: string, main: Scenario): Scenario {
  const read = readPlan(path.basename(file), path.dirname(file), main, planParser, 'the working directory');
  if (!read.ok) throw new ScenarioError([{ file: `--compare-plan ${file}`, line: 0, path: '', message: read.problem }]);
  return read.plan;
}

/** A plan is read as a scenario whose own `compare.plan` is not followed (a plan compares with one other plan). */
const planParser = (text: string, name: string) => parseScenario(text, name, { plans: false });

/** `compare.plan`: the plan file's steps and name into `compare`, or the problem at the key's line. */
function resolvePlan(s: Scenario, dir: string): SemanticProblem[] {
  const compare = s.compare;
  if (compare?.plan === undefined) return [];
  if (compare.steps !== undefined) return [{ at: ['compare', 'steps'], atKey: true, message: 'give either compare.plan (a file) or compare.steps, not both' }];
  const read = readPlan(compare.plan, dir, s, planParser);
  if (!read.ok) return [{ at: ['compare', 'plan'], message: read.problem }];
  compare.steps = read.plan.steps;
  compare.planName = read.plan.name;
  return [];
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
  if (s.helpdesk?.timeZone !== undefined && !isTimeZone(s.helpdesk.timeZone)) {
    problems.push({ at: ['helpdesk', 'timeZone'], message: `unknown time zone "${s.helpdesk.timeZone}": an IANA name such as Europe/London, America/New_York or UTC` });
  }
  const hours = s.helpdesk?.workingHours;
  if (hours?.from !== undefined && hours.to !== undefined && hours.from >= hours.to) {
    problems.push({ at: ['helpdesk', 'workingHours', 'to'], message: `working hours end (${hours.to}) before they start (${hours.from})` });
  }
  const siteIds = new Set((s.lab.sites ?? []).map((x) => x.id));
  const baseIds = new Set<string>();
  const handsetIds = new Set<string>();
  const macs = new Map<string, string>();
  const ipeis = new Map<string, string>();
  (s.lab.bases ?? []).forEach((b, i) => {
    if (baseIds.has(b.id)) problems.push({ at: ['lab', 'bases', i, 'id'], message: `base id "${b.id}" is used twice` });
    baseIds.add(b.id);
    if (b.mac !== undefined) {
      const mac = normalizeMac(b.mac);
      if (!mac) problems.push({ at: ['lab', 'bases', i, 'mac'], message: `"${b.mac}" is not a MAC address: 12 hex digits, e.g. 0004F2A00001 or 00:04:F2:A0:00:01` });
      else if (macs.has(mac)) problems.push({ at: ['lab', 'bases', i, 'mac'], message: `MAC ${mac} is also base "${macs.get(mac)}"'s: each base has its own` });
      else macs.set(mac, b.id);
    }
    if (b.site !== undefined && siteIds.size > 0 && !siteIds.has(b.site)) {
      problems.push({ at: ['lab', 'bases', i, 'site'], message: `no site "${b.site}" in lab.sites (${[...siteIds].join(', ')})` });
    }
    if (Array.isArray(b.handsets)) {
      if (b.handsets.length > 30) problems.push({ at: ['lab', 'bases', i, 'handsets'], message: 'a base has at most 30 handset slots' });
      b.handsets.forEach((h, j) => {
        if (h.ipei !== undefined) {
          const ipei = checkIpei(h.ipei);
          const name = h.id ?? `${b.id}/${j + 1}`;
          if (!ipei.ok) problems.push({ at: ['lab', 'bases', i, 'handsets', j, 'ipei'], message: ipei.errors.map((e) => e.message).join('; ') });
          else if (ipeis.has(ipei.value)) problems.push({ at: ['lab', 'bases', i, 'handsets', j, 'ipei'], message: `IPEI ${ipei.value} is also handset "${ipeis.get(ipei.value)}"'s: each handset has its own` });
          else ipeis.set(ipei.value, name);
        }
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
  problems.push(...checkSteps(s.steps, ['steps']));
  const other = s.compare?.steps;
  if (other) {
    // Another plan written in the file: its steps are checked as the main plan's are, at their own place.
    const at = ['compare', 'steps'];
    const moved = (p: SemanticProblem) => ({ ...p, at: [...at, ...p.at.slice(1)] });
    problems.push(...checkReferences({ ...s, steps: other }).map(moved), ...checkSteps(other, at));
  }
  return problems;
}

/** One action per step, and `timeout` only where it applies. */
function checkSteps(steps: Step[], at: Array<string | number>): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  steps.forEach((step, i) => {
    const actions = STEP_ACTIONS.filter((a) => a in step);
    if (actions.length === 0) {
      problems.push({ at: [...at, i], message: `a step needs one action: ${STEP_ACTIONS.join(', ')}` });
    } else if (actions.length > 1) {
      problems.push({ at: [...at, i, actions[1]!], atKey: true, message: `one action per step (this step has ${actions.join(' and ')}): split it in two` });
    }
    if ('timeout' in step && !('waitUntil' in step) && !('register' in step)) {
      problems.push({ at: [...at, i, 'timeout'], atKey: true, message: 'timeout applies to waitUntil and register steps only' });
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

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
