/**
 * The pre-flight of a rollout plan (`rove-sim plan check`): every problem the scenario file shows before anything
 * runs, for every user and every device — all of them, not the first of each — each in the words the service or the
 * base would show (Microsoft's bulk sign-in errors, the base's PRV/FWU codes) with what to change.
 *
 * It builds the scenario's lab (in memory, on a paused clock: nothing boots) for the names, IPEIs and the tenant, then
 * walks the steps in order, keeping what each settings step would save on each base and the lab time the waits and
 * `at:` add up to (a `waitUntil` or `register` counts as no time: what it waits for is unknown here). Found:
 *
 * - each signing-in user's account: no phone number, no Teams Phone licence, a calling policy without SIP devices, and
 *   for bulk sign-in an IP phone policy that is not CommonAreaPhoneSignIn, MFA on, password options (sign-in-checks.ts);
 * - a base whose ConfigURL names a host that does not resolve (PRV-01: every handset on it), of another region than
 *   the sign-in, without the `/tenantid/<tenant id>/` bulk sign-in needs, or without `${IPEI}`;
 * - a firmware server that does not resolve (FWU-01) or a firmware file it does not have (FWU-03);
 * - bulk sign-in of handsets never added in Teams admin center, never registered, on an untrusted site, or sent
 *   before their bases fetched again after the devices were added ("BulkSignIn Tag missing" / "Device is offline":
 *   with the wait needed);
 * - more handsets on a base than it has slots; handsets whose firmware stays below the Teams minimum.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BULK_ERRORS } from '../../cloud/teams/bulk/bulk-errors.ts';
import { hardwareIdForIpei } from '../../cloud/teams/devices/hardware-id.ts';
import { PROVISIONING_HOST, regionOfHost, type Region } from '../../cloud/teams/regions.ts';
import { signInProblems, type SignInMode } from '../../cloud/teams/tenant/sign-in-checks.ts';
import { isTrustedIp } from '../../cloud/teams/tenant/tenant-model.ts';
import { DEFAULT_FIRMWARE_ROOT } from '../../cloud/firmware-server/firmware-server.ts';
import type { BaseSettings } from '../../devices/base-station/parameters.ts';
import { FIRMWARE_ERRORS, firmwareFileName, firmwareUrl } from '../../devices/base-station/firmware-update.ts';
import { meetsTeamsMinimum, toDotted } from '../../devices/base-station/firmware-version.ts';
import { PROVISIONING_ERRORS } from '../../devices/base-station/itsp-provisioning.ts';
import { didYouMean } from '../../kernel/did-you-mean.ts';
import { buildLab, DEFAULT_SEED, type LabDirectory, type NamedHandset } from '../build-lab.ts';
import { parseDuration, formatDuration } from '../duration.ts';
import { fixFor } from '../fixes.ts';
import type { Scenario } from '../scenario-types.ts';
import type { Lab } from '../../lab/lab.ts';
import { stepName } from '../runner.ts';

export type PlanSubjectKind = 'user' | 'base' | 'handset' | 'step' | 'tenant';

export interface PlanProblem {
  /** error: the plan fails there; warning: it may, depending on what the file cannot tell (how long a wait takes). */
  severity: 'error' | 'warning';
  subject: { kind: PlanSubjectKind; name: string };
  /** Stable code: the service's (NO_PHONE_NUMBER, TAG_MISSING…), the base's (PRV-01, FWU-03) or the plan's (BULK_TOO_EARLY…). */
  code: string;
  /** What the service, the base or the handset would show. */
  error: string;
  fix: string;
  /** Where in the plan: `lab.users`, `step 7 "Bulk sign-in"`. */
  at?: string;
  /** The handsets it takes down (a base's problem: every handset on it). */
  handsets?: string[];
}

export interface PlanCheckResult {
  scenario: string;
  counts: { users: number; bases: number; handsets: number };
  errors: number;
  warnings: number;
  problems: PlanProblem[];
}

/** Hosts the lab resolves: the firmware server and the Teams provisioning servers. */
const FIRMWARE_HOST = 'downloads.polycom.com';
const PROVISIONING_HOSTS = Object.values(PROVISIONING_HOST);

interface BaseState {
  settings: Partial<BaseSettings>;
  /** Step where the ConfigURL was set (for `at`). */
  configAt?: string;
}

export async function checkPlan(scenario: Scenario): Promise<PlanCheckResult> {
  const built = await buildLab(scenario, { seed: scenario.seed ?? DEFAULT_SEED });
  try {
    return analyse(scenario, built.lab, built.directory, built.region);
  } finally {
    await built.lab.close();
  }
}

