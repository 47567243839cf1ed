/**
 * What the steps of a scenario name, checked against what the file defines, before anything runs: every base,
 * handset and site of a selector, every state and phase of a condition, every setting key and every fault target.
 * A slip of the keyboard gets the nearest known name (`no base "b01" in the lab (did you mean "b1"?)`); without the
 * check, `state: runing` would only be found out when its `waitUntil` had waited out its timeout.
 */
import { BASE_STATES } from '../devices/base-station/base-station.ts';
import { ACTIVITY_PHASES } from '../devices/base-station/base-machine.ts';
import { PARAMETERS } from '../devices/base-station/parameters.ts';
import { HANDSET_STATES } from '../devices/handset/handset.ts';
import { UI_SCREENS } from '../devices/handset/handset-machine.ts';
import { FIRMWARE_ERRORS } from '../devices/base-station/firmware-update.ts';
import { PROVISIONING_ERRORS } from '../devices/base-station/itsp-provisioning.ts';
import { isIpei } from '../devices/handset/ipei.ts';
import { TEAMS_LISTS } from '../cloud/teams/devices/device-view.ts';
import { FILE_STATES } from '../cloud/teams/provisioning/provisioning-file.ts';
import { closestMatch, didYouMean } from '../kernel/did-you-mean.ts';
import { normalizeMac } from '../kernel/mac.ts';
import { FAULT_TYPES } from '../live/faults/fault-types.ts';
import { scenarioNames, type ScenarioNames } from './scenario-names.ts';
import type { BaseCondition, Condition, HandsetCondition, Scenario, Selector, Step, TeamsCondition } from './scenario-types.ts';

/** A problem at a place of the file (`at`: the path of the value, or of its key with `atKey`). */
export interface SemanticProblem {
  at: Array<string | number>;
  atKey?: boolean;
  message: string;
}

type Path = Array<string | number>;

/** Every name the steps use that the lab will not have, with its place in the file. */
export function checkReferences(s: Scenario): SemanticProblem[] {
  const names = scenarioNames(s);
  const problems: SemanticProblem[] = [];
  s.steps.forEach((step, i) => checkStep(step, ['steps', i], names, problems));
  return problems;
}

function checkStep(step: Step, at: Path, names: ScenarioNames, out: SemanticProblem[]): void {
  const bases = (sel: Selector | undefined, path: Path) => sel !== undefined && eachName(sel, path, (n, p) => checkBase(n, p, names, out));
  const handsets = (sel: Selector | undefined, path: Path) => sel !== undefined && eachName(sel, path, (n, p) => checkHandset(n, p, names, out));
  if ('settings' in step) {
    bases(step.settings.bases, [...at, 'settings', 'bases']);
    for (const key of Object.keys(step.settings.values)) {
      if (PARAMETERS.has(key as never)) continue;
      out.push({
        at: [...at, 'settings', 'values', key],
        atKey: true,
        message: `"${key}" is not a setting of the base${didYouMean(key, PARAMETERS.keys(), ' (keys: src/devices/base-station/parameters.ts)')}`,
      });
    }
  } else if ('press' in step) handsets(step.press.handsets, [...at, 'press', 'handsets']);
  else if ('register' in step) handsets(step.register.handsets, [...at, 'register', 'handsets']);
  else if ('power' in step) {
    bases(step.power.bases, [...at, 'power', 'bases']);
    handsets(step.power.handsets, [...at, 'power', 'handsets']);
  } else if ('reboot' in step) bases(step.reboot.bases, [...at, 'reboot', 'bases']);
  else if ('teams' in step) {
    const t = step.teams;
    for (const key of ['provision', 'generateCode', 'enroll', 'signIn', 'signOut', 'restart'] as const) {
      if (key in t) handsets((t as Record<string, Selector>)[key], [...at, 'teams', key]);
    }
    if ('bulkSignIn' in t) {
      handsets(t.bulkSignIn.handsets, [...at, 'teams', 'bulkSignIn', 'handsets']);
      for (const m of (t.bulkSignIn.csv ?? '').matchAll(/\{hw:([^}]+)\}/g)) checkHandset(m[1]!, [...at, 'teams', 'bulkSignIn', 'csv'], names, out);
    }
  } else if ('fault' in step) {
    const f = step.fault;
    const p = [...at, 'fault'];
    if (!(FAULT_TYPES as readonly string[]).includes(f.type)) {
      out.push({ at: [...p, 'type'], message: `unknown fault "${f.type}"${didYouMean(f.type, FAULT_TYPES, '')} (known: ${FAULT_TYPES.join(', ')})` });
    }
    bases(f.bases, [...p, 'bases']);
    handsets(f.handsets, [...p, 'handsets']);
    if (f.site !== undefined) checkSite(f.site, [...p, 'site'], names, out);
    if (f.during !== undefined && f.type !== 'base-power-loss') out.push({ at: [...p, 'during'], atKey: true, message: 'during applies to base-power-loss only' });
  } else if ('waitUntil' in step) conditions(step.waitUntil, [...at, 'waitUntil'], names, out);
  else if ('expect' in step) conditions(step.expect, [...at, 'expect'], names, out);
}

