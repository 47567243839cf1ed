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
import { isIpei } from '../devices/handset/ipei.ts';
import { TEAMS_LISTS } from '../cloud/teams/devices/device-view.ts';
import { FILE_STATES } from '../cloud/teams/provisioning/provisioning-file.ts';
import { didYouMean } from '../kernel/did-you-mean.ts';
import { normalizeMac } from '../kernel/mac.ts';
import { FAULT_TYPES } from '../live/faults/fault-types.ts';
import { scenarioNames, type ScenarioNames } from './scenario-names.ts';
import type { Condition, Scenario, Selector, Step } from './scenario-types.ts';

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

function condition(c: Condition, at: Path, names: ScenarioNames, out: SemanticProblem[]): void {
  const word = (key: string, value: unknown, known: readonly string[], what: string) => {
    if (typeof value !== 'string' || known.includes(value)) return;
    out.push({ at: [...at, key], message: `"${value}" is not ${what}${didYouMean(value, known, '')} (${known.join(', ')})` });
  };
  if ('bulkSignIn' in c) return;
  if ('base' in c) {
    eachName(c.base, [...at, 'base'], (n, p) => checkBase(n, p, names, out));
    word('state', c.state, BASE_STATES, 'a base state');
    word('firmwareUpdate', c.firmwareUpdate, ACTIVITY_PHASES, 'a firmware update phase');
    word('provisioning', c.provisioning, ACTIVITY_PHASES, 'a provisioning phase');
    return;
  }
  if ('handset' in c) {
    eachName(c.handset, [...at, 'handset'], (n, p) => checkHandset(n, p, names, out));
    word('state', c.state, HANDSET_STATES, 'a handset state');
    if (c.cell !== undefined && c.cell !== 'none') checkBase(c.cell, [...at, 'cell'], names, out);
    return;
  }
  eachName(c.teams, [...at, 'teams'], (n, p) => checkHandset(n, p, names, out));
  word('list', c.list, TEAMS_LISTS, 'a Teams admin center list');
  word('line', c.line, [...FILE_STATES, 'none'], 'a Teams line state');
  word('userStatus', c.userStatus, ['Signed in', 'Signed out'], 'a Teams user status');
}

/** Calls `check` for each name of a selector with the path of its node (the list item, or the selector itself). */
function eachName(sel: Selector, at: Path, check: (name: string, at: Path) => void): void {
  if (Array.isArray(sel)) sel.forEach((n, j) => check(n, [...at, j]));
  else check(sel, at);
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