function analyse(scenario: Scenario, lab: Lab, directory: LabDirectory, region: Region): PlanCheckResult {
  const teams = lab.teams;
  const slots = lab.profile.handsetSlots;
  const problems: PlanProblem[] = [];
  const tenant = teams.tenant;
  const bases = new Map<string, BaseState>([...directory.bases.keys()].map((id) => [id, { settings: {} }]));
  const handsetsOf = (baseId: string) => [...directory.handsetByIpei.values()].filter((h) => directory.registrationPlace(h).baseId === baseId || h.baseId === baseId);
  const registered = new Set<string>();
  const provisionedAt = new Map<string, number>();
  const signIns = new Map<string, { mode: SignInMode; handsets: Set<string>; at: string }>();
  /** Problems already reported for a base (the same mistyped URL in two steps is one problem). */
  const seen = new Set<string>();
  const once = (key: string, p: PlanProblem) => {
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(p);
  };

  for (const [id, b] of directory.bases) {
    const count = [...directory.handsetByIpei.values()].filter((h) => h.baseId === id).length;
    if (count > slots) {
      problems.push({
        severity: 'error',
        subject: { kind: 'base', name: id },
        code: 'TOO_MANY_HANDSETS',
        error: `${count} handsets on a base with ${slots} handset slots: the last ${count - slots} cannot register ("no free slot")`,
        fix: `Move ${count - slots} handsets to another base of site ${b.site}, or add a base.`,
        at: 'lab.bases',
      });
    }
  }

  let t = 0;
  scenario.steps.forEach((step, i) => {
    const where = `step ${i + 1} "${stepName(step, i)}"`;
    const at = step.at !== undefined ? parseDuration(step.at) : undefined;
    if (at !== undefined) t = Math.max(t, at);
    if ('wait' in step) {
      t += parseDuration(step.wait) ?? 0;
      return;
    }
    if ('settings' in step) {
      const values = Object.fromEntries(
        Object.entries(step.settings.values).map(([k, v]) => [k, String(v).replaceAll('${TENANT_ID}', tenant.id)]),
      ) as Partial<BaseSettings>;
      for (const b of safeSelect(() => directory.selectBases(step.settings.bases))) {
        const state = bases.get(b.id)!;
        state.settings = { ...state.settings, ...values };
        if (values.configUrl !== undefined) state.configAt = where;
        checkFirmware(b.id, state.settings, where, directory, handsetsOf(b.id), once);
      }
      return;
    }
    if ('register' in step) {
      for (const h of safeSelect(() => directory.selectHandsets(step.register.handsets))) registered.add(h.id);
      return;
    }
    if (!('teams' in step)) return;
    const action = step.teams;
    if ('provision' in action) for (const h of safeSelect(() => directory.selectHandsets(action.provision))) if (!provisionedAt.has(h.id)) provisionedAt.set(h.id, t);
    if ('signIn' in action) {
      for (const h of safeSelect(() => directory.selectHandsets(action.signIn))) {
        const upn = action.user ?? h.user;
        if (upn) noteSignIn(signIns, upn, 'interactive', h.id, where);
        checkHandsetReady(h, where, 'interactive', registered, provisionedAt, once);
        checkHandsetFirmware(lab, h, bases.get(directory.registrationPlace(h).baseId)!.settings, where, once);
      }
    }
    if ('bulkSignIn' in action) {
      const spec = action.bulkSignIn;
      const bulkRegion = spec.region ?? region;
      if (tenant.sipDevicesConfiguration.bulkSignIn === 'Disabled') {
        problems.push({ severity: 'error', subject: { kind: 'tenant', name: tenant.id }, code: 'BULK_SIGN_IN_DISABLED', error: 'Bulk sign-in is disabled for the tenant (TeamsSipDevicesConfiguration BulkSignIn Disabled).', fix: 'Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn Enabled (lab.bulkSignIn or a setBulkSignIn step) before the bulk sign-in.', at: where });
      }
      const handsets = spec.csv !== undefined ? csvHandsets(spec.csv, directory) : safeSelect(() => directory.selectHandsets(spec.handsets ?? '*'));
      const late = new Map<string, { wait: number; handsets: string[] }>();
      for (const h of handsets) {
        const upn = spec.csv !== undefined ? csvUser(spec.csv, h, directory) : h.user;
        if (!upn) {
          once(`nouser:${h.id}`, { severity: 'warning', subject: { kind: 'handset', name: h.id }, code: 'NO_USER', error: 'The handset has no user: it is left out of the bulk sign-in.', fix: 'Give the handset its user (user: in the file, or the user column of the inventory).', at: where });
          continue;
        }
        noteSignIn(signIns, upn, 'bulk', h.id, where);
        if (!checkHandsetReady(h, where, 'bulk', registered, provisionedAt, once)) continue;
        const baseId = directory.registrationPlace(h).baseId;
        const s = bases.get(baseId)!.settings;
        checkHandsetFirmware(lab, h, s, where, once);
        const url = s.configUrl ?? '';
        const host = hostOf(url);
        const hostRegion = regionOfHost(host);
        if (hostRegion && hostRegion !== bulkRegion) {
          once(`region:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'DEVICE_NOT_FOUND', error: `${BULK_ERRORS.DEVICE_NOT_FOUND} The base's ConfigURL is the ${hostRegion} provisioning server; the bulk sign-in is for ${bulkRegion}.`, fix: `Use the same region: ConfigURL http://${PROVISIONING_HOST[bulkRegion]}/… or bulk sign-in with -Region ${hostRegion}.`, at: where, handsets: handsetsOf(baseId).map((x) => x.id) });
        }
        if (hostRegion && !/\/tenantid\/[^/]+\//i.test(url)) {
          once(`tag:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'TAG_MISSING', error: `${BULK_ERRORS.TAG_MISSING} — the base's ConfigURL ${url} has no /tenantid/<tenant id>/`, fix: fixFor(BULK_ERRORS.TAG_MISSING)!, at: bases.get(baseId)!.configAt ?? where, handsets: handsetsOf(baseId).map((x) => x.id) });
        } else if (hostRegion) {
          const tag = /\/tenantid\/([^/]+)\//i.exec(url)![1]!;
          if (tag.toLowerCase() !== tenant.id.toLowerCase()) {
            once(`tenant:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'IP_NOT_TRUSTED', error: `${BULK_ERRORS.IP_NOT_TRUSTED} — the ConfigURL's tenant id ${tag} is not the tenant's (${tenant.id})`, fix: 'Write ${TENANT_ID} (or the tenant id) in the ConfigURL: /tenantid/${TENANT_ID}/.', at: bases.get(baseId)!.configAt ?? where, handsets: handsetsOf(baseId).map((x) => x.id) });
          }
        }
        const site = directory.sites.find((x) => x.id === directory.bases.get(h.baseId)!.site);
        if (site && !isTrustedIp(tenant.network.trustedIps, site.publicIp)) {
          once(`trusted:${site.id}`, { severity: 'error', subject: { kind: 'tenant', name: tenant.id }, code: 'IP_NOT_TRUSTED', error: `${BULK_ERRORS.IP_NOT_TRUSTED} — site ${site.id}'s public IP ${site.publicIp} is not in Trusted IPs (${tenant.network.trustedIps.join(', ') || 'none'})`, fix: fixFor('Trusted IP')!, at: where, handsets: [...directory.handsetByIpei.values()].filter((x) => directory.bases.get(x.baseId)!.site === site.id).map((x) => x.id) });
        }
        if (!url || s.provisioningOption !== 'ConfigURL') {
          once(`noconfig:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'NO_CONFIG_URL', error: `${BULK_ERRORS.DEVICE_OFFLINE} — the base has no ConfigURL (ITSP provisioning) when the bulk sign-in runs: its handsets never fetch from Teams`, fix: 'Set Provisioning option ConfigURL and the Teams ConfigURL (System Management → Auto provisioning) in a settings step before the bulk sign-in.', at: where, handsets: handsetsOf(baseId).map((x) => x.id) });
        }
        if (!hostRegion) continue; // the ConfigURL problem is reported with the base
        const interval = fetchIntervalMs(s);
        if (interval === null) continue;
        const since = t - provisionedAt.get(h.id)!;
        if (since < interval) {
          const entry = late.get(baseId) ?? { wait: interval - since, handsets: [] };
          entry.handsets.push(h.id);
          late.set(baseId, entry);
        }
      }
      if (late.size > 0) {
        const wait = Math.max(...[...late.values()].map((x) => x.wait));
        const all = [...late.values()].flatMap((x) => x.handsets);
        const gap = t - Math.min(...all.map((id) => provisionedAt.get(id)!));
        const every = Math.max(...[...late.keys()].map((b) => fetchIntervalMs(bases.get(b)!.settings)!));
        problems.push({
          severity: 'warning',
          subject: { kind: 'step', name: where },
          code: 'BULK_TOO_EARLY',
          error:
            `${BULK_ERRORS.TAG_MISSING} / ${BULK_ERRORS.DEVICE_OFFLINE} — the bulk sign-in comes ${gap === 0 ? 'right' : formatDuration(gap)} after the devices were added; ` +
            `the bases of ${all.length === 1 ? 'its handset' : `its ${all.length} handsets`} fetch every ${formatDuration(every)}, and a row whose base has not fetched the handset's file since the device was added fails`,
          fix: `Wait ${formatDuration(wait)} after adding the devices (a \`wait: ${formatDuration(wait)}\` step before this one) so every base has fetched once.`,
          at: where,
          handsets: all,
        });
      }
    }
  });

  // The ConfigURL and the firmware of each base as the plan leaves them.
  for (const [id, state] of bases) {
    const url = state.settings.configUrl;
    if (!url || state.settings.provisioningOption === 'Disabled') continue;
    const host = hostOf(url);
    const affected = handsetsOf(id).map((h) => h.id);
    if (host && !PROVISIONING_HOSTS.includes(host) && host !== FIRMWARE_HOST) {
      once(`prv01:${id}`, { severity: 'error', subject: { kind: 'base', name: id }, code: 'PRV-01', error: `PRV-01 ${PROVISIONING_ERRORS['PRV-01']} — ${host}${didYouMean(host, PROVISIONING_HOSTS)}`, fix: fixFor('PRV-01')!, at: state.configAt ?? 'steps', handsets: affected });
    } else if (!url.includes('${IPEI}') && regionOfHost(host)) {
      once(`ipei:${id}`, { severity: 'error', subject: { kind: 'base', name: id }, code: 'PRV-03', error: `PRV-03 ${PROVISIONING_ERRORS['PRV-03']} — the ConfigURL ${url} names no handset's file (00\${IPEI}.cfg)`, fix: fixFor('PRV-03')!, at: state.configAt ?? 'steps', handsets: affected });
    }
  }

  // Each signing-in user's account, every check.
  for (const [upn, s] of signIns) {
    const user = teams.user(upn);
    for (const p of signInProblems(tenant, user, s.mode)) {
      problems.push({ severity: 'error', subject: { kind: 'user', name: upn }, code: p.code, error: p.message, fix: p.fix, at: s.at, handsets: [...s.handsets] });
    }
  }

  const order: Record<PlanSubjectKind, number> = { tenant: 0, base: 1, step: 2, user: 3, handset: 4 };
  problems.sort((a, b) => order[a.subject.kind] - order[b.subject.kind] || (a.subject.name < b.subject.name ? -1 : a.subject.name > b.subject.name ? 1 : 0));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    scenario: scenario.name,
    counts: { users: signIns.size, bases: directory.bases.size, handsets: directory.handsetByIpei.size },
    errors,
    warnings: problems.length - errors,
    problems,
  };
}

function noteSignIn(map: Map<string, { mode: SignInMode; handsets: Set<string>; at: string }>, upn: string, mode: SignInMode, handset: string, at: string): void {
  const key = upn.toLowerCase();
  const entry = map.get(key) ?? { mode, handsets: new Set<string>(), at };
  if (mode === 'bulk') entry.mode = 'bulk'; // bulk checks more: a user signed in both ways gets them all
  entry.handsets.add(handset);
  map.set(key, entry);
}

/**
 * The firmware a handset runs when it signs in: the version its base's Auto provisioning names for its model (the
 * update over the air), else the one it came with. Below 8.0.3 Teams does not take it.
 */
function checkHandsetFirmware(lab: Lab, h: NamedHandset, s: Partial<BaseSettings>, where: string, once: (key: string, p: PlanProblem) => void): void {
  const record = lab.handsets.get(h.ipei)?.record;
  if (!record) return;
  const [version, branch] = record.model === 'Rove 40' ? [s.rove40FwVersion, s.rove40FwBranch] : [s.rove30FwVersion, s.rove30FwBranch];
  const firmware = version && branch && s.firmwareServer ? toDotted({ version, branch }) : record.firmware;
  if (meetsTeamsMinimum(firmware)) return;
  once(`firmware:${h.id}`, { severity: 'error', subject: { kind: 'handset', name: h.id }, code: 'FIRMWARE_BELOW_TEAMS', error: `firmware ${firmware} below 8.0.3 (Teams minimum)`, fix: fixFor('below 8.0.3')!, at: where });
}

/** Registered and added in Teams admin center before it signs in; false when not (already reported). */
function checkHandsetReady(h: NamedHandset, where: string, mode: SignInMode, registered: Set<string>, provisioned: Map<string, number>, once: (key: string, p: PlanProblem) => void): boolean {
  let ready = true;
  if (!registered.has(h.id)) {
    once(`unregistered:${h.id}`, { severity: 'error', subject: { kind: 'handset', name: h.id }, code: 'NOT_REGISTERED', error: 'not registered to a base', fix: fixFor('not registered')!, at: where });
    ready = false;
  }
  if (mode === 'bulk' && !provisioned.has(h.id)) {
    once(`notfound:${h.id}`, { severity: 'error', subject: { kind: 'handset', name: h.id }, code: 'DEVICE_NOT_FOUND', error: BULK_ERRORS.DEVICE_NOT_FOUND, fix: fixFor(BULK_ERRORS.DEVICE_NOT_FOUND)!, at: where });
    ready = false;
  }
  return ready;
}

/** How often a base fetches its handsets' files (ITSP provisioning), or null when it never does on its own. */
function fetchIntervalMs(s: Partial<BaseSettings>): number | null {
  if (s.itspMethod === 'Daily') return 24 * 3_600_000;
  if (s.itspMethod === 'Periodically') return Number(s.itspInterval ?? '86400') * 1000;
  return null;
}

function checkFirmware(baseId: string, s: Partial<BaseSettings>, where: string, directory: LabDirectory, handsets: NamedHandset[], once: (key: string, p: PlanProblem) => void): void {
  const server = s.firmwareServer;
  if (!server) return;
  const host = hostOf(server);
  if (host !== FIRMWARE_HOST) {
    once(`fwu01:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'FWU-01', error: `FWU-01 ${FIRMWARE_ERRORS['FWU-01']} — ${host ?? server}${didYouMean(host ?? server, [FIRMWARE_HOST])}`, fix: fixFor('FWU-01')!, at: where, handsets: handsets.map((h) => h.id) });
    return;
  }
  const files: Array<{ file: string; what: string; handsets?: string[] }> = [];
  const baseModel = baseModelOf(baseId, directory);
  if (s.baseFwVersion && s.baseFwBranch && baseModel) files.push({ file: firmwareFileName(`Rove${baseModel}`, s.baseFwVersion, s.baseFwBranch), what: `base firmware ${toDotted({ version: s.baseFwVersion, branch: s.baseFwBranch })}` });
  for (const [model, version, branch] of [
    ['Rove30', s.rove30FwVersion, s.rove30FwBranch],
    ['Rove40', s.rove40FwVersion, s.rove40FwBranch],
  ] as const) {
    if (version && branch) files.push({ file: firmwareFileName(model, version, branch), what: `${model.replace('Rove', 'Rove ')} firmware ${toDotted({ version, branch })}` });
  }
  for (const f of files) {
    const url = new URL(firmwareUrl(server, s.firmwarePath ?? '', f.file));
    if (existsSync(path.join(DEFAULT_FIRMWARE_ROOT, decodeURIComponent(url.pathname)))) continue;
    once(`fwu03:${baseId}:${f.file}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'FWU-03', error: `FWU-03 ${FIRMWARE_ERRORS['FWU-03']} — ${url.href} (${f.what})`, fix: fixFor('FWU-03')!, at: where, handsets: handsets.map((h) => h.id) });
  }
}

/** The model of a base, as the lab made it. */
function baseModelOf(baseId: string, directory: LabDirectory): 'B2' | 'B4' | undefined {
  return directory.bases.get(baseId)?.model;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url.replaceAll('${IPEI}', '0000000000').replaceAll('${MAC}', '000000000000')).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function safeSelect<T>(select: () => T[]): T[] {
  try {
    return select();
  } catch {
    return []; // the loader has already refused a selector that names nothing
  }
}

/** The handsets a bulk sign-in CSV names (`{hw:NAME}` placeholders or literal hardware ids). */
function csvHandsets(csv: string, directory: LabDirectory): NamedHandset[] {
  const out: NamedHandset[] = [];
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const hw = line.split(',')[1]?.trim() ?? '';
    const placeholder = /^\{hw:([^}]+)\}$/.exec(hw);
    const h = placeholder ? safeSelect(() => directory.selectHandsets(placeholder[1]!))[0] : [...directory.handsetByIpei.values()].find((x) => hw.replace(/-/g, '').toUpperCase() === hardwareIdForIpei(x.ipei));
    if (h) out.push(h);
  }
  return out;
}

function csvUser(csv: string, h: NamedHandset, directory: LabDirectory): string | undefined {
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const [user, hw = ''] = line.split(',').map((x) => x.trim());
    const placeholder = /^\{hw:([^}]+)\}$/.exec(hw);
    const match = placeholder ? safeSelect(() => directory.selectHandsets(placeholder[1]!))[0]?.id === h.id : hw.replace(/-/g, '').toUpperCase() === hardwareIdForIpei(h.ipei);
    if (match) return user;
  }
  return undefined;
}