function conditions(c: Condition | Condition[], at: Path, names: ScenarioNames, out: SemanticProblem[]): void {
  if (Array.isArray(c)) c.forEach((x, k) => condition(x, [...at, k], names, out));
  else condition(c, at, names, out);
}

/**
 * The keys a condition on each kind of device understands (conditions.ts checks these and ignores any other): a key
 * of another kind would be ignored and the condition pass on what is left, so it is refused here.
 */
export const CONDITION_KEYS = {
  base: ['base', 'count', 'state', 'firmware', 'reboots', 'rebootsFor', 'firmwareUpdate', 'provisioning', 'errorCode', 'pendingProvisioningReboots', 'handsetsRegistered', 'dectSync', 'chainLevel'],
  handset: ['handset', 'count', 'state', 'firmware', 'registered', 'lineState', 'lineReason', 'cell', 'screen', 'display'],
  teams: ['teams', 'count', 'list', 'userStatus', 'line'],
  bulkSignIn: ['bulkSignIn'],
} as const;
type ConditionKind = keyof typeof CONDITION_KEYS;
const KIND_NAMES: Record<ConditionKind, string> = { base: 'a base', handset: 'a handset', teams: 'a Teams device', bulkSignIn: 'bulk sign-in' };

/** Error codes a base shows (conditions.ts compares them verbatim); `dectSync` and `lineState` are schema enums. */
const BASE_ERROR_CODES = [...Object.keys(FIRMWARE_ERRORS), ...Object.keys(PROVISIONING_ERRORS), 'none'];

function condition(c: Condition, at: Path, names: ScenarioNames, out: SemanticProblem[]): void {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return; // the schema says what is wrong
  const record = c as unknown as Record<string, unknown>;
  const word = (key: string, known: readonly string[], what: string) => {
    const value = record[key];
    if (typeof value !== 'string' || known.includes(value)) return;
    out.push({ at: [...at, key], message: `"${value}" is not ${what}${didYouMean(value, known, '')} (${known.join(', ')})` });
  };
  const kinds = (Object.keys(CONDITION_KEYS) as ConditionKind[]).filter((k) => k in record);
  if (kinds.length === 0) {
    out.push({ at, message: 'a condition names what it checks: base, handset, teams or bulkSignIn (e.g. { base: "*", state: running })' });
    return;
  }
  if (kinds.length > 1) {
    out.push({ at: [...at, kinds[1]!], atKey: true, message: `one kind of device per condition (this one has ${kinds.join(' and ')}): write one condition each` });
    return;
  }
  const kind = kinds[0]!;
  const known: readonly string[] = CONDITION_KEYS[kind];
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const owners = (Object.keys(CONDITION_KEYS) as ConditionKind[]).filter((k) => (CONDITION_KEYS[k] as readonly string[]).includes(key));
    const on = owners.map((k) => KIND_NAMES[k]);
    const elsewhere = on.length ? `; it is a condition on ${on.length > 1 ? `${on.slice(0, -1).join(', ')} or ${on.at(-1)}` : on[0]}` : '';
    const others = known.filter((k) => k !== kind);
    const listed = others.length ? `${kind} conditions: ${others.join(', ')}` : `${kind} takes no other key`;
    const near = closestMatch(key, known);
    out.push({
      at: [...at, key],
      atKey: true,
      message: `"${key}" is not a condition on ${KIND_NAMES[kind]}${near ? ` (did you mean "${near}"?)` : ''}${elsewhere} (${listed})`,
    });
  }
  if (kind === 'bulkSignIn') return;
  if (kind === 'base') {
    const b = c as BaseCondition;
    eachName(b.base, [...at, 'base'], (n, p) => checkBase(n, p, names, out));
    word('state', BASE_STATES, 'a base state');
    word('firmwareUpdate', ACTIVITY_PHASES, 'a firmware update phase');
    word('provisioning', ACTIVITY_PHASES, 'a provisioning phase');
    word('errorCode', BASE_ERROR_CODES, "a base's error code");
    return;
  }
  if (kind === 'handset') {
    const h = c as HandsetCondition;
    eachName(h.handset, [...at, 'handset'], (n, p) => checkHandset(n, p, names, out));
    word('state', HANDSET_STATES, 'a handset state');
    word('screen', UI_SCREENS, "a handset's screen");
    if (typeof h.cell === 'string' && h.cell !== 'none') checkBase(h.cell, [...at, 'cell'], names, out);
    return;
  }
  const t = c as TeamsCondition;
  eachName(t.teams, [...at, 'teams'], (n, p) => checkHandset(n, p, names, out));
  word('list', TEAMS_LISTS, 'a Teams admin center list');
  word('line', [...FILE_STATES, 'none'], 'a Teams line state');
  word('userStatus', ['Signed in', 'Signed out'], 'a Teams user status');
}

/** Calls `check` for each name of a selector with the path of its node (the list item, or the selector itself). */
function eachName(sel: Selector, at: Path, check: (name: string, at: Path) => void): void {
  // Anything but a name is the schema's to report.
  if (Array.isArray(sel)) sel.forEach((n, j) => typeof n === 'string' && check(n, [...at, j]));
  else if (typeof sel === 'string') check(sel, at);
}

function checkSite(site: string, at: Path, names: ScenarioNames, out: SemanticProblem[]): boolean {
  if (names.sites.has(site)) return true;
  out.push({ at, message: `no site "${site}" in the lab${didYouMean(site, names.sites, ` (sites: ${[...names.sites].join(', ')})`)}` });
  return false;
}

function checkBase(name: string, at: Path, names: ScenarioNames, out: SemanticProblem[]): void {
  if (name === '*' || names.bases.has(name)) return;
  if (name.startsWith('site:')) {
    const site = name.slice(5);
    if (checkSite(site, at, names, out) && ![...names.bases.values()].some((b) => b.site === site)) out.push({ at, message: `no base on site "${site}"` });
    return;
  }
  // A MAC names a base the lab numbers itself: only a MAC the file gives can be checked.
  const mac = normalizeMac(name);
  if (mac !== undefined && [...names.bases.values()].some((b) => b.mac === mac || b.mac === undefined)) return;
  out.push({ at, message: `no base "${name}" in the lab${didYouMean(name, names.bases.keys())}` });
}

function checkHandset(name: string, at: Path, names: ScenarioNames, out: SemanticProblem[]): void {
  if (name === '*' || names.handsets.has(name) || isIpei(name.toUpperCase())) return;
  if (name.startsWith('site:')) {
    const site = name.slice(5);
    if (checkSite(site, at, names, out) && ![...names.bases.values()].some((b) => b.site === site && b.handsets > 0)) {
      out.push({ at, message: `no handset on site "${site}"` });
    }
    return;
  }
  const all = /^(.+)\/\*$/.exec(name);
  if (all) {
    const base = names.bases.get(all[1]!);
    if (!base) out.push({ at, message: `no base "${all[1]}" in the lab${didYouMean(all[1]!, names.bases.keys())}` });
    else if (base.handsets === 0) out.push({ at, message: `base "${all[1]}" has no handsets` });
    return;
  }
  const slot = /^(.+)\/(\d+)$/.exec(name);
  const base = slot ? names.bases.get(slot[1]!) : undefined;
  if (base) {
    out.push({ at, message: `no handset "${name}" in the lab (base "${slot![1]}" has ${base.handsets === 1 ? '1 handset' : `${base.handsets} handsets`})` });
    return;
  }
  out.push({ at, message: `no handset "${name}" in the lab${didYouMean(name, names.handsets)}` });
}
